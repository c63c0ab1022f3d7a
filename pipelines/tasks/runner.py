"""Runs days of the pipeline under Luigi: a local scheduler or a luigid, one or more workers.

With a local scheduler, workers are threads in this process (Luigi's forked worker processes
would not do: the embedded warehouse, fakesnow on DuckDB, admits one process per database file,
and the SparkSession's JVM gateway does not survive a fork). Each thread gets its own share of
the days and its own Luigi worker.

With a central scheduler (luigid), workers are processes (`pipelines/tasks/worker.py`), on this
host or any other: each adds every day, and luigid hands each task to one worker at a time, so no
day is built twice. A worker that dies mid-task leaves the task's marker unwritten; once luigid
has noticed (its `worker_disconnect_delay`), it fails the task, and a peer adds the day again
and rebuilds it (`run_as_peer`)."""

import json
import logging
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import IO, Any

import luigi
from luigi.rpc import RemoteScheduler
from luigi.scheduler import Scheduler
from luigi.worker import Worker

from pipelines.markers import invalidate
from pipelines.tasks import context
from pipelines.tasks.day import DAY_TASKS, DayTask, PublishedDay

# Called with (task, "success" | "failure") as each task of a run ends.
Listener = Callable[[DayTask, str], None]
_listeners: list[Listener] = []
log = logging.getLogger(__name__)
# Rounds a peer worker runs: a round ends with days left only when a task failed, here or on a
# peer (a dead peer's task is failed by luigid); the next round adds those days again.
PEER_ROUNDS = 3
# One line per finished task on a worker process's stdout, for the process that started it.
EVENT_PREFIX = "flowguard-task "


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
    with context.current().fresh_fingerprints():
        return [day for day in days if not PublishedDay(day=day).complete()]


def run_days(
    days: Sequence[date],
    workers: int = 1,
    scheduler_url: str | None = None,
    force: bool = False,
    listener: Listener | None = None,
    *,
    todo: Sequence[date] | None = None,
) -> BuildResult:
    """Build every missing or stale day among `days` (all of them when `force`): in worker
    threads with the local scheduler, in `workers` processes when a luigid coordinates them.
    `todo`: the days a caller has just found pending (`pending_days`), not looked up again."""
    if force:
        for day in days:
            invalidate_day(day)
    todo = list(todo) if todo is not None else pending_days(days)
    if scheduler_url and workers > 1:
        return _run_processes(list(days), todo, workers, scheduler_url, listener)
    failed: list[str] = []
    _listeners.append(_collect_failures(failed, listener))
    try:
        with context.current().fresh_fingerprints():
            shares = [todo[i :: max(workers, 1)] for i in range(max(workers, 1))]
            ok = _run_shares([share for share in shares if share], scheduler_url)
    finally:
        _listeners.pop()
    return BuildResult(list(days), todo, ok and not failed, failed)


def run_as_peer(days: Sequence[date], scheduler_url: str, listener: Listener | None = None) -> bool:
    """Build `days` as one of several workers of a luigid; True when all of them are built.

    A round ends when nothing is left that this worker may run and no task it needs runs
    elsewhere. Days still missing then had a task fail: here (stop: the error is this
    worker's to report) or on a peer, dead or failing, whose task luigid marked failed; adding
    those days again makes it pending, and this worker rebuilds it."""
    failed: list[str] = []
    _listeners.append(_collect_failures(failed, listener))
    try:
        for _ in range(PEER_ROUNDS):
            todo = pending_days(days)
            if not todo or failed:
                break
            with context.current().fresh_fingerprints():
                _run_worker(_worker(scheduler_url, peer=True), todo)
        return not failed and not pending_days(days)
    finally:
        _listeners.pop()


class PeerWorker(Worker):
    """Stays while a task it needs runs on another worker. Luigi's worker without keep-alive
    leaves as soon as it has nothing to run, dropping the rest of a day whose last step a peer
    is still running; with keep-alive it would also wait out luigid's retry delay (15 minutes
    by default) after every failure of its own."""

    def _keep_alive(self, get_work_response: Any) -> bool:
        return bool(get_work_response.running_tasks) or bool(super()._keep_alive(get_work_response))


def invalidate_day(day: date) -> None:
    """Mark every task of the day as to be rebuilt, keeping fingerprints for restatements."""
    directory = context.current().lake.markers(day)
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


def _worker(scheduler_url: str | None, peer: bool = False) -> Worker:
    scheduler = RemoteScheduler(scheduler_url) if scheduler_url else Scheduler()
    kind = PeerWorker if peer else Worker
    return kind(scheduler=scheduler, worker_processes=1, wait_interval=0.1, wait_jitter=0.1)


def _run_worker(worker: Worker, days: Sequence[date]) -> bool:
    with worker:
        added = all([worker.add(PublishedDay(day=day)) for day in days])
        return bool(worker.run()) and added


# --- worker processes ----------------------------------------------------------------------


def _run_processes(
    days: list[date], todo: list[date], workers: int, url: str, listener: Listener | None
) -> BuildResult:
    if not todo:
        return BuildResult(days, todo, True)
    if not context.current().shared_warehouse:
        reason = (
            "several worker processes need a warehouse they can share: the embedded one "
            "(FLOWGUARD_WAREHOUSE=fakesnow) is one process's DuckDB files; use a fakesnow server "
            "or Snowflake (docs/batch.md, 'Several Luigi workers')"
        )
        return BuildResult(days, todo, False, [reason])
    command = [sys.executable, "-m", "pipelines.tasks.worker", url, *map(date.isoformat, todo)]
    failed: list[str] = []
    processes = [
        subprocess.Popen(command, stdout=subprocess.PIPE, text=True) for _ in range(workers)
    ]
    readers = [
        threading.Thread(target=_relay_events, args=(p.stdout, listener, failed), daemon=True)
        for p in processes
    ]
    for reader in readers:
        reader.start()
    codes = [process.wait() for process in processes]
    for reader in readers:
        reader.join()
    for number, code in enumerate(codes, 1):
        if code != 0:
            log.warning("worker process %d of %d exited with status %d", number, workers, code)
    left = pending_days(todo)
    failed += [f"{day}: not built (see the workers' log)" for day in left if not failed]
    return BuildResult(days, todo, not left, failed)


def _relay_events(stream: IO[str] | None, listener: Listener | None, failed: list[str]) -> None:
    """A worker process's task events, handed to this process's listener as tasks."""
    for line in stream or ():
        if not line.startswith(EVENT_PREFIX):
            sys.stdout.write(line)
            continue
        event = json.loads(line.removeprefix(EVENT_PREFIX))
        task = _task_of(event)
        if event["outcome"] == "failure":
            failed.append(task.task_id)
        if listener is not None:
            listener(task, event["outcome"])


def task_event(task: DayTask, outcome: str) -> str:
    """The line a worker process prints for a finished task."""
    event = {
        "family": task.task_family,
        "day": task.day.isoformat(),
        "table": task.table_name,
        "outcome": outcome,
        "restated": getattr(task, "restated", 0),
    }
    return EVENT_PREFIX + json.dumps(event)


def _task_of(event: dict[str, Any]) -> DayTask:
    kind = {cls.task_family: cls for cls in DAY_TASKS}[event["family"]]
    table = {"table": event["table"]} if event["table"] else {}
    task = kind(day=date.fromisoformat(event["day"]), **table)
    task.restated = event["restated"]
    return task
