"""Reads GOLD (docs/metrics.md) and BRONZE counts from the warehouse for pages and reports."""

from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

Connect = Callable[[], Any]

# Table (lowercase, as in URLs) -> ORDER BY. Names come only from this map, never from input.
GOLD_TABLES = {
    "daily_gmv_metrics": "METRIC_DATE",
    "hourly_order_patterns": "METRIC_DATE, ORDER_HOUR",
    "user_funnel_metrics": "METRIC_DATE",
    "food_item_performance": "METRIC_DATE, REVENUE DESC, ITEM_ID",
    "user_cohort_metrics": "METRIC_DATE, COHORT_DATE",
}


def read_gold(
    connect: Connect, table: str, day: date | None = None, limit: int = 1000
) -> list[dict[str, Any]]:
    """Rows of one GOLD table, for one `METRIC_DATE` or for all days, as JSON-ready dicts."""
    order = GOLD_TABLES[table]
    where = "WHERE METRIC_DATE = %s " if day else ""
    sql = f"SELECT * FROM GOLD.{table.upper()} {where}ORDER BY {order} LIMIT {int(limit)}"
    return query(connect, sql, (day.isoformat(),) if day else ())


def gold_days(connect: Connect) -> list[str]:
    rows = query(connect, "SELECT DISTINCT METRIC_DATE FROM GOLD.DAILY_GMV_METRICS ORDER BY 1")
    return [row["METRIC_DATE"] for row in rows]


def partial_days(connect: Connect) -> list[str]:
    """Built days whose last publish ran before the day was over: GOLD holds part of them."""
    sql = (
        "SELECT METRIC_DATE, MAX(STARTED_AT) AS BUILT FROM GOLD.PIPELINE_RUNS "
        "WHERE TASK = 'PublishedDay' AND STATUS = 'success' GROUP BY METRIC_DATE"
    )
    partial = []
    for row in query(connect, sql):
        day = date.fromisoformat(row["METRIC_DATE"])
        if datetime.fromisoformat(row["BUILT"]).replace(tzinfo=None) < _midnight_after(day):
            partial.append(row["METRIC_DATE"])
    return sorted(partial)


def _midnight_after(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time()) + timedelta(days=1)


def count(connect: Connect, table: str, where: str = "") -> int:
    """Rows in a warehouse table named by the caller (never by a request)."""
    rows = query(connect, f"SELECT COUNT(*) AS N FROM {table} {where}")
    return int(rows[0]["N"])


def query(connect: Connect, sql: str, params: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
    connection = connect()
    try:
        cursor = connection.cursor()
        cursor.execute(sql, params)
        names = [column[0].upper() for column in cursor.description]
        return [dict(zip(names, map(_json_ready, row), strict=True)) for row in cursor.fetchall()]
    finally:
        connection.close()


def _json_ready(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value
