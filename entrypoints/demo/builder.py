"""Builds days of SILVER and GOLD inside the running stack, one build at a time.

The daily schedule, the dashboard's "build now" and `flowguard batch run` (while `up` runs) all
hand their days to the one `Builder` of the process, so two builds never race on the same lake
and warehouse, and every build after the first reuses the warm Spark session."""

import itertools
import queue
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

TASKS_PER_DAY = 8  # extract, SILVER, five GOLD tables, publish
KEEP_BUILDS = 50
QUEUED, RUNNING, SUCCEEDED, FAILED = "queued", "running", "succeeded", "failed"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass
class Build:
    """One request to build `days`; its progress is read while it runs (`as_json`)."""

    id: str
    days: list[date]
    force: bool
    requested_by: str
    state: str = QUEUED
    pending: list[date] = field(default_factory=list)
    total: int = 0
    completed: int = 0
    last_task: str = ""
    failed_tasks: list[str] = field(default_factory=list)
    restated: int = 0
    error: str | None = None
    requested_at: str = field(default_factory=_now)
    ended_at: str | None = None
    done: threading.Event = field(default_factory=threading.Event, repr=False)
    due: bool = False  # the schedule's: days decided when the build starts

    def unfinished_days(self) -> list[date]:
        """Days not over yet (UTC): their GOLD will change as the day goes on."""
        today = datetime.now(UTC).date()
        return [day for day in self.days if day >= today]

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "days": [day.isoformat() for day in self.days],
            "force": self.force,
            "requested_by": self.requested_by,
            "state": self.state,
            "pending": [day.isoformat() for day in self.pending],
            "total": self.total,
            "completed": self.completed,
            "last_task": self.last_task,
            "failed_tasks": self.failed_tasks,
            "restated": self.restated,
            "error": self.error,
            "unfinished_days": [day.isoformat() for day in self.unfinished_days()],
            "requested_at": self.requested_at,
            "ended_at": self.ended_at,
        }


class Builder:
    """A thread that runs queued builds through the Luigi pipeline on `container`."""

    def __init__(self, container: Any, workers: int = 1, scheduler_url: str | None = None) -> None:
        self.container = container
        self.workers = workers
        self.scheduler_url = scheduler_url
        self._queue: queue.Queue[Build] = queue.Queue()
        self._builds: OrderedDict[str, Build] = OrderedDict()
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._busy = threading.Lock()  # held by a build, and by a status reading the markers
        self._snapshot: dict[date, Any] = {}
        self.current: Build | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="flowguard-builder", daemon=True)

    def start(self) -> "Builder":
        self._thread.start()
        return self

    def stop(self, timeout: float = 30) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def alive(self) -> bool:
        return self._thread.is_alive()

    def submit(self, days: list[date], force: bool = False, requested_by: str = "api") -> Build:
        with self._lock:
            build = Build(f"b{next(self._ids)}", sorted(set(days)), force, requested_by)
            self._builds[build.id] = build
            while len(self._builds) > KEEP_BUILDS:
                self._builds.popitem(last=False)
        self._queue.put(build)
        return build

    def submit_due(self) -> Build:
        """The daily schedule's build: the days `batch schedule` would run now (missed days and
        the last three), less the days with no BRONZE rows at all."""
        build = self.submit([], requested_by="schedule")
        build.due = True
        return build

    def get(self, build_id: str) -> Build | None:
        with self._lock:
            return self._builds.get(build_id)

    def recent(self) -> list[Build]:
        with self._lock:
            return list(reversed(self._builds.values()))

    def day_states(self, days: list[date]) -> tuple[dict[date, Any], Build | None]:
        """`flowguard batch status` for `days`, and the build running now. While a build runs,
        the states are the last ones read (the build owns the pipeline's fingerprint cache)."""
        from pipelines.tasks import context
        from pipelines.tasks.status import day_states

        if not self._busy.acquire(blocking=False):
            return {day: self._snapshot[day] for day in days if day in self._snapshot}, self.current
        try:
            context.use_container(self.container)
            states = day_states(days)
            self._snapshot.update(states)
            return states, None
        finally:
            self._busy.release()

    def _loop(self) -> None:
        _luigi_in_threads()
        while not self._stop.is_set():
            try:
                build = self._queue.get(timeout=0.5)
            except queue.Empty:
                continue
            with self._busy:
                self.current = build
                self._run(build)
                self.current = None

    def _run(self, build: Build) -> None:
        from pipelines.tasks import context
        from pipelines.tasks.runner import pending_days, run_days

        build.state = RUNNING
        try:
            context.use_container(self.container)
            if build.due:
                build.days = _due_days()
            build.pending = list(build.days) if build.force else pending_days(build.days)
            build.total = TASKS_PER_DAY * len(build.pending)
            workers = max(1, min(self.workers, len(build.pending)))
            result = run_days(
                build.days, workers, self.scheduler_url, build.force, _listener(build),
                todo=build.pending,
            )  # fmt: skip
            build.failed_tasks = result.failed_tasks
            build.state = SUCCEEDED if result.succeeded else FAILED
        except Exception as error:  # reported to whoever asked, and the builder goes on
            build.error = f"{type(error).__name__}: {error}"
            build.state = FAILED
        finally:
            build.completed = build.total if build.state == SUCCEEDED else build.completed
            build.ended_at = _now()
            build.done.set()


def _due_days() -> list[date]:
    from pipelines.jobs.schedule import days_to_run
    from pipelines.tasks import context
    from pipelines.tasks.status import last_published

    days = days_to_run(last_published(), datetime.now(UTC))
    batch = context.current()
    with batch.fresh_fingerprints():
        return [day for day in days if _has_rows(batch.current_fingerprint(day))]


def _has_rows(fingerprint: dict[str, Any]) -> bool:
    return any(window.get("rows") for window in fingerprint.values())


def _listener(build: Build) -> Any:
    def finished(task: Any, outcome: str) -> None:
        build.completed = min(build.total, build.completed + 1)
        label = getattr(task, "table_name", None) or task.task_family
        build.last_task = f"{task.day} {label} {outcome}"
        build.restated += int(getattr(task, "restated", 0) or 0)

    return finished


def _luigi_in_threads() -> None:
    # Luigi's worker installs a SIGUSR1 handler, which only the main thread may do.
    import luigi.configuration

    config = luigi.configuration.get_config()  # type: ignore[no-untyped-call]
    config.set("worker", "no_install_shutdown_handler", "true")
