"""Mistakes a person can act on: one line saying what happened and what to do, no traceback.

Commands raise `Refusal` for what they detect themselves; `explain` turns the errors libraries
raise for the usual mistakes (nothing listening, a port taken, a store that does not answer) into
the same kind of line. `flowguard --debug ...` shows the traceback instead."""

import errno
import re

DEBUG_HINT = "run again with --debug for the traceback"


class Refusal(Exception):  # noqa: N818 - it is a refusal, not an error of ours
    """A command declines to go on; the message says why and what to do. Exit status `code`."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


def explain(error: BaseException) -> tuple[str, int]:
    """(one line for the terminal, exit status) for an error that reached the top."""
    if isinstance(error, Refusal):
        return _one_line(str(error)), error.code
    if isinstance(error, KeyboardInterrupt):
        return "interrupted", 130
    for explainer in (_http, _port, _store, _warehouse_lock):
        message = explainer(error)
        if message:
            return message, 1
    return _one_line(f"{type(error).__name__}: {error}") + f" ({DEBUG_HINT})", 1


def _one_line(text: str, limit: int = 300) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _http(error: BaseException) -> str | None:
    import httpx

    if not isinstance(error, httpx.TransportError):
        return None
    request = getattr(error, "_request", None)
    where = str(request.url.copy_with(path="/", query=None)).rstrip("/") if request else "it"
    if isinstance(error, httpx.TimeoutException):
        return f"{where} did not answer in time; is it overloaded? Try again or lower --concurrency"
    reason = _one_line(str(error) or type(error).__name__, 120)
    return (
        f"cannot reach {where} ({reason}): start FlowGuard there with `flowguard up`, "
        "or pass the URL of a running one"
    )


def _port(error: BaseException) -> str | None:
    if isinstance(error, OSError) and error.errno == errno.EADDRINUSE:
        return "the port is already in use: stop what listens there, or choose another with --port"
    return None


def _store(error: BaseException) -> str | None:
    if type(error).__name__ != "StoreUnavailable":
        return None
    detail = _one_line(str(error), 160)
    return (
        f"the event store does not answer ({detail}): start it (`flowguard services up "
        "postgres`) or fix FLOWGUARD_POSTGRES_DSN"
    )


def lock_holder(error: BaseException) -> str | None:
    """Who holds the embedded warehouse's DuckDB file, when `error` is DuckDB's refusal to lock
    it: "process N", or "another process"; None for any other error."""
    text = str(error)
    if "Could not set lock on file" not in text:
        return None
    pid = re.search(r"PID (\d+)", text)
    return f"process {pid.group(1)}" if pid else "another process"


def _warehouse_lock(error: BaseException) -> str | None:
    holder = lock_holder(error)
    if holder is None:
        return None
    return (
        f"the embedded warehouse is held by {holder} (one process at a time may open it): "
        "stop that process first"
    )
