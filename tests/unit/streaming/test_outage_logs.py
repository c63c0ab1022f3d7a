"""Outages are logged once per interval, not once per retry."""

import logging

import pytest

from entrypoints.outages import OncePerInterval


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _logger(clock: Clock, name: str) -> tuple[logging.Logger, OncePerInterval]:
    logger = logging.getLogger(name)
    throttle = OncePerInterval(30.0, clock)
    logger.addFilter(throttle)
    return logger, throttle


def test_a_repeated_warning_passes_once_per_interval_and_counts_the_rest(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock = Clock()
    logger, _ = _logger(clock, "test.outage.repeat")
    with caplog.at_level(logging.INFO, logger="test.outage.repeat"):
        for attempt in range(60):  # one a second for a minute, each "after N ms"
            clock.now = float(attempt)
            logger.warning("Connect to 127.0.0.1:9092 failed (after %d ms)", attempt)
    messages = [r.getMessage() for r in caplog.records]
    assert len(messages) == 2
    assert messages[1].endswith("(29 more like it in the last 30 s)")


def test_different_messages_and_info_lines_are_not_held_back(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock = Clock()
    logger, _ = _logger(clock, "test.outage.distinct")
    with caplog.at_level(logging.INFO, logger="test.outage.distinct"):
        logger.warning("warehouse down")
        logger.warning("broker down")
        logger.info("relay: starting after notification 5")
        logger.info("relay: starting after notification 5")
    assert len(caplog.records) == 4
