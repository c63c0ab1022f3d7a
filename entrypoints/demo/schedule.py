"""The daily schedule inside `flowguard up`: catch up on start, then build at 01:00 UTC."""

import threading
from datetime import UTC, datetime

from entrypoints.demo.builder import Builder


class DailySchedule:
    """Hands the builder the days that are due, once on start and then every day at 01:00 UTC
    (`pipelines/jobs/schedule.py`, as `flowguard batch schedule`)."""

    def __init__(self, builder: Builder) -> None:
        self.builder = builder
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="flowguard-schedule", daemon=True)

    def start(self) -> "DailySchedule":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()

    def alive(self) -> bool:
        return self._thread.is_alive()

    def next_run(self) -> datetime:
        from pipelines.jobs.schedule import next_run

        return next_run(datetime.now(UTC))

    def _loop(self) -> None:
        while not self._stop.is_set():
            build = self.builder.submit_due()
            while not build.done.wait(1.0):
                if self._stop.is_set():
                    return
            wake = self.next_run()
            self._stop.wait(max(1.0, (wake - datetime.now(UTC)).total_seconds()))
