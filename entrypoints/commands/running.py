"""Which `flowguard up` (or demo) serves a data directory, so other commands can talk to it.

The process that holds the embedded stack writes `<data dir>/flowguard-running.json` (its pid,
command and URL) and removes it on exit; a file whose pid is gone is ignored. Only a process of
the same data directory counts, so copies on other directories run side by side."""

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

FILE_NAME = "flowguard-running.json"


@dataclass(frozen=True)
class Running:
    pid: int
    command: str
    url: str
    started_at: str

    def describe(self) -> str:
        return f"`flowguard {self.command}` (pid {self.pid}, {self.url})"


def running_file(data_dir: Path) -> Path:
    return data_dir / FILE_NAME


def find_running(data_dir: Path) -> Running | None:
    """The live process serving `data_dir`, other than this one; None when there is none."""
    try:
        found = Running(**json.loads(running_file(data_dir).read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None
    if found.pid == os.getpid() or not _alive(found.pid):
        return None
    return found


@contextmanager
def announced(data_dir: Path, command: str, url: str) -> Iterator[Running]:
    """Tell other commands that this process serves `data_dir` at `url`, until the block ends."""
    me = Running(os.getpid(), command, url, datetime.now(UTC).isoformat(timespec="seconds"))
    path = running_file(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".tmp")
    partial.write_text(json.dumps(asdict(me)), encoding="utf-8")
    partial.replace(path)
    try:
        yield me
    finally:
        with suppress(OSError):
            if find_pid(path) == me.pid:
                path.unlink()


def find_pid(path: Path) -> int | None:
    try:
        return int(json.loads(path.read_text(encoding="utf-8"))["pid"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
