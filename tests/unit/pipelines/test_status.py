"""`batch status`: a task is built, stale, failed or missing."""

from datetime import datetime

from pipelines.tasks.status import BUILT, FAILED, MISSING, STALE, _state

FP = {"ORDERS_RAW": {"rows": 3}}
WRITTEN = "2026-11-21T01:10:00+00:00"


def _marker(status: str = "complete", fingerprint: dict = FP) -> dict:
    return {"status": status, "fingerprint": fingerprint, "written_at": WRITTEN}


def _run(status: str, started: datetime) -> dict:
    return {"STATUS": status, "DURATION_S": 2.5, "ERROR": "boom", "STARTED_AT": started}


def test_a_current_marker_is_built_with_the_last_duration() -> None:
    state = _state(_marker(), _run("success", datetime(2026, 11, 21, 1, 9)), FP)
    assert (state.state, state.duration_s) == (BUILT, 2.5)


def test_a_marker_of_other_input_or_invalidated_is_stale() -> None:
    assert _state(_marker(fingerprint={"ORDERS_RAW": {"rows": 2}}), None, FP).state == STALE
    assert _state(_marker(status="invalidated"), None, FP).state == STALE


def test_a_failure_after_the_last_build_is_failed() -> None:
    state = _state(_marker(status="invalidated"), _run("failed", datetime(2026, 11, 22)), FP)
    assert (state.state, state.error) == (FAILED, "boom")
    assert _state(None, _run("failed", datetime(2026, 11, 22)), FP).state == FAILED


def test_a_failure_before_a_later_successful_build_is_history() -> None:
    assert _state(_marker(), _run("failed", datetime(2026, 11, 21, 0, 0)), FP).state == BUILT


def test_no_marker_and_no_run_is_missing() -> None:
    assert _state(None, None, FP).state == MISSING
