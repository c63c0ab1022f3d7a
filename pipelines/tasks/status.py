"""`flowguard batch status`: per day and task, built / stale / failed / missing, and durations."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from pipelines.markers import COMPLETE, matches, read_marker
from pipelines.tasks import context

BUILT, STALE, FAILED, MISSING = "built", "stale", "failed", "missing"
# (column title, task family, table) in pipeline order.
COLUMNS: tuple[tuple[str, str, str | None], ...] = (
    ("extract", "BronzeExtract", None),
    ("silver", "SilverTables", None),
    ("gmv", "GoldTable", "GOLD.DAILY_GMV_METRICS"),
    ("items", "GoldTable", "GOLD.FOOD_ITEM_PERFORMANCE"),
    ("funnel", "GoldTable", "GOLD.USER_FUNNEL_METRICS"),
    ("hourly", "GoldTable", "GOLD.HOURLY_ORDER_PATTERNS"),
    ("cohorts", "GoldTable", "GOLD.USER_COHORT_METRICS"),
    ("publish", "PublishedDay", None),
)


@dataclass(frozen=True)
class TaskState:
    state: str
    duration_s: float | None = None
    error: str | None = None


def day_states(days: Sequence[date]) -> dict[date, dict[str, TaskState]]:
    """The state of every task of each day, from markers, fingerprints and the run log."""
    if not days:
        return {}
    runs = _latest_runs(min(days), max(days))
    with context.current().fresh_fingerprints():
        return {day: _states(day, runs) for day in days}


def _states(
    day: date, runs: dict[tuple[str, str | None, date], dict[str, Any]]
) -> dict[str, TaskState]:
    fingerprint = context.current().current_fingerprint(day)
    states = {}
    for title, family, table in COLUMNS:
        name = f"{family}-{table}" if table else family
        marker = read_marker(context.current().lake.marker(name, day))
        states[title] = _state(marker, runs.get((family, table, day)), fingerprint)
    return states


def _state(
    marker: dict[str, Any] | None, run: dict[str, Any] | None, fingerprint: dict[str, Any]
) -> TaskState:
    duration = run["DURATION_S"] if run else None
    if run and run["STATUS"] == "failed" and _after(run, marker):
        return TaskState(FAILED, duration, run["ERROR"])
    if marker is None:
        return TaskState(MISSING)
    return TaskState(BUILT if matches(marker, fingerprint) else STALE, duration)


def _after(run: dict[str, Any], marker: dict[str, Any] | None) -> bool:
    if marker is None or marker.get("status") != COMPLETE:
        return True
    written = datetime.fromisoformat(marker["written_at"]).replace(tzinfo=None)
    return bool(run["STARTED_AT"] >= written)


def _latest_runs(start: date, end: date) -> dict[tuple[str, str | None, date], dict[str, Any]]:
    rows = context.current().tables.read_rows("GOLD.PIPELINE_RUNS", "METRIC_DATE", start, end)
    latest: dict[tuple[str, str | None, date], dict[str, Any]] = {}
    for row in sorted(rows, key=lambda r: r["STARTED_AT"]):
        latest[(row["TASK"], row["TABLE_NAME"], row["METRIC_DATE"])] = row
    return latest


def last_published() -> date | None:
    """The newest day with a publish marker (current or not): where the schedule resumes."""
    root = context.current().lake.root / "_markers"
    days = [
        date.fromisoformat(path.parent.name)
        for path in root.glob("*/PublishedDay.json")
        if (read_marker(path) or {}).get("status") == COMPLETE
    ]
    return max(days, default=None)
