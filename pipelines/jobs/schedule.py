"""When the daily batch runs: pure functions of the clock, so catch-up is testable."""

from datetime import UTC, date, datetime, time, timedelta

RUN_AT = time(1, 0)  # 01:00 UTC: an hour for the previous day's stragglers to land in BRONZE
RECHECK_DAYS = 3  # recent days re-examined on every run, for late data and the orders lookahead
MAX_CATCH_UP_DAYS = 90


def due_day(now: datetime, run_at: time = RUN_AT) -> date:
    """The newest day that should be built by `now`: yesterday once today's run time has passed,
    the day before otherwise."""
    now = _utc(now)
    return now.date() - timedelta(days=1 if now.time() >= run_at else 2)


def days_to_run(
    last_completed: date | None,
    now: datetime,
    run_at: time = RUN_AT,
    recheck_days: int = RECHECK_DAYS,
    max_catch_up: int = MAX_CATCH_UP_DAYS,
) -> list[date]:
    """Days to hand to the pipeline, oldest first: every day missed since `last_completed` (after
    downtime, at most `max_catch_up`), plus the last `recheck_days` days, which the pipeline skips
    unless late data made them stale."""
    newest = due_day(now, run_at)
    first = newest - timedelta(days=recheck_days - 1)
    if last_completed is not None and last_completed < first:
        first = max(last_completed + timedelta(days=1), newest - timedelta(days=max_catch_up - 1))
    return [first + timedelta(days=n) for n in range((newest - first).days + 1)]


def next_run(now: datetime, run_at: time = RUN_AT) -> datetime:
    """The next time the schedule fires, strictly after `now`."""
    now = _utc(now)
    today = datetime.combine(now.date(), run_at, tzinfo=UTC)
    return today if now < today else today + timedelta(days=1)


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)
