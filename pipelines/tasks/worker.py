"""One Luigi worker process of a backfill under luigid: `python -m pipelines.tasks.worker`.

`flowguard batch backfill --workers N --scheduler-url URL` starts N of these (runner.py); more
can be started by hand, on any host that reaches luigid, the warehouse and the lake. Settings
come from the environment, as for every FlowGuard process. Prints one line per finished task on
stdout; exits 0 when every given day is built."""

import logging
import sys
from datetime import date

from entrypoints.bootstrap import create_container
from pipelines.tasks import context
from pipelines.tasks.day import DayTask
from pipelines.tasks.runner import run_as_peer, task_event


def _emit(task: DayTask, outcome: str) -> None:
    print(task_event(task, outcome), flush=True)


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print("usage: python -m pipelines.tasks.worker SCHEDULER_URL DAY...", file=sys.stderr)
        return 2
    url, days = argv[0], [date.fromisoformat(text) for text in argv[1:]]
    logging.basicConfig(level=logging.INFO, stream=sys.stderr)
    container = create_container()
    context.use_container(container)
    try:
        return 0 if run_as_peer(days, url, _emit) else 1
    finally:
        container.shutdown_resources()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
