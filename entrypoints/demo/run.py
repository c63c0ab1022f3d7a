"""The demo, step by step: serve, simulate, stream to BRONZE, build GOLD, report, reconcile."""

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from entrypoints.demo.builder import SUCCEEDED, TASKS_PER_DAY, Builder
from entrypoints.demo.ledger import StoreFacts, read_store, reconcile
from entrypoints.demo.quality import quality_figures
from entrypoints.demo.stack import Stack
from entrypoints.demo.summary import print_gold, print_quality, print_reconciliation
from entrypoints.demo.traffic import drive_in_child
from entrypoints.report.data import ReconciledDay, ReportData, read_all_gold
from entrypoints.report.html import write_report
from entrypoints.simulator.outcome import SendOutcome
from entrypoints.simulator.plan import TrafficConfig
from entrypoints.web.gold import count
from pipelines.tasks import context

STREAM_TIMEOUT = 300.0
CATCH_UP_S = 15.0


@dataclass
class DemoResult:
    days: list[date]
    gold: dict[str, list[dict[str, Any]]]
    reconciliation: list[ReconciledDay]
    report: Path
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return bool(self.reconciliation) and all(day.matches for day in self.reconciliation)


def _progress(console: Console) -> Progress:
    columns = (
        TextColumn("{task.description:<34}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    return Progress(*columns, console=console)


def run_demo(
    container: Any, traffic: TrafficConfig, console: Console, report: Path, stack: Stack
) -> DemoResult:
    """Everything the demo does with a started `stack`; the caller stops it."""
    days = [traffic.first_day() + timedelta(days=n) for n in range(traffic.days)]
    seconds: dict[str, float] = {}
    _warm_spark(container)
    builder = stack.builder or Builder(container).start()
    try:
        with _progress(console) as progress:
            started = time.monotonic()
            early = _EarlyBuilds(container, builder, days, progress)
            outcome = _simulate(stack.url, traffic, progress, early.day_sent)
            seconds["simulate"] = time.monotonic() - started
            facts = read_store(container.flowguard_app(), early.settled())
            _stream(container.warehouse_connect(), facts.published_total(), progress)
            seconds["stream"] = time.monotonic() - started - seconds["simulate"]
            early.finish()
            seconds["pipeline"] = time.monotonic() - started - sum(seconds.values())
    finally:
        if builder is not stack.builder:
            builder.stop()
    return _conclude(
        container, days, outcome, facts, console=console, report=report, seconds=seconds,
        traffic=traffic,
    )  # fmt: skip


def _simulate(
    url: str, traffic: TrafficConfig, progress: Progress, day_sent: Callable[[date], None]
) -> SendOutcome:
    tasks: dict[date, Any] = {}

    def planned(totals: list[tuple[date, int]]) -> None:
        for day, total in totals:
            tasks[day] = progress.add_task(f"simulate {day} via HTTP", total=total)

    outcome, errors = drive_in_child(
        url, traffic, planned, lambda day, n: progress.advance(tasks[day], n), day_sent
    )
    if errors:
        raise RuntimeError("the API answered unexpectedly:\n" + "\n".join(errors))
    return outcome


def _stream(connect: Any, published: int, progress: Progress) -> None:
    """Wait until BRONZE holds every event the store has published (relay + consumer run)."""
    task = progress.add_task("stream event store -> BRONZE", total=published)
    deadline = time.monotonic() + STREAM_TIMEOUT
    while (rows := _bronze_rows(connect)) < published:
        progress.update(task, completed=rows)
        if time.monotonic() > deadline:
            raise TimeoutError(
                f"BRONZE has {rows} of {published} events after {STREAM_TIMEOUT:.0f}s"
            )
        time.sleep(0.5)
    progress.update(task, completed=rows)


def _bronze_rows(connect: Any) -> int:
    try:
        return count(connect, "BRONZE.ORDERS_RAW") + count(connect, "BRONZE.CLICKS_RAW")
    except Exception:  # the consumer creates the tables on start; until then nothing is loaded
        return 0


def _warm_spark(container: Any) -> None:
    """Start Spark's JVM while the traffic is sent: the build then finds it running."""
    context.use_container(container)
    spark = context.current().spark
    threading.Thread(target=spark, name="flowguard-spark-start", daemon=True).start()


class _EarlyBuilds:
    """Builds each day as soon as all its events are in BRONZE, while the next days are still
    being sent: the first (cold) Spark build overlaps the simulation instead of following it.

    A day is complete once the next day's traffic is sent (late uploads come with it) and BRONZE
    holds every event published so far. The wait for BRONZE runs beside the simulation, never in
    its way. `finish()` builds what is left, and rebuilds whatever a late event made stale (the
    pipeline's markers decide), so the result is the same as one build."""

    def __init__(
        self, container: Any, builder: Builder, days: list[date], progress: Progress
    ) -> None:
        self.container, self.builder, self.days = container, builder, days
        self.progress = progress
        self.task: Any = None  # shown once the first build starts, below the simulation's bars
        self.builds: list[Any] = []
        # Read on as the store grows: the demo's final count continues from here.
        self.facts = StoreFacts()
        self._waits = ThreadPoolExecutor(1, thread_name_prefix="flowguard-early-builds")

    def day_sent(self, day: date) -> None:
        self._waits.submit(self._build_days_before, day)

    def settled(self) -> StoreFacts:
        """Waits for the checks still running; the store as they last read it."""
        self._waits.shutdown(wait=True)
        return self.facts

    def _build_days_before(self, day: date) -> None:
        if day == self.days[-1]:  # `finish()` follows at once, and builds them together
            return
        complete = [d for d in self.days if d < day and d not in self._submitted()]
        if complete and self._caught_up():
            self._show(None)
            self.builds.append(self.builder.submit(complete, requested_by="demo"))

    def _show(self, total: int | None) -> None:
        if self.task is None:
            self.task = self.progress.add_task("build SILVER and GOLD (Spark)", total=total)
        self.progress.update(self.task, total=total)

    def finish(self) -> None:
        total = TASKS_PER_DAY * len(self.days)
        self._show(total)
        self.builds.append(self.builder.submit(self.days, requested_by="demo"))
        for build in self.builds:
            while not build.done.wait(0.2):
                done = sum(b.completed for b in self.builds)
                self.progress.update(self.task, completed=min(done, total))
            if build.state != SUCCEEDED:
                raise RuntimeError(f"the pipeline failed: {build.failed_tasks or build.error}")
        self.progress.update(self.task, completed=total)

    def _submitted(self) -> set[date]:
        return {d for b in self.builds for d in b.days}

    def _caught_up(self) -> bool:
        """BRONZE holds every event the store has published so far. Only a guess at a day's
        completeness: `finish()` rebuilds any day a later row made stale."""
        published = read_store(self.container.flowguard_app(), self.facts).published_total()
        connect = self.container.warehouse_connect()
        deadline = time.monotonic() + CATCH_UP_S
        while _bronze_rows(connect) < published:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.5)
        return True


def _conclude(
    container: Any, days: list[date], outcome: SendOutcome, facts: StoreFacts, *,
    console: Console, report: Path, seconds: dict[str, float], traffic: TrafficConfig,
) -> DemoResult:  # fmt: skip
    connect = container.warehouse_connect()
    gold = read_all_gold(connect)
    published = sum(facts.published.values())
    quality = quality_figures(outcome, published, connect, gold, days)
    reconciliation = reconcile(facts, gold["daily_gmv_metrics"], days)
    restaurants = {shop.restaurant_id: shop.name for shop in container.catalog().restaurants()}
    print_gold(console, gold, restaurants)
    print_quality(console, quality)
    print_reconciliation(console, reconciliation)
    timing = ", ".join(f"{step} {value:.0f}s" for step, value in seconds.items())
    run_facts = {
        "seed": str(traffic.seed),
        "shoppers": str(traffic.users),
        "days": f"{days[0]} .. {days[-1]}",
        "timings": timing,
        "events published": str(published),
    }
    write_report(
        ReportData("FlowGuard demo report", gold, quality, reconciliation, run_facts, restaurants),
        report,
    )
    return DemoResult(days, gold, reconciliation, report, seconds)
