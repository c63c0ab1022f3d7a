"""Seeding for the fault tests: uniquely numbered events through the real FlowGuardApp."""

import contextlib
import os
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

from tests.faults.harness import Pipeline


@contextlib.contextmanager
def environment(values: dict[str, str]) -> Iterator[None]:
    saved = dict(os.environ)
    os.environ.update(values)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


class Seeder:
    """Writes uniquely numbered click events through the real FlowGuardApp (in this process);
    `per_session` events share an aggregate, so version order can be checked. Each event has a
    client id of its own; `acknowledged` lists those of the events the app accepted."""

    def __init__(self, pipeline: Pipeline, per_session: int = 5) -> None:
        from entrypoints.bootstrap import create_container

        with environment(pipeline.env()):
            self.app = create_container().flowguard_app()
        self.per_session = per_session
        self.next = 0
        self.acknowledged: list[str] = []

    def seed(self, count: int, batch: int = 100) -> None:
        from application.commands import ClickEventInput, RecordClickEvents

        numbers = range(self.next, self.next + count)
        self.next += count
        events = [
            ClickEventInput(
                session_id=f"fault-{n // self.per_session}", event_type="impression",
                restaurant_id="rst_001", item_id="itm_0001", page="menu", position=n,
                event_id=uuid.uuid4(),
            )
            for n in numbers
        ]  # fmt: skip
        for start in range(0, len(events), batch):
            chunk = tuple(events[start : start + batch])
            result = self.app.record_click_events(RecordClickEvents(chunk, datetime.now(UTC)))
            assert result.accepted == len(chunk), result
            self.acknowledged.extend(str(event.event_id) for event in chunk)

    def seed_for(self, seconds: float, batch: int = 25, pause: float = 0.2) -> None:
        """Events flowing for `seconds`: `batch` at a time, `pause` apart."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self.seed(batch)
            time.sleep(pause)

    def seed_while(self, flowing: threading.Event, batch: int = 20, pause: float = 0.2) -> None:
        """Events flowing until `flowing` is cleared."""
        while flowing.is_set():
            self.seed(batch)
            time.sleep(pause)

    def close(self) -> None:
        self.app.close()
