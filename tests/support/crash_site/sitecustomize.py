"""Test-only: puts the crash point of tests/support/crash_points.py into every Python process
started with this directory on PYTHONPATH and FLOWGUARD_TEST_CRASH_AT set, including the
worker processes a command starts by itself. Production code knows nothing of this."""

import os
from pathlib import Path

if os.environ.get("FLOWGUARD_TEST_CRASH_AT"):
    from tests.support.crash_points import kill_once_before

    kill_once_before(
        os.environ["FLOWGUARD_TEST_CRASH_AT"], Path(os.environ["FLOWGUARD_TEST_CRASH_TOKEN"])
    )
