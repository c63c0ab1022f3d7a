"""Outage logging: a warning that repeats (a broker or database down, retried every second) is
logged once per interval, with how many times it came up meanwhile, instead of once per retry."""

import logging
import re
import time
from collections.abc import Callable

# The loggers of the long-running loops and of the Kafka clients (adapters/kafka/config.py).
OUTAGE_LOGGERS = (
    "flowguard.relay",
    "flowguard.consumer",
    "flowguard.kafka",
    "application.relay",
    "application.bronze_loader",
    "adapters.kafka.message_source",
)
_NUMBERS = re.compile(r"\d+")


class OncePerInterval(logging.Filter):
    """Lets a message through once per `interval` seconds; numbers in it (ports, counts,
    milliseconds) do not make it another message. The next one through says how many were held
    back."""

    def __init__(self, interval: float = 30.0, clock: Callable[[], float] = time.monotonic):
        super().__init__()
        self.interval = interval
        self._clock = clock
        self._seen: dict[tuple[str, str], tuple[float, int]] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING:
            return True
        key = (record.name, _NUMBERS.sub("#", record.getMessage())[:300])
        now = self._clock()
        last, held_back = self._seen.get(key, (None, 0))
        if last is not None and now - last < self.interval:
            self._seen[key] = (last, held_back + 1)
            return False
        if held_back:
            record.msg = (
                f"{record.getMessage()} ({held_back} more like it in the last {now - last:.0f} s)"  # type: ignore[operator]
            )
            record.args = None
        if len(self._seen) > 1000:  # many distinct messages: forget the old ones
            self._seen.clear()
        self._seen[key] = (now, 0)
        return True


def throttle_outage_logs(interval: float = 30.0) -> None:
    """Install one `OncePerInterval` on each loop's logger (idempotent)."""
    for name in OUTAGE_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, OncePerInterval) for f in logger.filters):
            logger.addFilter(OncePerInterval(interval))
