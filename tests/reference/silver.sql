-- SILVER, written from docs/metrics.md for DuckDB: the independent reference, not a port of Spark.
-- Inputs: bronze_orders, bronze_clicks, restaurants, items, prior_first_orders, days(METRIC_DATE).

-- Deduplication, step 1: one row per INGESTION_ID; step 2: one per (AGGREGATE_ID, AGGREGATE_VERSION).
CREATE TEMP TABLE order_events AS
WITH by_id AS (
    SELECT * FROM bronze_orders
    QUALIFY row_number() OVER (PARTITION BY INGESTION_ID ORDER BY INGESTED_AT, INGESTION_ID) = 1
)
SELECT *, CASE WHEN json_valid(PAYLOAD) AND json_type(PAYLOAD) = 'OBJECT' THEN PAYLOAD ELSE '{}' END AS P
FROM by_id
QUALIFY row_number() OVER (
    PARTITION BY AGGREGATE_ID, AGGREGATE_VERSION ORDER BY INGESTED_AT, INGESTION_ID) = 1;

CREATE TEMP TABLE placed AS
SELECT
    AGGREGATE_ID AS ORDER_ID,
    EVENT_DATE AS ORDER_DATE,
    EVENT_TIME AS PLACED_AT,
    json_extract_string(P, '$.user_id') AS USER_ID,
    json_extract_string(P, '$.restaurant_id') AS RESTAURANT_ID,
    json_extract_string(P, '$.session_id') AS SESSION_ID,
    json_extract_string(P, '$.payment_method') AS PAYMENT_METHOD,
    json_extract_string(P, '$.currency') AS CURRENCY,
    json_extract_string(P, '$.total_amount') AS RAW_TOTAL,
    TRY_CAST(json_extract_string(P, '$.total_amount') AS DECIMAL(18, 2)) AS TOTAL_AMOUNT,
    CASE WHEN json_type(P, '$.lines') = 'ARRAY'
         THEN CAST(json_array_length(P, '$.lines') AS BIGINT) END AS N_LINES,
    P
FROM order_events
WHERE EVENT_TYPE = 'order.placed' AND EVENT_DATE IN (SELECT METRIC_DATE FROM days)
QUALIFY row_number() OVER (PARTITION BY AGGREGATE_ID ORDER BY AGGREGATE_VERSION, INGESTION_ID) = 1;

CREATE TEMP TABLE lines AS
WITH numbered AS (
    SELECT ORDER_ID, ORDER_DATE, RESTAURANT_ID, P, unnest(range(1, N_LINES + 1)) AS LINE_NUMBER
    FROM placed WHERE N_LINES > 0
), raw AS (
    SELECT *, json_extract(P, '$.lines[' || (LINE_NUMBER - 1) || ']') AS L FROM numbered
)
SELECT
    raw.ORDER_ID, raw.ORDER_DATE, raw.LINE_NUMBER, raw.RESTAURANT_ID,
    json_extract_string(L, '$.item_id') AS ITEM_ID,
    json_extract_string(L, '$.name') AS PAYLOAD_NAME,
    TRY_CAST(json_extract_string(L, '$.unit_price') AS DECIMAL(18, 2)) AS UNIT_PRICE,
    TRY_CAST(json_extract_string(L, '$.quantity') AS BIGINT) AS QUANTITY,
    TRY_CAST(json_extract_string(L, '$.line_total') AS DECIMAL(18, 2)) AS LINE_TOTAL,
    i.RESTAURANT_ID AS ITEM_RESTAURANT_ID, i.ITEM_NAME, i.CATEGORY
FROM raw LEFT JOIN items i ON i.ITEM_ID = json_extract_string(raw.L, '$.item_id');

