"""Extract job: the BRONZE rows day D needs, from the warehouse into the lake, and the input
fingerprint that decides whether D's outputs are still current."""

from datetime import date, timedelta
from typing import Any

from pipelines.jobs.lake import Lake
from pipelines.jobs.result import JobResult
from pipelines.jobs.tables import Tables
from pipelines.transforms.schemas import LOOKAHEAD_DAYS

BRONZE_SOURCES = ("ORDERS_RAW", "CLICKS_RAW")


def extraction_window(source: str, day: date) -> tuple[date, date]:
    """EVENT_DATE range read for day D (docs/metrics.md): orders D..D+1, so lifecycle events
    after midnight reach D's orders; clicks only D, as every click counts on its own day."""
    if source == "ORDERS_RAW":
        return day, day + timedelta(days=LOOKAHEAD_DAYS)
    return day, day


def input_fingerprint(tables: Tables, day: date) -> dict[str, dict[str, Any]]:
    """Row count and newest INGESTED_AT of every window: a late row changes one or both."""
    fingerprint = {}
    for source in BRONZE_SOURCES:
        start, end = extraction_window(source, day)
        stats = tables.bronze_stats(source, start, end)
        newest = stats.max_ingested_at.isoformat() if stats.max_ingested_at else None
        fingerprint[source] = {
            "start": start.isoformat(),
            "end": end.isoformat(),
            "rows": stats.rows,
            "max_ingested_at": newest,
        }
    return fingerprint


def extract_day(tables: Tables, lake: Lake, day: date) -> JobResult:
    """Copy each window to `bronze/<source>/day=D` (replacing it); returns rows copied."""
    copied = 0
    for source in BRONZE_SOURCES:
        rows = tables.bronze_window(source, *extraction_window(source, day))
        lake.write_arrow(f"BRONZE.{source}", day, rows)
        copied += rows.num_rows
    return JobResult(rows_in=copied, rows_out=copied)
