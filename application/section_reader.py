"""Reading ahead: the relay's next section is read while the current one is published.

Reading a section from PostgreSQL is mostly waiting for the server (about two thirds of the
read's wall time in the relay benchmark), without the GIL. A single background thread overlaps
that with building and producing the current section. Only logs that say so (`read_ahead`) are
read ahead, and only while the log has a backlog (the last section was full); a relay that is
tailing the log reads in its own thread, exactly as before.
"""

from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor

from application.codec import LogRow
from application.notification_log import NotificationLog


class SectionReader:
    def __init__(self, log: NotificationLog, section_size: int) -> None:
        self._log = log
        self._size = section_size
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="relay-read-ahead")
        self._ahead: tuple[int, Future[Sequence[LogRow]]] | None = None

    def read(self, after: int) -> Sequence[LogRow]:
        """The section after `after`: the one read ahead if it starts there, else read now."""
        ahead, self._ahead = self._ahead, None
        if ahead is not None and ahead[0] == after:
            rows = ahead[1].result()  # a failed read ahead raises here, in the relay's thread
        else:
            rows = self._log.read(after, self._size)
        if self._log.read_ahead and len(rows) == self._size:
            last = rows[-1][0]
            self._ahead = (last, self._executor.submit(self._log.read, last, self._size))
        return rows

    def discard(self) -> None:
        """Forget the read ahead (the relay rewound); an unfinished one ends on its own."""
        self._ahead = None
