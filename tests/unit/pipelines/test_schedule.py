"""The daily schedule: which days to run, given the last completed day and the clock."""

from datetime import UTC, date, datetime, timedelta

from pipelines.jobs.schedule import days_to_run, due_day, next_run


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def test_after_one_am_yesterday_is_due() -> None:
    assert due_day(datetime(2026, 11, 26, 1, 0, tzinfo=UTC)) == date(2026, 11, 25)


def test_before_one_am_the_day_before_yesterday_is_newest() -> None:
    assert due_day(datetime(2026, 11, 26, 0, 59, tzinfo=UTC)) == date(2026, 11, 24)


def test_a_naive_clock_is_read_as_utc_and_other_zones_are_converted() -> None:
    ist = datetime(2026, 11, 26, 6, 0, tzinfo=UTC).astimezone()
    assert due_day(datetime(2026, 11, 26, 2, 0)) == date(2026, 11, 25)
    assert due_day(ist) == date(2026, 11, 25)


def test_an_up_to_date_schedule_rechecks_only_the_recent_days() -> None:
    now = datetime(2026, 11, 26, 1, 5, tzinfo=UTC)
    assert days_to_run(date(2026, 11, 24), now) == _days(date(2026, 11, 23), date(2026, 11, 25))


def test_downtime_is_caught_up_from_the_day_after_the_last_completed() -> None:
    now = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
    days = days_to_run(date(2026, 11, 10), now)
    assert days == _days(date(2026, 11, 11), date(2026, 11, 25))


def test_catch_up_is_capped() -> None:
    now = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
    days = days_to_run(date(2020, 1, 1), now, max_catch_up=5)
    assert days == _days(date(2026, 11, 21), date(2026, 11, 25))


def test_a_first_start_builds_the_recheck_window() -> None:
    now = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
    assert days_to_run(None, now, recheck_days=2) == [date(2026, 11, 24), date(2026, 11, 25)]


def test_next_run_is_today_at_one_before_it_and_tomorrow_after() -> None:
    assert next_run(datetime(2026, 11, 26, 0, 30, tzinfo=UTC)) == datetime(
        2026, 11, 26, 1, 0, tzinfo=UTC
    )
    assert next_run(datetime(2026, 11, 26, 1, 0, tzinfo=UTC)) == datetime(
        2026, 11, 27, 1, 0, tzinfo=UTC
    )
