"""The relay reads its next section ahead only while the log has a backlog, and a read ahead
is used only where it starts, so rewinding or tailing reads exactly what reading now would."""

import threading
from collections.abc import Sequence

import pytest

from application.codec import LogRow
from application.section_reader import SectionReader


class FakeLog:
    """Rows 1..`size`; records each read's start and thread; `fail_after` makes one fail."""

    def __init__(self, size: int, read_ahead: bool = True) -> None:
        self.size = size
        self.read_ahead = read_ahead
        self.reads: list[tuple[int, bool]] = []
        self.fail_after: int | None = None

    def read(self, after: int, limit: int) -> Sequence[LogRow]:
        self.reads.append((after, threading.current_thread() is threading.main_thread()))
        if after == self.fail_after:
            raise ConnectionError("store went away")
        last = min(after + limit, self.size)
        return [(n, "agg", n, "topic", b"{}") for n in range(after + 1, last + 1)]


def _ids(rows: Sequence[LogRow]) -> list[int]:
    return [row[0] for row in rows]


def test_full_sections_are_read_ahead_and_the_tail_is_read_in_place() -> None:
    log = FakeLog(size=25)
    reader = SectionReader(log, section_size=10)
    assert _ids(reader.read(0)) == list(range(1, 11))
    assert _ids(reader.read(10)) == list(range(11, 21))
    assert _ids(reader.read(20)) == list(range(21, 26))
    assert _ids(reader.read(25)) == []  # nothing was read ahead after a short section
    assert log.reads == [(0, True), (10, False), (20, False), (25, True)]


def test_logs_read_in_process_are_never_read_ahead() -> None:
    log = FakeLog(size=25, read_ahead=False)
    reader = SectionReader(log, section_size=10)
    assert _ids(reader.read(0)) == list(range(1, 11))
    assert _ids(reader.read(10)) == list(range(11, 21))
    assert log.reads == [(0, True), (10, True)]


def test_after_a_rewind_the_read_ahead_is_not_used() -> None:
    log = FakeLog(size=30)
    reader = SectionReader(log, section_size=10)
    reader.read(0)
    reader.discard()
    assert _ids(reader.read(0)) == list(range(1, 11))
    assert _ids(reader.read(5)) == list(range(6, 16))  # another start than the one read ahead
    assert (5, True) in log.reads


def test_a_failed_read_ahead_raises_in_the_relays_thread() -> None:
    log = FakeLog(size=30)
    log.fail_after = 10
    reader = SectionReader(log, section_size=10)
    reader.read(0)
    with pytest.raises(ConnectionError, match="store went away"):
        reader.read(10)
    log.fail_after = None
    assert _ids(reader.read(10)) == list(range(11, 21))
