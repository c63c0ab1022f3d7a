"""`flowguard batch run|backfill|schedule|status`: the daily Luigi pipeline from the shell.

While `flowguard up` serves the same data directory, `run`, `backfill` and `status` ask it (see
`builds.py`); otherwise they build here. Heavy imports stay inside the commands."""

import json
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any

import typer

from entrypoints.commands.errors import Refusal

batch_app = typer.Typer(
    help="Daily SILVER/GOLD pipeline (Luigi + PySpark).", no_args_is_help=True,
    rich_markup_mode=None,
)  # fmt: skip

SchedulerUrl = Annotated[
    str | None,
    typer.Option(help="luigid URL (e.g. http://localhost:8082); default: local scheduler."),
]
Workers = Annotated[int, typer.Option(min=1, help="Days built in parallel (threads).")]
Force = Annotated[bool, typer.Option(help="Rebuild even when the markers are current.")]
Json = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
Day = Annotated[datetime, typer.Option(formats=["%Y-%m-%d"])]


def _today() -> date:
    return datetime.now(UTC).date()


@batch_app.command()
def run(
    day: Annotated[
        datetime | None,
        typer.Option("--date", formats=["%Y-%m-%d"], help="Default: yesterday UTC."),
    ] = None,
    scheduler_url: SchedulerUrl = None,
    force: Force = False,
) -> None:
    """Build one day (extract, SILVER, GOLD, publish) if it is missing or stale."""
    _build([day.date() if day else _today() - timedelta(days=1)], 1, scheduler_url, force)


@batch_app.command()
def backfill(
    start: Day, end: Day, workers: Workers = 1, scheduler_url: SchedulerUrl = None,
    force: Force = False,
) -> None:  # fmt: skip
    """Build the missing or stale days of [START, END]; current days are skipped."""
    first, last = start.date(), end.date()
    if last < first:
        raise typer.BadParameter("--end is before --start")
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    _build(days, workers, scheduler_url, force)


@batch_app.command()
def schedule(
    workers: Workers = 1,
    scheduler_url: SchedulerUrl = None,
    once: Annotated[bool, typer.Option(help="Catch up once and exit.")] = False,
) -> None:
    """Run daily at 01:00 UTC; on start, catch up the days missed while it was down."""
    from entrypoints.commands.batch_schedule import run_schedule
    from entrypoints.commands.preflight import nobody_else_serves
    from entrypoints.settings import load_settings

    nobody_else_serves(load_settings().data_dir, "it already runs the daily schedule")
    run_schedule(workers, scheduler_url, once)


@batch_app.command()
def status(
    days: Annotated[int, typer.Option(min=1, help="How many days back, today included.")] = 8,
    as_json: Json = False,
) -> None:
    """Per day: which tables are built, stale, failed or missing, and how long each took."""
    from entrypoints.commands.batch_status import failures, status_table
    from entrypoints.commands.builds import builds

    with builds() as where:
        answer = where.status(days)
    if as_json:
        typer.echo(json.dumps(answer, indent=2))
        return
    console = _console()
    console.print(status_table(answer["days"]))
    if answer.get("building"):
        build = answer["building"]
        console.print(f"building now: {', '.join(build['days'])} ({_fraction(build)} tasks)")
    for line in failures(answer["days"]):
        console.print(f"[red]{line}[/]")


def _build(days: list[date], workers: int, scheduler_url: str | None, force: bool) -> None:
    from entrypoints.commands.builds import builds, follow

    console = _console()
    _say_unfinished(console, days)
    with builds(workers, scheduler_url) as where, _progress(console) as (bar, task):
        build = where.submit(days, force)
        if where.where != "this process":
            console.print(f"building in {where.where} (its workers and scheduler)")
        final = follow(where, build, lambda b: _show(bar, task, b))
        _show(bar, task, final)
    _conclude(console, final)


def _say_unfinished(console: Any, days: list[date]) -> None:
    unfinished = [day.isoformat() for day in days if day >= _today()]
    if unfinished:
        console.print(
            f"[yellow]{', '.join(unfinished)} is not over (UTC):[/] its GOLD counts the events "
            "so far and becomes stale as more arrive; the daily run rebuilds it after 01:00 UTC."
        )


def _progress(console: Any) -> Any:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
    from rich.progress import TimeElapsedColumn as Elapsed

    columns = (
        TextColumn("{task.description:<36.36}"),
        BarColumn(),
        MofNCompleteColumn(),
        Elapsed(),
    )
    progress = Progress(*columns, console=console)

    class _Bar:
        def __enter__(self) -> tuple[Any, Any]:
            progress.__enter__()
            return progress, progress.add_task("checking what is stale", total=None)

        def __exit__(self, *exc: object) -> None:
            progress.__exit__(*exc)  # type: ignore[arg-type]

    return _Bar()


def _show(bar: Any, task: Any, build: dict[str, Any]) -> None:
    described = build["last_task"] or ("queued" if build["state"] == "queued" else "starting")
    total = build["total"] if build["state"] != "queued" else None
    bar.update(task, total=total, completed=build["completed"], description=described)


def _conclude(console: Any, build: dict[str, Any]) -> None:
    current = len(build["days"]) - len(build["pending"])
    console.print(f"built {len(build['pending'])} day(s), {current} already current")
    if build["restated"]:
        console.print(f"[yellow]{build['restated']} GOLD figure(s) restated[/] (GOLD.RESTATEMENTS)")
    if build["state"] != "succeeded":
        failed = ", ".join(build["failed_tasks"]) or build["error"] or "see the log"
        raise Refusal(f"the build failed: {failed}; `flowguard batch status` shows each task")


def _fraction(build: dict[str, Any]) -> str:
    return f"{build['completed']}/{build['total']}"


def _console() -> Any:
    from rich.console import Console

    return Console()


def register(app: typer.Typer) -> None:
    """Attach this module's commands to the root app."""
    app.add_typer(batch_app, name="batch")
