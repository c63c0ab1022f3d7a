"""Runs days of the pipeline under Luigi: a local scheduler or a luigid, one or more workers.

Workers are threads in this process, not Luigi's forked worker processes: the embedded warehouse
(fakesnow on DuckDB) admits one process per database file, and the SparkSession's JVM gateway
does not survive a fork. Days are independent, so each worker thread gets its own share of the
days and its own Luigi worker; all of them report to the same scheduler."""

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

import luigi
from luigi.rpc import RemoteScheduler
from luigi.scheduler import Scheduler
from luigi.worker import Worker

from pipelines.markers import invalidate
from pipelines.tasks import context
from pipelines.tasks.day import DayTask, PublishedDay

# Called with (task, "success" | "failure") as each task of a run ends.
Listener = Callable[[DayTask, str], None]
_listeners: list[Listener] = []


@DayTask.event_handler(luigi.Event.SUCCESS)
def _on_success(task: DayTask) -> None:
    for listener in list(_listeners):
        listener(task, "success")


@DayTask.event_handler(luigi.Event.FAILURE)
def _on_failure(task: DayTask, _error: BaseException) -> None:
    for listener in list(_listeners):
        listener(task, "failure")


@dataclass
class BuildResult:
    requested: list[date]
    pending: list[date]
    succeeded: bool
    failed_tasks: list[str] = field(default_factory=list)


def pending_days(days: Sequence[date]) -> list[date]:
    """The days whose publish is missing or stale (RangeDaily's question)."""
    with context.fresh_fingerprints():
        return [day for day in days if not PublishedDay(day=day).complete()]


def run_days(
    days: Sequence[date],
    workers: int = 1,
    scheduler_url: str | None = None,
    force: bool = False,
    listener: Listener | None = None,
) -> BuildResult:
    """Build every missing or stale day among `days` (all of them when `force`)."""
    if force:
        for day in days:
            invalidate_day(day)
    todo = pending_days(days)
    failed: list[str] = []
    _listeners.append(_collect_failures(failed, listener))
    try:
        with context.fresh_fingerprints():
            shares = [todo[i :: max(workers, 1)] for i in range(max(workers, 1))]
            ok = _run_shares([share for share in shares if share], scheduler_url)
    finally:
        _listeners.pop()
    return BuildResult(list(days), todo, ok and not failed, failed)


def invalidate_day(day: date) -> None:
    """Mark every task of the day as to be rebuilt, keeping fingerprints for restatements."""
    directory = context.lake().markers(day)
    for marker in directory.glob("*.json") if directory.exists() else ():
        invalidate(marker)


def _collect_failures(failed: list[str], listener: Listener | None) -> Listener:
    def collect(task: DayTask, outcome: str) -> None:
        if outcome == "failure":
            failed.append(task.task_id)
        if listener is not None:
            listener(task, outcome)

    return collect


def _run_shares(shares: list[list[date]], scheduler_url: str | None) -> bool:
    # Workers are created here, in the main thread: Luigi installs signal handlers in __init__.
    workers = [_worker(scheduler_url) for _ in shares]
    outcomes = [True] * len(shares)

    def work(index: int) -> None:
        outcomes[index] = _run_worker(workers[index], shares[index])

    threads = [threading.Thread(target=work, args=(i,), daemon=True) for i in range(len(shares))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return all(outcomes)


def _worker(scheduler_url: str | None) -> Worker:
    scheduler = RemoteScheduler(scheduler_url) if scheduler_url else Scheduler()
    return Worker(scheduler=scheduler, worker_processes=1, wait_interval=0.1, wait_jitter=0.1)


def _run_worker(worker: Worker, days: Sequence[date]) -> bool:
    with worker:
        added = all([worker.add(PublishedDay(day=day)) for day in days])
        return bool(worker.run()) and added
