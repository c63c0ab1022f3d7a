"""The relay process: the outbox relay loop on the configured event store and bus.

`FLOWGUARD_FAULT_HOOK` names a point at which the process SIGKILLs itself once (the fault tests
use it); `FLOWGUARD_FAULT_MARKER` is the file that records that it already fired.
"""

import logging
import os
import signal
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from application.relay import OutboxRelay

log = logging.getLogger("flowguard.relay")


def fault_hook(point: str) -> Callable[..., None]:
    """A hook that kills this process the first time `point` is reached, if so configured."""
    if os.environ.get("FLOWGUARD_FAULT_HOOK") != point:
        return lambda *args: None
    marker = Path(os.environ.get("FLOWGUARD_FAULT_MARKER", f"/tmp/flowguard-fault-{point}"))

    def fire(*args: Any) -> None:
        if not marker.exists():
            marker.write_text(point)
            os.kill(os.getpid(), signal.SIGKILL)

    return fire


def stop_on_signals(stop: threading.Event) -> None:
    """SIGTERM and SIGINT ask the loops to finish their current step and return."""
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())


def build_relay(container: Any) -> OutboxRelay:
    relay: OutboxRelay = container.relay(after_delivery=fault_hook("relay.after_delivery"))
    return relay


def _build_when_store_answers(container: Any, stop: threading.Event) -> OutboxRelay | None:
    # Building the application talks to the store; a store that is down (or a connection that
    # is killed) at start-up means wait and try again, as during operation.
    while not stop.is_set():
        try:
            return build_relay(container)
        except Exception as error:
            log.warning("relay: cannot start yet (%s: %s); retrying", type(error).__name__, error)
            container.flowguard_app.reset()
            stop.wait(1.0)
    return None


def run_relay(container: Any, stop: threading.Event) -> None:
    relay = _build_when_store_answers(container, stop)
    if relay is None:
        return
    log.info("relay: starting after notification %d", relay.position())
    try:
        relay.run(stop)
    finally:
        container.event_publisher().close()
        log.info("relay: stopped at notification %d", relay.position())
