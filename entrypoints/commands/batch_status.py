"""The rich table of `flowguard batch status`."""

from collections.abc import Mapping
from datetime import date

from rich.table import Table

from pipelines.tasks.status import BUILT, COLUMNS, FAILED, STALE, TaskState

_STYLE = {BUILT: "green", STALE: "yellow", FAILED: "bold red"}


def status_table(states: Mapping[date, Mapping[str, TaskState]]) -> Table:
    table = Table(title="FlowGuard batch: tasks per day (duration of the last run)")
    table.add_column("day")
    for title, _, _ in COLUMNS:
        table.add_column(title)
    for day in sorted(states, reverse=True):
        table.add_row(day.isoformat(), *(_cell(states[day][title]) for title, _, _ in COLUMNS))
    return table


def _cell(state: TaskState) -> str:
    style = _STYLE.get(state.state, "dim")
    duration = f" {state.duration_s:.1f}s" if state.duration_s is not None else ""
    return f"[{style}]{state.state}{duration}[/]"
