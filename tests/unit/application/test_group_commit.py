"""Group commit: shared transactions, per-request answers, fallback on conflicts."""

import asyncio
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from uuid import UUID, uuid4

import pytest
from eventsourcing.persistence import IntegrityError

from application.group_commit import GroupCommitter


@dataclass(frozen=True)
class FakeEvent:
    originator_id: UUID
    bad: bool = False


class FakeStore:
    """Records each transaction; a transaction with a bad event fails as a whole."""

    def __init__(self) -> None:
        self.transactions: list[tuple[FakeEvent, ...]] = []
        self.gate = threading.Event()
        self.gate.set()
        self.entered = threading.Event()

    def save(self, *events: FakeEvent) -> None:
        self.entered.set()
        self.gate.wait()
        if any(e.bad for e in events):
            raise IntegrityError("conflict")
        self.transactions.append(events)


def in_threads(*calls: Callable[[], None]) -> list[threading.Thread]:
    threads = [threading.Thread(target=call) for call in calls]
    for t in threads:
        t.start()
    return threads


def wait_until(condition: Callable[[], bool]) -> None:
    while not condition():
        time.sleep(0.001)


def test_concurrent_requests_share_one_transaction() -> None:
    store = FakeStore()
    committer = GroupCommitter(store.save)
    sizes: list[int] = []
    committer.observers.append(sizes.append)
    store.gate.clear()  # hold the first transaction open while others queue up
    first = in_threads(lambda: committer.commit([FakeEvent(uuid4())]))
    store.entered.wait()  # the first transaction is open
    rest = in_threads(*[lambda: committer.commit([FakeEvent(uuid4())]) for _ in range(5)])
    wait_until(lambda: committer.pending() == 5)
    store.gate.set()
    for t in first + rest:
        t.join()
    assert [len(t) for t in store.transactions] == [1, 5]
    assert sizes == [1, 5]
    committer.close()


def test_a_conflicting_request_fails_alone() -> None:
    store = FakeStore()
    committer = GroupCommitter(store.save)
    store.gate.clear()
    errors: list[BaseException] = []

    def commit(event: FakeEvent) -> Callable[[], None]:
        def call() -> None:
            try:
                committer.commit([event])
            except IntegrityError as error:
                errors.append(error)

        return call

    first = in_threads(commit(FakeEvent(uuid4())))
    store.entered.wait()  # the first transaction is open
    rest = in_threads(
        commit(FakeEvent(uuid4())), commit(FakeEvent(uuid4(), bad=True)), commit(FakeEvent(uuid4()))
    )
    wait_until(lambda: committer.pending() == 3)
    store.gate.set()
    for t in first + rest:
        t.join()
    assert len(errors) == 1
    assert sorted(len(t) for t in store.transactions) == [1, 1, 1]
    committer.close()


def test_requests_for_one_aggregate_go_in_separate_transactions() -> None:
    store = FakeStore()
    committer = GroupCommitter(store.save)
    store.gate.clear()
    shared = uuid4()
    first = in_threads(lambda: committer.commit([FakeEvent(uuid4())]))
    store.entered.wait()  # the first transaction is open
    rest = in_threads(*[lambda: committer.commit([FakeEvent(shared)]) for _ in range(2)])
    wait_until(lambda: committer.pending() == 2)
    store.gate.set()
    for t in first + rest:
        t.join()
    assert [len(t) for t in store.transactions] == [1, 1, 1]
    committer.close()


def test_store_errors_reach_every_caller_of_the_batch() -> None:
    def broken(*_: object) -> None:
        raise OSError("disk gone")

    committer = GroupCommitter(broken)
    with pytest.raises(OSError, match="disk gone"):
        committer.commit([FakeEvent(uuid4())])
    committer.close()


def test_a_closed_committer_refuses_work() -> None:
    committer = GroupCommitter(FakeStore().save)
    committer.close()
    with pytest.raises(RuntimeError):
        committer.commit([FakeEvent(uuid4())])


def test_a_transaction_holds_at_most_max_events_but_never_splits_a_request() -> None:
    store = FakeStore()
    committer = GroupCommitter(store.save, max_events=4)
    store.gate.clear()
    first = in_threads(lambda: committer.commit([FakeEvent(uuid4())]))
    store.entered.wait()
    big = [FakeEvent(uuid4()) for _ in range(6)]
    rest = in_threads(
        lambda: committer.commit([FakeEvent(uuid4()), FakeEvent(uuid4())]),
        lambda: committer.commit([FakeEvent(uuid4()), FakeEvent(uuid4())]),
    )
    wait_until(lambda: committer.pending() == 2)
    rest += in_threads(lambda: committer.commit(big))
    wait_until(lambda: committer.pending() == 3)
    store.gate.set()
    for t in first + rest:
        t.join()
    assert [len(t) for t in store.transactions] == [1, 4, 6]
    committer.close()


def test_awaiting_callers_share_a_transaction_and_hear_their_own_outcome() -> None:
    store = FakeStore()
    committer = GroupCommitter(store.save)
    good, bad = FakeEvent(uuid4()), FakeEvent(uuid4(), bad=True)

    async def both() -> list[BaseException | None]:
        return await asyncio.gather(
            committer.commit_async([good]), committer.commit_async([bad]), return_exceptions=True
        )

    outcomes = asyncio.run(both())
    committer.close()
    assert outcomes[0] is None
    assert isinstance(outcomes[1], IntegrityError)
    assert (good,) in store.transactions
    assert all(bad not in t for t in store.transactions)
