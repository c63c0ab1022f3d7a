"""Test plugin: `flowguard relay` or `flowguard consume` with a SIGKILL at the worst moment.

The process builds the same container and runs the same loop as the CLI command; only the hook
comes in from here, through the relay's `after_delivery` (after delivery, before tracking) or
the consumer's `after_write` (after the MERGE, before the commit). It kills the process the
first time that point is reached; MARKER records that it fired, so a restart runs normally.
Usage: python -m tests.faults.hooked relay|consume MARKER
"""

import logging
import os
import signal
import sys
import threading
from pathlib import Path
from typing import Any

from dependency_injector import providers

from application.bronze_loader import ConsumerSettings
from entrypoints.bootstrap import create_container
from entrypoints.consumer import run_consumer
from entrypoints.relay import run_relay, stop_on_signals


def kill_once(marker: Path) -> Any:
    def fire(*_: object) -> None:
        if not marker.exists():
            marker.write_text(str(os.getpid()))
            os.kill(os.getpid(), signal.SIGKILL)

    return fire


def main(role: str, marker: Path) -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    container = create_container()
    stop = threading.Event()
    stop_on_signals(stop)
    if role == "relay":
        container.relay.add_kwargs(after_delivery=kill_once(marker))
        run_relay(container, stop)
        return
    container.consumer_group.override(providers.Object(os.environ["FLOWGUARD_CONSUMER_GROUP"]))
    wait = float(os.environ.get("FLOWGUARD_CONSUMER_BATCH_WAIT", "1.0"))
    settings = ConsumerSettings(batch_wait=wait)
    run_consumer(container, stop, settings, after_write=kill_once(marker))


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]))
