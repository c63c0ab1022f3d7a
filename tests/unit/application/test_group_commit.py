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


def committing(
    committer: GroupCommitter, errors: list[BaseException]
) -> Callable[[FakeEvent], Callable[[], None]]:
    """A caller per event, for in_threads: it commits the event, keeping a conflict in errors."""

    def commit(event: FakeEvent) -> Callable[[], None]:
        def call() -> None:
            try:
                committer.commit([event])
            except IntegrityError as error:
                errors.append(error)

        return call

    return commit


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
    commit = committing(committer, errors)

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


@pytest.mark.parametrize("given_ids", [False, True], ids=["ids_of_events", "ids_given"])
def test_requests_for_one_aggregate_go_in_separate_transactions(given_ids: bool) -> None:
    store = FakeStore()
    committer = GroupCommitter(store.save)
    store.gate.clear()
    shared = uuid4()
    ids = frozenset({shared}) if given_ids else None
    first = in_threads(lambda: committer.commit([FakeEvent(uuid4())]))
    store.entered.wait()  # the first transaction is open
    rest = in_threads(*[lambda: committer.commit([FakeEvent(shared)], ids) for _ in range(2)])
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


class FakeUnitStore(FakeStore):
    """Also takes requests as units, as the PostgreSQL recorder does: a bad unit is left out
    and reported, the others are stored in one transaction. `missed` makes it raise instead
    (a clash its check did not see)."""

    def __init__(self) -> None:
        super().__init__()
        self.missed = False

    def save_units(self, units: list[tuple[FakeEvent, ...]]) -> list[BaseException | None]:
        self.entered.set()
        self.gate.wait()
        if self.missed and len(units) > 1:
            raise IntegrityError("clash the check missed")
        bad = [any(e.bad for e in unit) for unit in units]
        kept = [unit for unit, b in zip(units, bad, strict=True) if not b]
        self.transactions.append(tuple(e for unit in kept for e in unit))
        return [IntegrityError("conflict") if b else None for b in bad]


def queue_behind_an_open_transaction(
    store: FakeStore, committer: GroupCommitter, calls: list[Callable[[], None]]
) -> list[threading.Thread]:
    store.gate.clear()
    first = in_threads(lambda: committer.commit([FakeEvent(uuid4())]))
    store.entered.wait()
    rest = in_threads(*calls)
    wait_until(lambda: committer.pending() == len(calls))
    store.gate.set()
    return first + rest


def test_with_units_a_clash_fails_alone_and_the_others_share_the_transaction() -> None:
    store = FakeUnitStore()
    committer = GroupCommitter(store.save, save_units=store.save_units)
    errors: list[BaseException] = []
    commit = committing(committer, errors)

    good = [FakeEvent(uuid4()), FakeEvent(uuid4())]
    calls = [commit(good[0]), commit(FakeEvent(uuid4(), bad=True)), commit(good[1])]
    for t in queue_behind_an_open_transaction(store, committer, calls):
        t.join()
    committer.close()
    assert len(errors) == 1
    assert [len(t) for t in store.transactions] == [1, 2]
    assert set(store.transactions[1]) == set(good)


def test_with_units_a_raised_clash_falls_back_to_one_request_at_a_time() -> None:
    store = FakeUnitStore()
    committer = GroupCommitter(store.save, save_units=store.save_units)
    events = [FakeEvent(uuid4()) for _ in range(3)]
    calls = [lambda e=e: committer.commit([e]) for e in events]
    store.gate.clear()
    first = in_threads(lambda: committer.commit([FakeEvent(uuid4())]))
    store.entered.wait()
    store.missed = True  # from the second transaction on
    rest = in_threads(*calls)
    wait_until(lambda: committer.pending() == 3)
    store.gate.set()
    for t in first + rest:
        t.join()
    committer.close()
    assert [len(t) for t in store.transactions] == [1, 1, 1, 1]
    assert {t[0] for t in store.transactions[1:]} == set(events)
