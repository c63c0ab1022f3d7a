"""The rich table of `flowguard batch status`."""

from collections.abc import Mapping
from datetime import date

from rich import box
from rich.table import Table

from pipelines.tasks.status import BUILT, COLUMNS, FAILED, STALE, TaskState

_STYLE = {BUILT: "green", STALE: "yellow", FAILED: "bold red"}
_LABEL = {BUILT: "ok", STALE: "stale", FAILED: "FAILED"}


def status_table(states: Mapping[date, Mapping[str, TaskState]]) -> Table:
    title = "batch tasks per day: ok / stale / FAILED / - (missing), last run time"
    # Compact, so the nine columns fit an 80-column terminal.
    table = Table(title=title, box=box.SIMPLE_HEAD, padding=0, pad_edge=False)
    table.add_column("day", no_wrap=True)
    for title, _, _ in COLUMNS:
        table.add_column(title, no_wrap=True)
    for day in sorted(states, reverse=True):
        table.add_row(day.isoformat(), *(_cell(states[day][title]) for title, _, _ in COLUMNS))
    return table


def _cell(state: TaskState) -> str:
    style = _STYLE.get(state.state, "dim")
    duration = f" {state.duration_s:.0f}s" if state.duration_s is not None else ""
    return f"[{style}]{_LABEL.get(state.state, '-')}{duration}[/]"
