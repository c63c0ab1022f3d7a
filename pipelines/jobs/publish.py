"""Publish job: replace day D's SILVER and GOLD rows in the warehouse with the lake's, in one
transaction, and record every GOLD figure the rebuild changed in GOLD.RESTATEMENTS."""

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from pipelines.jobs.lake import Lake
from pipelines.jobs.restatements import RESTATEMENT_COLUMNS, changed_figures, render
from pipelines.jobs.result import JobResult
from pipelines.jobs.tables import DayRows, Tables
from pipelines.markers import Fingerprint, describe_change
from pipelines.transforms.schemas import GOLD_TABLES, SILVER_TABLES, TableSpec


@dataclass(frozen=True)
class InputChange:
    """The fingerprints before (None on a first build) and after: why the day was rebuilt."""

    day: date
    old: Fingerprint | None
    new: Fingerprint


def publish_day(
    tables: Tables, lake: Lake, day: date, change: InputChange, run_id: str
) -> tuple[JobResult, int]:
    """Returns the job result and the number of restated figures."""
    batches = [_day_rows(lake, spec, day) for spec in (*SILVER_TABLES, *GOLD_TABLES)]
    restated = [
        row
        for spec, batch in zip(SILVER_TABLES + GOLD_TABLES, batches, strict=True)
        if spec in GOLD_TABLES
        for row in _restatements(tables, spec, batch, change, run_id)
    ]
    restatements = DayRows("GOLD.RESTATEMENTS", "METRIC_DATE", RESTATEMENT_COLUMNS, restated)
    tables.publish(day, replace=batches, append=[restatements] if restated else [])
    rows = sum(len(batch.rows) for batch in batches)
    return JobResult(rows_in=rows, rows_out=rows), len(restated)


def _day_rows(lake: Lake, spec: TableSpec, day: date) -> DayRows:
    return DayRows(spec.name, spec.day_column, tuple(spec.columns), lake.read_rows(spec.name, day))


def _restatements(
    tables: Tables, spec: TableSpec, batch: DayRows, change: InputChange, run_id: str
) -> list[dict[str, Any]]:
    day = change.day
    old = tables.read_rows(spec.name, spec.day_column, day, day)
    if not old:
        return []  # a first build restates nothing
    now = datetime.now(UTC).replace(tzinfo=None)
    cause = describe_change(change.old, change.new)
    figures = [column for column in spec.columns if column != spec.day_column]
    changes = changed_figures(spec.key, figures, old, batch.rows)
    return [
        dict(
            zip(
                RESTATEMENT_COLUMNS,
                (spec.name, day, row_key, column, render(before), render(after), now, run_id,
                 _json(change.old), _json(change.new), cause),
                strict=True,
            )
        )
        for row_key, column, before, after in changes
    ]  # fmt: skip


def _json(fingerprint: Fingerprint | None) -> str | None:
    return None if fingerprint is None else json.dumps(fingerprint, sort_keys=True, default=str)
