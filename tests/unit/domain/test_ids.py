"""The ids aggregates mint are version-4 UUIDs that never repeat, across threads and forks."""

import os
import threading
from uuid import UUID

from domain.ids import new_event_id


def test_ids_are_random_version_4_uuids() -> None:
    ids = [new_event_id() for _ in range(2000)]  # several bulk reads
    assert all(i.version == 4 and i.variant == "specified in RFC 4122" for i in ids)
    assert len(set(ids)) == len(ids)


def test_threads_drawing_at_once_never_get_the_same_id() -> None:
    drawn: list[list[UUID]] = [[] for _ in range(8)]

    def draw(mine: list[UUID]) -> None:
        mine.extend(new_event_id() for _ in range(1000))

    threads = [threading.Thread(target=draw, args=(mine,)) for mine in drawn]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    every = [i for mine in drawn for i in mine]
    assert len(set(every)) == len(every) == 8000


def test_a_forked_child_does_not_repeat_its_parents_ids() -> None:
    new_event_id()  # the parent holds a buffer with ids still to hand out
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: its next id, to the parent
        os.write(write, new_event_id().bytes)
        os._exit(0)
    os.close(write)
    child = UUID(bytes=os.read(read, 16))
    os.close(read)
    os.waitpid(pid, 0)
    assert child != new_event_id()


def test_an_id_is_the_uuid_its_bytes_make_and_behaves_as_one() -> None:
    for made in (new_event_id() for _ in range(500)):
        same = UUID(bytes=made.bytes, version=4)
        assert made == same
        assert hash(made) == hash(same)
        assert str(made) == str(same)
        assert made.is_safe == same.is_safe
        assert UUID(str(made)) == made
