"""Completion markers: atomic, fingerprinted, invalidated before a rebuild."""

import json
from pathlib import Path

from pipelines.markers import (
    describe_change,
    digest,
    invalidate,
    is_fresh,
    observe_before_publish,
    read_marker,
    write_marker,
)

FP = {"ORDERS_RAW": {"rows": 3, "max_ingested_at": "2026-11-20T10:00:00"}}
LATE = {"ORDERS_RAW": {"rows": 4, "max_ingested_at": "2026-11-22T08:00:00"}}


def test_a_marker_is_fresh_only_for_the_fingerprint_it_recorded(tmp_path: Path) -> None:
    marker = tmp_path / "m" / "task.json"
    write_marker(marker, FP, rows_out=3)
    assert is_fresh(marker, FP)
    assert not is_fresh(marker, LATE)


def test_a_missing_or_torn_marker_is_not_fresh(tmp_path: Path) -> None:
    marker = tmp_path / "task.json"
    assert not is_fresh(marker, FP)
    marker.write_text('{"status": "comp')
    assert not is_fresh(marker, FP)


def test_writing_leaves_no_temporary_file(tmp_path: Path) -> None:
    write_marker(tmp_path / "task.json", FP)
    assert [p.name for p in tmp_path.iterdir()] == ["task.json"]


def test_invalidating_keeps_the_old_fingerprint_but_makes_the_task_incomplete(
    tmp_path: Path,
) -> None:
    marker = tmp_path / "task.json"
    write_marker(marker, FP)
    invalidate(marker)
    assert not is_fresh(marker, FP)
    assert read_marker(marker)["fingerprint"] == json.loads(json.dumps(FP))


def test_invalidating_a_missing_marker_does_nothing(tmp_path: Path) -> None:
    invalidate(tmp_path / "none.json")
    assert not (tmp_path / "none.json").exists()


def test_the_change_description_names_rows_and_ingestion_times() -> None:
    cause = describe_change(FP, LATE)
    assert "ORDERS_RAW: rows 3 -> 4" in cause
    assert "2026-11-22T08:00:00" in cause
    assert describe_change(None, LATE).startswith("previous input unknown")
    assert describe_change(FP, FP) == "input unchanged (forced rebuild)"


def test_digests_are_stable_and_distinguish_fingerprints() -> None:
    assert digest(FP) == digest(json.loads(json.dumps(FP)))
    assert digest(FP) != digest(LATE)


def test_an_observer_runs_when_the_data_is_durable_and_before_the_marker_exists(
    tmp_path: Path,
) -> None:
    marker = tmp_path / "m" / "task.json"
    seen: list[tuple[Path, bool, int]] = []

    def observer(path: Path) -> None:
        pending = list(path.parent.glob(".task.json.*.tmp"))
        seen.append((path, path.exists(), len(pending)))

    remove = observe_before_publish(observer)
    try:
        write_marker(marker, FP)
        invalidate(marker)  # not a completion: not observed
    finally:
        remove()
    write_marker(marker, FP)

    assert seen == [(marker, False, 1)]
