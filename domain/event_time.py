"""The event-time rule: when a fact happened, corrected for the device's clock skew.

See docs/event-time.md. Pure functions; every datetime must be timezone-aware.
"""

from datetime import UTC, datetime, timedelta

from domain.errors import FieldError

MAX_FUTURE = timedelta(minutes=5)
# No device clock is outside these; they also keep the skew arithmetic in the calendar's range.
EARLIEST, LATEST = datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC)
RANGE_REASON = "must be between 2000-01-01 and 2100-01-01 (UTC)"


def event_time(
    received_at: datetime, occurred_at: datetime | None = None, sent_at: datetime | None = None
) -> datetime:
    """`received_at - (sent_at - occurred_at)` when both client times are given (the delay
    measured on the device's own clock, so its offset cancels out); else `occurred_at`;
    else `received_at`. The result is UTC."""
    if occurred_at is not None and sent_at is not None:
        return (received_at - (sent_at - occurred_at)).astimezone(UTC)
    return (occurred_at or received_at).astimezone(UTC)


def checked_event_time(
    received_at: datetime, occurred_at: datetime | None, sent_at: datetime | None
) -> datetime | FieldError:
    """`event_time`, or the error that rejects it. The corrected time obeys the same bounds as
    the client's inputs, and is never more than five minutes ahead of the server."""
    field = "occurred_at" if sent_at is None else "sent_at"
    try:
        when = event_time(received_at, occurred_at, sent_at)
    except OverflowError:
        return FieldError(field, "clock-skew correction is out of range")
    if not EARLIEST <= when < LATEST:
        return FieldError(field, f"gives an event time that {RANGE_REASON}")
    return future_error(when, received_at) or when


def future_error(
    when: datetime, received_at: datetime, field: str = "occurred_at"
) -> FieldError | None:
    """Late events are accepted; events more than five minutes ahead of the server are not."""
    if when - received_at > MAX_FUTURE:
        return FieldError(field, "is more than 5 minutes in the future")
    return None


def naive_error(values: dict[str, datetime | None]) -> list[FieldError]:
    """Naive datetimes are ambiguous: reject rather than guess a zone."""
    return [
        FieldError(name, "must include a timezone")
        for name, value in values.items()
        if value is not None and value.tzinfo is None
    ]