CREATE TEMP TABLE lifecycle AS
SELECT
    p.ORDER_ID,
    replace(arg_max(e.EVENT_TYPE, e.AGGREGATE_VERSION), 'order.', '') AS STATUS,
    arg_max(e.EVENT_TIME, e.AGGREGATE_VERSION) AS STATUS_UPDATED_AT,
    min(e.EVENT_TIME) FILTER (WHERE e.EVENT_TYPE = 'order.confirmed') AS CONFIRMED_AT,
    min(e.EVENT_TIME) FILTER (WHERE e.EVENT_TYPE = 'order.out_for_delivery') AS OUT_FOR_DELIVERY_AT,
    min(e.EVENT_TIME) FILTER (WHERE e.EVENT_TYPE = 'order.delivered') AS DELIVERED_AT,
    min(e.EVENT_TIME) FILTER (WHERE e.EVENT_TYPE = 'order.cancelled') AS CANCELLED_AT,
    arg_min(json_extract_string(e.P, '$.reason'), e.EVENT_TIME)
        FILTER (WHERE e.EVENT_TYPE = 'order.cancelled') AS CANCEL_REASON
FROM placed p
JOIN order_events e
  ON e.AGGREGATE_ID = p.ORDER_ID
 AND e.EVENT_DATE <= p.ORDER_DATE + INTERVAL 1 DAY
 AND e.EVENT_TYPE IN ('order.placed', 'order.confirmed', 'order.out_for_delivery',
                      'order.delivered', 'order.cancelled')
GROUP BY p.ORDER_ID;

CREATE TEMP TABLE orders_checked AS
WITH line_checks AS (
    SELECT ORDER_ID,
        count(*) AS LINE_COUNT,
        coalesce(sum(QUANTITY), 0) AS ITEM_COUNT,
        sum(LINE_TOTAL) AS LINES_TOTAL,
        bool_or(LINE_TOTAL IS NULL) AS MISSING_LINE_TOTAL,
        bool_or(ITEM_ID IS NULL OR ITEM_RESTAURANT_ID IS NULL) AS UNKNOWN_ITEM,
        bool_or(ITEM_RESTAURANT_ID <> RESTAURANT_ID) AS FOREIGN_ITEM,
        bool_or(QUANTITY IS NULL OR QUANTITY NOT BETWEEN 1 AND 50) AS BAD_QUANTITY
    FROM lines GROUP BY ORDER_ID
)
SELECT p.*, r.RESTAURANT_NAME, r.CITY, r.CUISINE,
    coalesce(c.LINE_COUNT, 0) AS LINE_COUNT, coalesce(c.ITEM_COUNT, 0) AS ITEM_COUNT,
    CASE
        WHEN p.USER_ID IS NULL OR p.RESTAURANT_ID IS NULL OR p.RAW_TOTAL IS NULL
             OR coalesce(p.N_LINES, 0) = 0 THEN 'MALFORMED_PAYLOAD'
        WHEN r.RESTAURANT_ID IS NULL THEN 'UNKNOWN_RESTAURANT'
        WHEN c.UNKNOWN_ITEM THEN 'UNKNOWN_ITEM'
        WHEN c.FOREIGN_ITEM THEN 'ITEM_NOT_IN_RESTAURANT'
        WHEN c.BAD_QUANTITY THEN 'BAD_QUANTITY'
        WHEN p.TOTAL_AMOUNT IS NULL OR p.TOTAL_AMOUNT <= 0 OR c.MISSING_LINE_TOTAL
             OR abs(p.TOTAL_AMOUNT - c.LINES_TOTAL) > 0.01 THEN 'BAD_AMOUNT'
        WHEN p.CURRENCY IS DISTINCT FROM 'INR' THEN 'BAD_CURRENCY'
        WHEN p.PAYMENT_METHOD IS NULL
             OR p.PAYMENT_METHOD NOT IN ('upi', 'card', 'cash', 'wallet') THEN 'BAD_PAYMENT_METHOD'
    END AS INVALID_REASON
FROM placed p
LEFT JOIN restaurants r ON r.RESTAURANT_ID = p.RESTAURANT_ID
LEFT JOIN line_checks c ON c.ORDER_ID = p.ORDER_ID;

