"""`flowguard batch schedule`: the daily loop in the foreground (for a supervisor; systemd users
may prefer the timer in infra/deploy/, which runs `--once`)."""

import time as clock
from datetime import UTC, datetime
from typing import Any

from rich.console import Console

from entrypoints.commands.errors import Refusal
from entrypoints.commands.noise import quiet_spark


def run_schedule(workers: int, scheduler_url: str | None, once: bool) -> None:
    from entrypoints.bootstrap import create_container
    from pipelines.jobs.schedule import days_to_run, next_run
    from pipelines.tasks import context
    from pipelines.tasks.runner import run_days
    from pipelines.tasks.status import last_published

    console = Console()
    container = create_container()
    quiet_spark(container)
    context.use_container(container)
    try:
        while True:
            days = days_to_run(last_published(), datetime.now(UTC))
            console.print(f"schedule: checking {days[0]} .. {days[-1]}")
            result = run_days(days, workers, scheduler_url, False, _log(console))
            current = len(result.requested) - len(result.pending)
            console.print(f"built {len(result.pending)} day(s), {current} already current")
            if once:
                if not result.succeeded:
                    raise Refusal(f"the build failed: {', '.join(result.failed_tasks)}")
                return
            wake = next_run(datetime.now(UTC))
            console.print(f"next run at {wake.isoformat()}")
            clock.sleep(max(0.0, (wake - datetime.now(UTC)).total_seconds()))
    finally:
        container.shutdown_resources()


def _log(console: Console) -> Any:
    def finished(task: Any, outcome: str) -> None:
        label = getattr(task, "table_name", None) or task.task_family
        console.print(f"  {task.day} {label} {outcome}")

    return finished
