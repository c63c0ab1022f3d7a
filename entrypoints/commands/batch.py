"""`flowguard batch run|backfill|schedule|status`: the daily Luigi pipeline from the shell."""

import time as clock
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from entrypoints.bootstrap import create_container
from entrypoints.commands.batch_status import status_table
from pipelines.jobs.schedule import days_to_run, next_run
from pipelines.tasks import context
from pipelines.tasks.day import DayTask
from pipelines.tasks.runner import BuildResult, run_days
from pipelines.tasks.status import day_states, last_published

batch_app = typer.Typer(help="Daily SILVER/GOLD pipeline (Luigi + PySpark).", no_args_is_help=True)
console = Console()

SchedulerUrl = Annotated[
    str | None,
    typer.Option(help="luigid URL (e.g. http://localhost:8082); default: local scheduler."),
]
Workers = Annotated[int, typer.Option(min=1, help="Days built in parallel (threads).")]
Force = Annotated[bool, typer.Option(help="Rebuild even when the markers are current.")]


def _yesterday() -> date:
    return datetime.now(UTC).date() - timedelta(days=1)


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
    _build([day.date() if day else _yesterday()], 1, scheduler_url, force)


@batch_app.command()
def backfill(
    start: Annotated[datetime, typer.Option(formats=["%Y-%m-%d"])],
    end: Annotated[datetime, typer.Option(formats=["%Y-%m-%d"])],
    workers: Workers = 1,
    scheduler_url: SchedulerUrl = None,
    force: Force = False,
) -> None:
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
    with _session():
        while True:
            days = days_to_run(last_published(), datetime.now(UTC))
            console.print(f"[bold]schedule[/]: checking {days[0]} .. {days[-1]}")
            _run_with_progress(days, workers, scheduler_url, False)
            if once:
                return
            wake = next_run(datetime.now(UTC))
            console.print(f"next run at {wake.isoformat()}")
            clock.sleep(max(0.0, (wake - datetime.now(UTC)).total_seconds()))


@batch_app.command()
def status(days: Annotated[int, typer.Option(min=1, help="How many days back.")] = 7) -> None:
    """Per day: which tables are built, stale, failed or missing, and how long each took."""
    with _session():
        newest = _yesterday()
        wanted = [newest - timedelta(days=n) for n in range(days)]
        console.print(status_table(day_states(wanted)))


def _build(days: Sequence[date], workers: int, scheduler_url: str | None, force: bool) -> None:
    with _session():
        result = _run_with_progress(days, workers, scheduler_url, force)
    if not result.succeeded:
        console.print(f"[red]failed:[/] {', '.join(result.failed_tasks) or 'see the log'}")
        raise typer.Exit(1)


def _run_with_progress(
    days: Sequence[date], workers: int, scheduler_url: str | None, force: bool
) -> BuildResult:
    restated: list[int] = []
    with _progress(restated) as listener:
        result = run_days(days, workers, scheduler_url, force, listener)
    skipped = len(result.requested) - len(result.pending)
    console.print(f"built {len(result.pending)} day(s), {skipped} already current")
    if sum(restated):
        console.print(f"[yellow]{sum(restated)} GOLD figure(s) restated[/] (GOLD.RESTATEMENTS)")
    return result


@contextmanager
def _progress(restated: list[int]) -> Iterator[Callable[[DayTask, str], None]]:
    columns = (TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}"))
    with Progress(*columns, TimeElapsedColumn(), console=console, transient=False) as bar:
        tracked = bar.add_task("batch", total=None)

        def listener(task: DayTask, outcome: str) -> None:
            label = task.table_name or task.task_family
            bar.update(tracked, advance=1, description=f"{task.day} {label} {outcome}")
            restated.append(getattr(task, "restated", 0))

        yield listener


@contextmanager
def _session() -> Iterator[None]:
    container = create_container()
    context.use_container(container)
    try:
        yield
    finally:
        container.shutdown_resources()


def register(app: typer.Typer) -> None:
    """Attach this module's commands to the root app."""
    app.add_typer(batch_app, name="batch")