-- A user's first order: the earliest (time, id) among prior first orders and valid orders.
CREATE TEMP TABLE first_orders AS
WITH candidates AS (
    SELECT USER_ID, FIRST_ORDER_ID AS ORDER_ID, FIRST_ORDER_AT AS FIRST_AT, FIRST_ORDER_DATE AS FIRST_DAY
    FROM prior_first_orders
    UNION ALL
    SELECT USER_ID, ORDER_ID, PLACED_AT, ORDER_DATE FROM orders_checked WHERE INVALID_REASON IS NULL
)
SELECT USER_ID, arg_min(ORDER_ID, row(FIRST_AT, ORDER_ID)) AS FIRST_ORDER_ID,
       arg_min(FIRST_DAY, row(FIRST_AT, ORDER_ID)) AS COHORT_DATE
FROM candidates GROUP BY USER_ID;

CREATE TEMP TABLE orders_clean AS
SELECT o.*, l.* EXCLUDE (ORDER_ID),
    coalesce(l.STATUS, 'placed') AS FINAL_STATUS,
    hour(o.PLACED_AT) AS ORDER_HOUR,
    o.INVALID_REASON IS NULL AS IS_VALID,
    f.FIRST_ORDER_ID IS NOT NULL AS IS_FIRST_ORDER
FROM orders_checked o
LEFT JOIN lifecycle l ON l.ORDER_ID = o.ORDER_ID
LEFT JOIN first_orders f ON f.FIRST_ORDER_ID = o.ORDER_ID;

CREATE TEMP TABLE clicks_clean AS
WITH by_id AS (
    SELECT * FROM bronze_clicks
    WHERE EVENT_DATE IN (SELECT METRIC_DATE FROM days)
    QUALIFY row_number() OVER (PARTITION BY INGESTION_ID ORDER BY INGESTED_AT, INGESTION_ID) = 1
), deduped AS (
    SELECT *, CASE WHEN json_valid(PAYLOAD) AND json_type(PAYLOAD) = 'OBJECT'
                   THEN PAYLOAD ELSE '{}' END AS P
    FROM by_id
    QUALIFY row_number() OVER (
        PARTITION BY AGGREGATE_ID, AGGREGATE_VERSION ORDER BY INGESTED_AT, INGESTION_ID) = 1
), parsed AS (
    SELECT INGESTION_ID AS EVENT_ID, EVENT_DATE, EVENT_TYPE,
        CASE WHEN EVENT_TYPE LIKE 'click.%' THEN substr(EVENT_TYPE, 7) ELSE EVENT_TYPE END AS CLICK_TYPE,
        json_extract_string(P, '$.session_id') AS SESSION_ID,
        json_extract_string(P, '$.item_id') AS ITEM_ID,
        json_extract_string(P, '$.restaurant_id') AS RESTAURANT_ID,
        coalesce(TRY_CAST(json_extract_string(P, '$.quantity') AS BIGINT), 1) AS CART_QUANTITY
    FROM deduped
)
SELECT c.*, i.ITEM_NAME, i.CATEGORY, i.RESTAURANT_ID AS ITEM_RESTAURANT_ID,
    CASE
        WHEN c.EVENT_TYPE NOT IN ('click.impression', 'click.click', 'click.add_to_cart',
             'click.remove_from_cart', 'click.checkout_started') THEN 'UNKNOWN_EVENT_TYPE'
        WHEN c.SESSION_ID IS NULL THEN 'MALFORMED_PAYLOAD'
        WHEN c.CLICK_TYPE <> 'checkout_started' AND c.ITEM_ID IS NULL THEN 'MISSING_ITEM'
        WHEN c.CLICK_TYPE <> 'checkout_started' AND i.ITEM_ID IS NULL THEN 'UNKNOWN_ITEM'
        WHEN r.RESTAURANT_ID IS NULL THEN 'UNKNOWN_RESTAURANT'
        WHEN c.CLICK_TYPE <> 'checkout_started' AND i.RESTAURANT_ID <> c.RESTAURANT_ID
             THEN 'ITEM_NOT_IN_RESTAURANT'
        WHEN c.CLICK_TYPE IN ('add_to_cart', 'remove_from_cart') AND c.CART_QUANTITY < 1
             THEN 'BAD_QUANTITY'
    END AS INVALID_REASON
FROM parsed c
LEFT JOIN items i ON i.ITEM_ID = c.ITEM_ID
LEFT JOIN restaurants r ON r.RESTAURANT_ID = c.RESTAURANT_ID;
