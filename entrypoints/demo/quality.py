"""The data-quality panel: duplicates caught and records refused, stage by stage."""

from typing import Any

from entrypoints.report.data import QualityFigure
from entrypoints.simulator.outcome import SendOutcome
from entrypoints.web.gold import Connect, count

API, BRONZE, SILVER = "API (event store)", "BRONZE", "SILVER/GOLD"


def quality_figures(
    outcome: SendOutcome, published: int, connect: Connect, gold: dict[str, list[dict[str, Any]]]
) -> list[QualityFigure]:
    sent = outcome.counts
    bronze = count(connect, "BRONZE.ORDERS_RAW") + count(connect, "BRONZE.CLICKS_RAW")
    invalid_orders = _sum(gold, "daily_gmv_metrics", "INVALID_ORDERS")
    invalid_clicks = _sum(gold, "user_funnel_metrics", "INVALID_CLICKS")
    figures = (
        (API, "click retries stored once (duplicates caught)", sent["clicks.duplicates"]),
        (API, "order retries answered with the original receipt", sent["orders.replayed"]),
        (API, "invalid click events rejected, kept as failed events", sent["clicks.rejected"]),
        (API, "invalid orders rejected (422)", sent["orders.rejected"]),
        (API, "illegal status changes refused (409)", sent["status.refused"]),
        (API, "overload/network retries by the client", outcome.transport_retries),
        (BRONZE, "events published by the relay", published),
        (BRONZE, "rows in BRONZE (unique on INGESTION_ID)", bronze),
        (BRONZE, "dead letters (BRONZE.FAILED_EVENTS)", count(connect, "BRONZE.FAILED_EVENTS")),
        (SILVER, "invalid orders kept out of GOLD", invalid_orders),
        (SILVER, "invalid click events kept out of GOLD", invalid_clicks),
    )
    return [QualityFigure(*figure) for figure in figures]


def _sum(gold: dict[str, list[dict[str, Any]]], table: str, column: str) -> int:
    return int(sum(row.get(column) or 0 for row in gold.get(table, [])))
