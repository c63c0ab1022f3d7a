"""The data-quality panel: duplicates caught and records refused, stage by stage."""

from datetime import date
from typing import Any

from entrypoints.report.data import QualityFigure
from entrypoints.simulator.outcome import SendOutcome
from entrypoints.web.gold import Connect, count, query

API, BRONZE, SILVER = "API (event store)", "BRONZE", "SILVER/GOLD"


def quality_figures(
    outcome: SendOutcome, published: int, connect: Connect, gold: dict[str, list[dict[str, Any]]],
    days: list[date],
) -> list[QualityFigure]:  # fmt: skip
    sent = outcome.counts
    invalid_orders = _sum(gold, "daily_gmv_metrics", "INVALID_ORDERS")
    invalid_clicks = _sum(gold, "user_funnel_metrics", "INVALID_CLICKS")
    bronze = count(connect, "BRONZE.ORDERS_RAW") + count(connect, "BRONZE.CLICKS_RAW")
    figures = (
        (API, "click retries stored once (duplicates caught)", sent["clicks.duplicates"]),
        (API, "order retries answered with the original receipt", sent["orders.replayed"]),
        (API, "invalid click events rejected, kept as failed events", sent["clicks.rejected"]),
        (API, "invalid orders rejected (422)", sent["orders.rejected"]),
        (API, "illegal status changes refused (409)", sent["status.refused"]),
        (API, "overload/network retries by the client", outcome.transport_retries),
        (BRONZE, "events published by the relay", published),
        (BRONZE, "rows in BRONZE", bronze),
        (BRONZE, "duplicate INGESTION_IDs in BRONZE", _duplicate_ids(connect)),
        (BRONZE, "dead letters (BRONZE.FAILED_EVENTS)", count(connect, "BRONZE.FAILED_EVENTS")),
        (SILVER, "click events removed by SILVER dedup", _silver_dedup(connect, days)),
        (SILVER, "invalid orders kept out of GOLD", invalid_orders),
        (SILVER, "invalid click events kept out of GOLD", invalid_clicks),
    )  # fmt: skip
    return [QualityFigure(*figure) for figure in figures]


def _duplicate_ids(connect: Connect) -> int:
    sql = "SELECT COUNT(*) - COUNT(DISTINCT INGESTION_ID) AS N FROM BRONZE.{}"
    return sum(int(query(connect, sql.format(t))[0]["N"]) for t in ("ORDERS_RAW", "CLICKS_RAW"))


def _silver_dedup(connect: Connect, days: list[date]) -> int:
    # Both tables are bounded to the built days; dates are ours, never a request's.
    window = f"BETWEEN '{days[0].isoformat()}' AND '{days[-1].isoformat()}'"
    raw = count(connect, "BRONZE.CLICKS_RAW", f"WHERE EVENT_DATE {window}")
    return raw - count(connect, "SILVER.CLICKS_CLEAN", f"WHERE EVENT_DATE {window}")


def _sum(gold: dict[str, list[dict[str, Any]]], table: str, column: str) -> int:
    return int(sum(row.get(column) or 0 for row in gold.get(table, [])))
