"""Local services: starting, finding and stopping the OS processes behind them."""

import contextlib
import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from pathlib import Path


def free_port(preferred: int | None = None) -> int:
    """A TCP port nobody uses right now: `preferred` when it is free, else one the kernel picks."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        # As the servers do: a port whose last connections linger in TIME_WAIT is free to listen on.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", preferred or 0))
        except OSError:
            sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def spawn(command: list[str], log: Path, cwd: Path, env: dict[str, str] | None = None) -> int:
    """Start `command` as the leader of a new session, so its pid is also its process group."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as out:
        process = subprocess.Popen(
            command,
            cwd=cwd,
            env={**os.environ, **(env or {})},
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return process.pid


def group_members(pgid: int) -> list[int]:
    """Live (non-zombie) processes in process group `pgid`, read from /proc."""
    members = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            stat = _stat(entry / "stat")
            if stat and stat[0] != "Z" and int(stat[2]) == pgid:
                members.append(int(entry.name))
    return members


def _stat(path: Path) -> list[str] | None:
    try:
        text = path.read_text()
    except OSError:
        return None
    # The command name may hold spaces; the fields after its closing parenthesis do not.
    return text[text.rfind(")") + 2 :].split()


def is_alive(pid: int) -> bool:
    _reap(pid)
    stat = _stat(Path(f"/proc/{pid}/stat"))
    return stat is not None and stat[0] != "Z"


def _reap(pid: int) -> None:
    # Our own children turn into zombies until waited for; other processes' are not ours to reap.
    with contextlib.suppress(ChildProcessError, OSError):
        os.waitpid(pid, os.WNOHANG)


def stop_group(pgid: int, first_signal: signal.Signals, grace: float) -> None:
    """Ask the leader to stop, then kill whatever is left of the group; verify none remains."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pgid, first_signal)
    if wait_until(lambda: not _group_alive(pgid), grace):
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, signal.SIGKILL)
    if not wait_until(lambda: not _group_alive(pgid), 5.0):
        raise RuntimeError(f"processes {group_members(pgid)} of group {pgid} survived SIGKILL")


def _group_alive(pgid: int) -> bool:
    _reap(pgid)
    return bool(group_members(pgid))


def wait_until(condition: Callable[[], bool], timeout: float, interval: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while True:
        if condition():
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(interval)


def kill_and_wait(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    wait_until(lambda: not is_alive(pid), 5.0)


def processes_with_cwd_under(directory: Path) -> list[int]:
    """Processes working inside `directory`: every service runs in its own state directory,
    so this finds leftovers even when a pid file was lost."""
    root = directory.resolve()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cwd = (entry / "cwd").readlink()
            name = (entry / "comm").read_text().strip()
        except OSError:
            continue
        if cwd.is_relative_to(root) and name in _SERVICE_COMMANDS and is_alive(int(entry.name)):
            found.append(int(entry.name))
    return found


# The only kinds of process we start; a user's shell sitting in a state directory is left alone.
_SERVICE_COMMANDS = {"postgres", "java", "python", "python3", "python3.11", "luigid"}
