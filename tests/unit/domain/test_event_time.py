"""The event-time rule (docs/event-time.md)."""

from datetime import UTC, datetime, timedelta, timezone

import pytest

from domain.errors import FieldError
from domain.event_time import (
    EARLIEST,
    LATEST,
    checked_event_time,
    event_time,
    future_error,
    naive_error,
)

RECEIVED = datetime(2026, 11, 25, 12, 0, 0, tzinfo=UTC)


def test_skew_is_corrected_with_the_devices_own_delay() -> None:
    # The device clock is an hour fast; the event happened 3 s before the request left.
    occurred = datetime(2026, 11, 25, 13, 0, 0, tzinfo=UTC)
    sent = occurred + timedelta(seconds=3)
    assert event_time(RECEIVED, occurred, sent) == RECEIVED - timedelta(seconds=3)


def test_occurred_at_alone_is_taken_as_is() -> None:
    occurred = RECEIVED - timedelta(hours=2)
    assert event_time(RECEIVED, occurred, None) == occurred


def test_received_at_is_the_fallback() -> None:
    assert event_time(RECEIVED) == RECEIVED
    assert event_time(RECEIVED, None, RECEIVED) == RECEIVED


def test_result_is_utc() -> None:
    ist = timezone(timedelta(hours=5, minutes=30))
    result = event_time(RECEIVED, datetime(2026, 11, 25, 17, 0, tzinfo=ist))
    assert result.utcoffset() == timedelta(0)
    assert result == datetime(2026, 11, 25, 11, 30, tzinfo=UTC)


def test_more_than_five_minutes_ahead_is_rejected() -> None:
    assert future_error(RECEIVED + timedelta(minutes=5, seconds=1), RECEIVED) is not None


def test_five_minutes_ahead_and_late_events_are_accepted() -> None:
    assert future_error(RECEIVED + timedelta(minutes=5), RECEIVED) is None
    assert future_error(RECEIVED - timedelta(days=30), RECEIVED) is None


def test_naive_datetimes_are_rejected() -> None:
    errors = naive_error({"occurred_at": datetime(2026, 1, 1), "sent_at": None})
    assert [e.field for e in errors] == ["occurred_at"]


def test_a_correction_beyond_the_calendar_is_an_error_not_a_crash() -> None:
    absurd_device = datetime(1, 1, 1, tzinfo=UTC)
    result = checked_event_time(
        RECEIVED, occurred_at=absurd_device, sent_at=datetime.max.replace(tzinfo=UTC)
    )
    assert result == FieldError("sent_at", "clock-skew correction is out of range")


def test_checked_event_time_passes_good_times_and_rejects_the_future() -> None:
    assert checked_event_time(RECEIVED, None, None) == RECEIVED
    future = checked_event_time(RECEIVED, RECEIVED + timedelta(minutes=6), None)
    assert isinstance(future, FieldError)
    assert future.field == "occurred_at"


def test_a_corrected_time_in_the_past_century_is_refused() -> None:
    # Both inputs are in range, but the correction would date the event in 1926.
    occurred = datetime(2000, 1, 1, tzinfo=UTC)
    sent = datetime(2099, 12, 31, tzinfo=UTC)
    assert event_time(RECEIVED, occurred, sent).year == 1926
    result = checked_event_time(RECEIVED, occurred, sent)
    assert isinstance(result, FieldError)
    assert result.field == "sent_at"
    assert "2000-01-01" in result.reason


def test_a_corrected_time_more_than_five_minutes_ahead_is_refused() -> None:
    # The device says the event happened ten minutes after the request left it: the error
    # points at occurred_at (in range, but after sent_at).
    sent = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
    result = checked_event_time(RECEIVED, sent + timedelta(minutes=10), sent)
    assert result == FieldError("occurred_at", "is more than 5 minutes in the future")
    ok = checked_event_time(RECEIVED, sent + timedelta(minutes=5), sent)
    assert ok == RECEIVED + timedelta(minutes=5)


@pytest.mark.parametrize(
    ("occurred", "accepted"),
    [
        (EARLIEST, True),
        (EARLIEST - timedelta(microseconds=1), False),
        (LATEST - timedelta(microseconds=1), True),
        (LATEST, False),
    ],
)
def test_the_corrected_time_has_the_inputs_bounds(occurred: datetime, accepted: bool) -> None:
    # received_at far from today, so that only the range (not the future rule) decides.
    received = LATEST if occurred >= LATEST - timedelta(days=1) else RECEIVED
    result = checked_event_time(received, occurred, None)
    assert isinstance(result, datetime) is accepted
