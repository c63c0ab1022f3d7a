"""Completion markers: one small JSON file per task and day, written atomically, recording the
fingerprint of the BRONZE input the output was built from."""

import hashlib
import json
import os
import threading
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

Fingerprint = Mapping[str, Mapping[str, Any]]
COMPLETE = "complete"
INVALIDATED = "invalidated"

# Called with a completion marker's path once its temporary file is durable, just before the
# rename that makes the output complete: the one instant where the data is written and the
# marker is not. Nothing is installed in production; the crash tests install an observer that
# kills the process there (tests/support/crash_points.py).
MarkerObserver = Callable[[Path], None]
_before_publish: list[MarkerObserver] = []


def observe_before_publish(observer: MarkerObserver) -> Callable[[], None]:
    """Install `observer`; returns the function that removes it again."""
    _before_publish.append(observer)
    return lambda: _before_publish.remove(observer)


def write_marker(path: Path, fingerprint: Fingerprint, **details: Any) -> None:
    """Write the marker: temporary file, fsync, then os.replace, so a marker never exists
    before its data and a reader never sees half a marker."""
    payload = {
        "status": COMPLETE,
        "fingerprint": fingerprint,
        "written_at": datetime.now(UTC).isoformat(),
        **details,
    }
    _write_atomically(path, payload, observed=True)


def read_marker(path: Path) -> dict[str, Any] | None:
    try:
        marker: dict[str, Any] = json.loads(path.read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return None
    return marker


def invalidate(path: Path) -> None:
    """Mark the output as being rebuilt, keeping the old fingerprint for the restatement log.
    A crash during the rebuild then leaves the task incomplete, even when the input is unchanged."""
    marker = read_marker(path)
    if marker is not None and marker.get("status") != INVALIDATED:
        _write_atomically(path, {**marker, "status": INVALIDATED})


def is_fresh(path: Path, fingerprint: Fingerprint) -> bool:
    """Complete and built from exactly this input."""
    return matches(read_marker(path), fingerprint)


def matches(marker: Mapping[str, Any] | None, fingerprint: Fingerprint) -> bool:
    """The marker is complete and records exactly this input fingerprint."""
    return (
        marker is not None
        and marker.get("status") == COMPLETE
        and marker.get("fingerprint") == _plain(fingerprint)
    )


def digest(fingerprint: Fingerprint | None) -> str:
    """Short stable id of a fingerprint, for logs and the status table."""
    if fingerprint is None:
        return "none"
    text = json.dumps(_plain(fingerprint), sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def describe_change(old: Fingerprint | None, new: Fingerprint) -> str:
    """What changed in the input, per BRONZE table: the human cause of a restatement."""
    if old is None:
        return "previous input unknown (no marker)"
    changes = []
    for table, stats in sorted(new.items()):
        before = old.get(table, {})
        if dict(before) != dict(stats):
            changes.append(
                f"{table}: rows {before.get('rows')} -> {stats.get('rows')}, max INGESTED_AT "
                f"{before.get('max_ingested_at')} -> {stats.get('max_ingested_at')}"
            )
    return "; ".join(changes) or "input unchanged (forced rebuild)"


def _plain(fingerprint: Fingerprint) -> Any:
    # Round-trip through JSON so a fresh fingerprint compares equal to a stored one.
    return json.loads(json.dumps(fingerprint, sort_keys=True, default=str))


def _write_atomically(path: Path, payload: Mapping[str, Any], observed: bool = False) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    with temporary.open("w") as handle:
        json.dump(payload, handle, sort_keys=True, default=str)
        handle.flush()
        os.fsync(handle.fileno())
    for observer in list(_before_publish) if observed else ():
        observer(path)
    os.replace(temporary, path)
