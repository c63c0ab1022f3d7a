"""`flowguard batch status` as data (JSON) and as a table that fits an 80-column terminal."""

from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any

# (column title, task family, table) in pipeline order, as pipelines/tasks/status.py has them.
TITLES = ("extract", "silver", "gmv", "items", "funnel", "hourly", "cohorts", "publish")
_STYLE = {"built": "green", "stale": "yellow", "failed": "bold red"}
_LABEL = {"built": "ok", "stale": "stale", "failed": "FAIL"}


def status_answer(builder: Any, days: int) -> dict[str, Any]:
    """`batch status` as JSON, from a builder: the last `days` days (today first), each task's
    state, and the build running now (the API's answer, and the CLI's without a running up)."""
    today = datetime.now(UTC).date()
    states, building = builder.day_states([today - timedelta(days=n) for n in range(days)])
    return {
        "today": today.isoformat(),
        "days": states_as_json(states, today),
        "building": building.as_json() if building is not None else None,
    }


def states_as_json(states: Mapping[date, Mapping[str, Any]], today: date) -> list[dict[str, Any]]:
    """Newest day first; each task's state, last duration and error."""
    return [
        {
            "day": day.isoformat(),
            "not_over": day >= today,
            "tasks": {
                title: {"state": s.state, "duration_s": s.duration_s, "error": s.error}
                for title, s in states[day].items()
            },
        }
        for day in sorted(states, reverse=True)
    ]


def status_table(days: list[dict[str, Any]]) -> Any:
    from rich.table import Table

    title = "batch tasks: ok / stale / FAIL / - missing, with run time; * today"
    # No column rules: eight columns of "FAIL 21m" and the day fit 80 columns with one space.
    table = Table(title=title, box=None, padding=(0, 1, 0, 0), pad_edge=False,
                  header_style="bold underline")  # fmt: skip
    table.add_column("day", no_wrap=True)
    for name in TITLES:
        table.add_column(name, no_wrap=True)
    for day in days:
        label = day["day"][5:] + ("*" if day["not_over"] else "")
        table.add_row(label, *(_cell(day["tasks"].get(name, {})) for name in TITLES))
    return table


def _cell(task: Mapping[str, Any]) -> str:
    state = task.get("state", "missing")
    style = _STYLE.get(state, "dim")
    seconds = task.get("duration_s")
    duration = f" {_short(seconds)}" if seconds is not None and state in ("built", "failed") else ""
    return f"[{style}]{_LABEL.get(state, '-')}{duration}[/]"


def _short(seconds: float) -> str:
    return f"{seconds:.0f}s" if seconds < 99.5 else f"{seconds / 60:.0f}m"


def failures(days: list[dict[str, Any]]) -> list[str]:
    """One line per failed task: day, task and the error's first line."""
    lines = []
    for day in days:
        for name, task in day["tasks"].items():
            if task.get("state") == "failed":
                error = str(task.get("error") or "").strip().splitlines()[:1]
                lines.append(f"{day['day']} {name}: {error[0] if error else 'see the log'}")
    return lines
