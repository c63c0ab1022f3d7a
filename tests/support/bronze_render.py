"""The simulation rendered as BRONZE rows: JSON payloads, ids, load metadata, and the anomalies
(invalid payloads, duplicates, replays, late arrivals) that SILVER must cope with."""

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from tests.support import shopping as sim
from tests.support.ids import concat, money, quoted, text, user_ids, uuids

ORDER_STATUSES = ("placed", "confirmed", "out_for_delivery", "delivered", "cancelled")
CLICK_TYPES = ("impression", "click", "add_to_cart", "remove_from_cart", "checkout_started")
PAGES = ("home", "restaurant", "item", "item", "cart")
PAYMENT_METHODS = ("upi", "card", "cash", "wallet")
HOUR_US = 3_600_000_000
NULL = pa.scalar(None, pa.string())
# Corruption kinds; an order or click gets at most one.
NO_SHOP, NO_ITEM, ZERO_QUANTITY, WRONG_TOTAL, CHEQUE, TRUNCATED = range(6)
GHOST_ITEM, NO_SESSION, HOVER, NOT_JSON, OTHER_SHOP = range(5)


@dataclass(frozen=True)
class Mix:
    """How much of what: the click budget per day and the share of each anomaly."""

    clicks_per_day: int = 4_000
    orders_per_click: float = 0.1
    users: int | None = None  # default: a tenth of the daily clicks
    duplicate_rate: float = 0.02  # same INGESTION_ID delivered again
    replay_rate: float = 0.005  # same aggregate version under a new INGESTION_ID
    invalid_rate: float = 0.02
    late_rate: float = 0.02  # received one to three days after it happened

    @property
    def user_pool(self) -> int:
        return self.users or max(20, self.clicks_per_day // 10)


@dataclass(frozen=True)
class Names:
    items: pa.Table  # the catalog items, in the simulation's item order
    item_cents: np.ndarray
    shop_ids: pa.Array
    session_ids: pa.Array


def _corruption(rng: np.random.Generator, count: int, rate: float, kinds: int) -> np.ndarray:
    return np.where(rng.random(count) < rate, rng.integers(0, kinds, count), -1)


def _when(mask: np.ndarray, value: object, otherwise: pa.Array) -> pa.Array:
    return pc.if_else(pa.array(mask), value, otherwise)


def render_orders(rng: np.random.Generator, orders: sim.Orders, names: Names, mix: Mix) -> pa.Table:
    count = len(orders.user)
    kind = _corruption(rng, count, mix.invalid_rate, 6)
    order_ids, users = uuids(rng, count), user_ids(orders.user)
    placed = _placed_payloads(rng, orders, names, kind, users)
    life = sim.lifecycles(rng, orders.placed_us)
    status = pa.array(ORDER_STATUSES).take(life.status)
    reason = np.where(life.status == sim.CANCELLED, '"customer_request"', "null")
    changed = concat(
        '{"user_id": "', users.take(life.order), '", "status": "', status,
        '", "reason": ', text(reason), "}",
    )  # fmt: skip
    payload = _when(life.status == sim.PLACED, placed.take(life.order), changed)
    event_type = concat("order.", status)
    events = Events(
        event_type, order_ids.take(life.order), life.order, life.version, life.time_us, payload
    )
    return bronze_table(rng, events, "raw.orders.v1", mix)


def _placed_payloads(
    rng: np.random.Generator, orders: sim.Orders, names: Names, kind: np.ndarray, users: pa.Array
) -> pa.Array:
    count, item, line_order = len(orders.user), orders.line_item, orders.line_order
    first = np.concatenate([[True], line_order[1:] != line_order[:-1]])
    line_kind = kind[line_order]
    item_id = _when(first & (line_kind == NO_ITEM), "itm_unknown", _column(names, "ITEM_ID", item))
    quantity = np.where(first & (line_kind == ZERO_QUANTITY), 0, orders.line_quantity)
    unit = names.item_cents[item]
    line_cents = unit * orders.line_quantity
    name = pc.replace_substring(_column(names, "ITEM_NAME", item), '"', '\\"')
    line_json = concat(
        '{"item_id": "', item_id, '", "name": "', name, '", "unit_price": "', money(unit),
        '", "quantity": ', text(quantity), ', "line_total": "', money(line_cents), '"}',
    )  # fmt: skip
    offsets = np.concatenate([[0], np.cumsum(np.bincount(line_order, minlength=count))])
    lines = pc.binary_join(pa.ListArray.from_arrays(pa.array(offsets, pa.int32()), line_json), ", ")
    total = np.bincount(line_order, weights=line_cents, minlength=count).round().astype(np.int64)
    total += np.where(kind == WRONG_TOTAL, 5_000, 0)
    shop = _when(kind == NO_SHOP, "rst_unknown", names.shop_ids.take(orders.restaurant))
    has_session = orders.session >= 0
    session = names.session_ids.take(np.where(has_session, orders.session, 0))
    payment = pa.array(PAYMENT_METHODS).take(rng.integers(0, 4, count))
    payload = concat(
        '{"user_id": "', users, '", "restaurant_id": "', shop, '", "session_id": ',
        quoted(_when(has_session, session, NULL)), ', "lines": [', lines, '], "total_amount": "',
        money(total), '", "currency": "INR", "payment_method": "',
        _when(kind == CHEQUE, "cheque", payment), '", "status": "placed"}',
    )  # fmt: skip
    return _when(kind == TRUNCATED, '{"user_id": "usr_000001", "lines": [', payload)


def _column(names: Names, column: str, index: np.ndarray) -> pa.Array:
    return names.items[column].take(pa.array(index)).combine_chunks()


def render_clicks(rng: np.random.Generator, clicks: sim.Clicks, names: Names, mix: Mix) -> pa.Table:
    count, stage, session = len(clicks.session), clicks.stage, clicks.session
    kind = _corruption(rng, count, mix.invalid_rate, 5)
    item_level = stage != sim.CHECKOUT
    item = _when(item_level, _column(names, "ITEM_ID", np.maximum(clicks.item, 0)), NULL)
    item = _when(item_level & (kind == GHOST_ITEM), "itm_unknown", item)
    shop = clicks.session_restaurant[session]
    shop = np.where(kind == OTHER_SHOP, (shop + 1) % len(names.shop_ids), shop)
    user = clicks.session_user[session]
    users = _when(user >= 0, user_ids(np.maximum(user, 0)), NULL)
    session_id = _when(kind == NO_SESSION, NULL, names.session_ids.take(session))
    position = _when(item_level, text(rng.integers(1, 30, count)), "null")
    cart = (stage == sim.ADD) | (stage == sim.REMOVE)
    quantity = _when(cart, concat(', "quantity": ', text(clicks.quantity)), "")
    payload = concat(
        '{"session_id": ', quoted(session_id), ', "user_id": ', quoted(users), ', "item_id": ',
        quoted(item), ', "restaurant_id": "', names.shop_ids.take(shop), '", "page": "',
        pa.array(PAGES).take(stage), '", "position": ', position, quantity, "}",
    )  # fmt: skip
    payload = _when(kind == NOT_JSON, "not json", payload)
    event_type = _when(
        kind == HOVER, "click.hover", concat("click.", pa.array(CLICK_TYPES).take(stage))
    )
    aggregates = uuids(rng, len(names.session_ids)).take(session)
    events = Events(event_type, aggregates, session, clicks.version, clicks.time_us, payload)
    return bronze_table(rng, events, "raw.clicks.v1", mix)


@dataclass(frozen=True)
class Events:
    event_type: pa.Array
    aggregate: pa.Array
    aggregate_index: np.ndarray  # decides the Kafka partition, as the aggregate id key would
    version: np.ndarray
    time_us: np.ndarray
    payload: pa.Array


def bronze_table(rng: np.random.Generator, events: Events, topic: str, mix: Mix) -> pa.Table:
    """BRONZE rows in load order, with duplicate deliveries, replays and late arrivals."""
    time_us, version = events.time_us, events.version
    count = len(time_us)
    received = time_us + rng.integers(50_000, 1_000_000, count)
    late = rng.random(count) < mix.late_rate
    received += np.where(late, rng.integers(26 * HOUR_US, 72 * HOUR_US, count), 0)
    ingested = received + rng.integers(500_000, 5_000_000, count)
    dup = np.flatnonzero(rng.random(count) < mix.duplicate_rate)
    rep = np.flatnonzero(rng.random(count) < mix.replay_rate)
    rows = np.concatenate([np.arange(count), dup, rep])
    ingested = np.concatenate(
        [ingested, ingested[dup] + rng.integers(1_000_000, HOUR_US, len(dup)),
         ingested[rep] + rng.integers(HOUR_US, 30 * HOUR_US, len(rep))]
    )  # fmt: skip
    ids = uuids(rng, count)
    ids = pa.concat_arrays([ids, ids.take(dup), uuids(rng, len(rep))])
    partition = events.aggregate_index[rows] % 3
    order = np.lexsort((ingested, partition))
    offsets = np.empty(len(rows), dtype=np.int64)
    offsets[order] = np.arange(len(rows)) - np.searchsorted(partition[order], partition[order])
    timestamps = {"EVENT_TIME": time_us[rows], "RECEIVED_AT": received[rows]}
    load_order = np.argsort(ingested, kind="stable")
    table = pa.table(
        {
            "INGESTION_ID": ids,
            "EVENT_TYPE": events.event_type.take(rows),
            "AGGREGATE_ID": events.aggregate.take(rows),
            "AGGREGATE_VERSION": pa.array(version[rows], pa.int64()),
            "EVENT_TIME": pa.array(timestamps["EVENT_TIME"], pa.timestamp("us")),
            "EVENT_DATE": pa.array((time_us[rows] // (24 * HOUR_US)).astype(np.int32), pa.date32()),
            "RECEIVED_AT": pa.array(timestamps["RECEIVED_AT"], pa.timestamp("us")),
            "SCHEMA_VERSION": pa.array(np.ones(len(rows), dtype=np.int64)),
            "PAYLOAD": events.payload.take(rows),
            "SOURCE_TOPIC": pa.array([topic] * len(rows)),
            "SOURCE_PARTITION": pa.array(partition, pa.int64()),
            "SOURCE_OFFSET": pa.array(offsets),
            "INGESTED_AT": pa.array(ingested, pa.timestamp("us")),
        }
    )
    return table.take(load_order)
