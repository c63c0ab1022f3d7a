"""The Luigi tasks of one day: BronzeExtract -> SilverTables -> GoldTable x5 -> PublishedDay.

Each task's output is a marker file holding the BRONZE fingerprint it was built from; a task is
complete only while that fingerprint is still the warehouse's. run() only delegates to a job."""

import os
import socket
from pathlib import Path
from typing import Any

import luigi

from pipelines.jobs.extract import extract_day, input_fingerprint
from pipelines.jobs.gold import GOLD_NAMES, build_gold_day
from pipelines.jobs.publish import InputChange, publish_day
from pipelines.jobs.result import JobResult
from pipelines.jobs.silver import build_silver_day
from pipelines.markers import Fingerprint, invalidate, is_fresh, read_marker, write_marker
from pipelines.tasks import context
from pipelines.tasks.context import BatchContext
from pipelines.tasks.runlog import Run, recorded

# Which process built an output, recorded in its marker: several workers may share a lake.
WORKER = f"{socket.gethostname()}:{os.getpid()}"


class DayTask(luigi.Task):
    """Marker, staleness and run log shared by every task of the day."""

    day = luigi.DateParameter()
    restated = 0  # GOLD figures a run changed (set by PublishedDay), for the caller's summary

    @property
    def priority(self) -> int:  # type: ignore[override]
        # Oldest day first: a day's first orders depend on the days before it.
        return -int(self.day.toordinal())

    @property
    def table_name(self) -> str | None:
        return None

    @property
    def ctx(self) -> BatchContext:
        """The process's dependencies, installed by the entry point (pipelines/tasks/context)."""
        return context.current()

    def marker_name(self) -> str:
        return str(self.task_family)

    def marker(self) -> Path:
        return self.ctx.lake.marker(self.marker_name(), self.day)

    def output(self) -> luigi.LocalTarget:
        return luigi.LocalTarget(str(self.marker()))

    def complete(self) -> bool:
        return is_fresh(self.marker(), self.ctx.current_fingerprint(self.day))

    def run(self) -> None:
        invalidate(self.marker())  # a crash from here on leaves the task incomplete
        run = Run(self.task_family, self.table_name, self.day)
        with recorded(self.ctx.tables, run):
            run.fingerprint = self.consumed_fingerprint()
            run.result = self.build(run)
            write_marker(
                self.marker(), run.fingerprint, run_id=run.run_id, worker=WORKER, **vars(run.result)
            )

    def consumed_fingerprint(self) -> Fingerprint:
        """The BRONZE input this output is built from: the one its requirement recorded."""
        (requirement,) = luigi.task.flatten(self.requires())[:1]
        marker = read_marker(requirement.marker()) or {}
        return marker["fingerprint"]  # type: ignore[no-any-return]

    def build(self, run: Run) -> JobResult:
        raise NotImplementedError


class BronzeExtract(DayTask):
    def consumed_fingerprint(self) -> Fingerprint:
        # Measured before copying: rows landing during the copy make the next check stale.
        ctx = self.ctx
        fingerprint = input_fingerprint(ctx.tables, self.day)
        ctx.remember_fingerprint(self.day, fingerprint)
        return fingerprint

    def build(self, run: Run) -> JobResult:
        return extract_day(self.ctx.tables, self.ctx.lake, self.day)


class SilverTables(DayTask):
    def requires(self) -> BronzeExtract:
        return BronzeExtract(day=self.day)

    def build(self, run: Run) -> JobResult:
        ctx = self.ctx
        return build_silver_day(ctx.spark(), ctx.lake, ctx.catalog_rows, self.day)


class GoldTable(DayTask):
    table = luigi.ChoiceParameter(choices=GOLD_NAMES)

    @property
    def table_name(self) -> str | None:
        return str(self.table)

    def marker_name(self) -> str:
        return f"GoldTable-{self.table}"

    def requires(self) -> SilverTables:
        return SilverTables(day=self.day)

    def build(self, run: Run) -> JobResult:
        ctx = self.ctx
        return build_gold_day(ctx.spark(), ctx.lake, str(self.table), self.day)


class PublishedDay(DayTask):
    """SILVER and GOLD of the day in the warehouse; the day's last task."""

    def requires(self) -> list[GoldTable]:
        return [GoldTable(day=self.day, table=name) for name in GOLD_NAMES]

    def build(self, run: Run) -> JobResult:
        previous: dict[str, Any] = read_marker(self.marker()) or {}
        change = InputChange(self.day, old=previous.get("fingerprint"), new=run.fingerprint or {})
        result, self.restated = publish_day(
            self.ctx.tables, self.ctx.lake, self.day, change, run.run_id
        )
        return result


DAY_TASKS: tuple[type[DayTask], ...] = (BronzeExtract, SilverTables, GoldTable, PublishedDay)
