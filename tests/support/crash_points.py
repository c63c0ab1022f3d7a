"""Test plugin for processes the tests start: run a FlowGuard entry point with a crash point.

    python -m tests.support.crash_points MARKER_SUBSTRING TOKEN_FILE MODULE [ARGS...]

installs, through the markers' observer port, a hook that SIGKILLs this process when it is about
to publish a completion marker whose path contains MARKER_SUBSTRING (its data and temporary file
written, the marker not yet renamed), then runs MODULE as `python -m MODULE ARGS...` would.
Only the first process to get there dies: it creates TOKEN_FILE (exclusively) and writes its pid
in it; the others, and this one's successors, go on. Production code knows nothing of this."""

import os
import runpy
import signal
import sys
from pathlib import Path

from pipelines.markers import observe_before_publish


def kill_once_before(substring: str, token: Path) -> None:
    def observer(marker: Path) -> None:
        if substring not in str(marker):
            return
        try:
            descriptor = os.open(token, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            return  # another process already died here
        os.write(descriptor, f"{os.getpid()}\n".encode())
        os.fsync(descriptor)
        os.close(descriptor)
        os.kill(os.getpid(), signal.SIGKILL)

    observe_before_publish(observer)


if __name__ == "__main__":
    marker_substring, token_file, module, *arguments = sys.argv[1:]
    kill_once_before(marker_substring, Path(token_file))
    sys.argv = [module, *arguments]
    runpy.run_module(module, run_name="__main__", alter_sys=True)
