"""The run log: one GOLD.PIPELINE_RUNS row per task run, successful or failed."""

import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from pipelines.jobs.result import JobResult
from pipelines.jobs.tables import DayRows, Tables
from pipelines.markers import Fingerprint, digest

RUN_COLUMNS = (
    "RUN_ID", "TASK", "TABLE_NAME", "METRIC_DATE", "STARTED_AT", "ENDED_AT", "DURATION_S",
    "ROWS_IN", "ROWS_OUT", "STATUS", "ERROR", "FINGERPRINT",
)  # fmt: skip
log = logging.getLogger(__name__)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass
class Run:
    """Filled in by the task while it runs; recorded when it ends."""

    task: str
    table: str | None
    day: date
    run_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    started_at: datetime = field(default_factory=_now)
    result: JobResult | None = None
    fingerprint: Fingerprint | None = None


@contextmanager
def recorded(tables: Tables, run: Run) -> Iterator[Run]:
    """Record the run as `success`, or as `failed` with the error, which is then re-raised."""
    try:
        yield run
    except BaseException as error:
        _record(tables, run, "failed", f"{type(error).__name__}: {error}"[:2000])
        raise
    _record(tables, run, "success", None)


def _record(tables: Tables, run: Run, status: str, error: str | None) -> None:
    ended = _now()
    result = run.result or JobResult(0, 0)
    values = (
        run.run_id, run.task, run.table, run.day, run.started_at, ended,
        (ended - run.started_at).total_seconds(), result.rows_in, result.rows_out, status, error,
        digest(run.fingerprint) if run.fingerprint else None,
    )  # fmt: skip
    row = dict(zip(RUN_COLUMNS, values, strict=True))
    try:
        tables.append(DayRows("GOLD.PIPELINE_RUNS", "METRIC_DATE", RUN_COLUMNS, [row]))
    except Exception:
        # The log must never hide the task's own outcome (e.g. a warehouse outage).
        log.exception("could not record run %s of %s for %s", run.run_id, run.task, run.day)
