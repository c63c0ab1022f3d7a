"""Worker processes under luigid: the task events they print come back as tasks, and the
embedded warehouse, which one process holds, is refused before any process starts."""

from datetime import date
from pathlib import Path

from pipelines.jobs.lake import Lake
from pipelines.tasks import context
from pipelines.tasks.context import BatchContext
from pipelines.tasks.day import GoldTable, PublishedDay
from pipelines.tasks.runner import EVENT_PREFIX, _relay_events, run_days, task_event
from tests.unit.pipelines.fakes import FakeTables

D = date(2026, 11, 20)


def _never_spark() -> object:
    raise AssertionError("no Spark here")


def _install(root: Path, shared: bool) -> None:
    context.install(
        BatchContext(Lake(root), FakeTables(), None, _never_spark, shared_warehouse=shared)  # type: ignore[arg-type]
    )


def test_the_embedded_warehouse_is_refused_for_worker_processes_by_name(tmp_path: Path) -> None:
    _install(tmp_path, shared=False)

    result = run_days([D], workers=2, scheduler_url="http://127.0.0.1:1/")

    assert not result.succeeded
    assert result.pending == [D]
    (reason,) = result.failed_tasks
    assert "FLOWGUARD_WAREHOUSE=fakesnow" in reason
    assert not (tmp_path / "_markers").exists()


def test_a_worker_process_event_comes_back_as_its_task(tmp_path: Path) -> None:
    published = PublishedDay(day=D)
    published.restated = 4
    lines = [
        task_event(GoldTable(day=D, table="GOLD.DAILY_GMV_METRICS"), "failure") + "\n",
        "a line of some library's own output\n",
        task_event(published, "success") + "\n",
    ]
    seen: list[tuple[str, str, int]] = []
    failed: list[str] = []

    _relay_events(iter(lines), lambda t, o: seen.append((t.task_id, o, t.restated)), failed)

    gold = GoldTable(day=D, table="GOLD.DAILY_GMV_METRICS")
    assert seen == [(gold.task_id, "failure", 0), (published.task_id, "success", 4)]
    assert failed == [gold.task_id]
    assert all(line.startswith(EVENT_PREFIX) for line in (lines[0], lines[2]))
