"""Seasonality of demand: a lunch and a dinner peak within the day, busier weekends."""

import random
from datetime import UTC, date, datetime, time, timedelta

# Relative demand per UTC hour: quiet nights, a lunch peak at 12-14 and a dinner peak at 19-21.
HOURLY_WEIGHTS = (
    1, 1, 1, 1, 1, 2, 3, 5, 6, 6, 7, 10,
    16, 18, 12, 7, 6, 7, 10, 16, 20, 17, 9, 4,
)  # fmt: skip
WEEKDAY_FACTOR = (0.9, 0.9, 0.95, 1.0, 1.15, 1.3, 1.25)  # Monday .. Sunday
# Keep device-reported times this far from an hour boundary, so the few milliseconds of network
# latency left after clock-skew correction can never move an event into another hour or day.
BOUNDARY_MARGIN = timedelta(seconds=30)


def sessions_on(day: date, users: int, rng: random.Random) -> int:
    """How many sessions a day brings: about half the users, shaped by the weekday."""
    expected = users * 0.5 * WEEKDAY_FACTOR[day.weekday()]
    return max(1, round(rng.gauss(expected, expected**0.5)))


def session_start(day: date, rng: random.Random) -> datetime:
    hour = rng.choices(range(24), weights=HOURLY_WEIGHTS)[0]
    second = rng.randrange(3600)
    midnight = datetime.combine(day, time(0), tzinfo=UTC)
    return midnight + timedelta(hours=hour, seconds=second)


def clear_of_hour_boundary(moment: datetime) -> bool:
    into_hour = timedelta(
        minutes=moment.minute, seconds=moment.second, microseconds=moment.microsecond
    )
    return BOUNDARY_MARGIN <= into_hour <= timedelta(hours=1) - BOUNDARY_MARGIN
