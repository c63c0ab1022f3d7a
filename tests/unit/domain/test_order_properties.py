"""Property tests: any command sequence leaves a legal order, and its events rebuild it."""

import contextlib
from datetime import timedelta

from hypothesis import given
from hypothesis import strategies as st

from domain.errors import IllegalTransition
from domain.order import TRANSITIONS, Order, OrderStatus
from tests.unit.domain.builders import NOW, change, placed_order

statuses = st.sampled_from([s.value for s in OrderStatus])


def _rebuild(order: Order) -> Order:
    rebuilt = None
    for event in order.collect_events():
        rebuilt = event.mutate(rebuilt)
    assert isinstance(rebuilt, Order)
    return rebuilt


@given(st.lists(statuses, max_size=8))
def test_any_command_sequence_leaves_a_legal_state(commands: list[str]) -> None:
    order = placed_order()
    walked = [OrderStatus.PLACED]
    for status in commands:
        try:
            change(order, status)
        except IllegalTransition:
            assert OrderStatus(status) not in TRANSITIONS[walked[-1]]
        else:
            assert OrderStatus(status) in TRANSITIONS[walked[-1]]
            walked.append(OrderStatus(status))
    assert order.status == walked[-1]
    assert [h.status for h in order.history] == [s.value for s in walked]
    assert order.version == len(walked)


@given(st.lists(statuses, max_size=8))
def test_replaying_the_events_rebuilds_the_order(commands: list[str]) -> None:
    order = placed_order()
    for status in commands:
        with contextlib.suppress(IllegalTransition):
            change(order, status)
    rebuilt = _rebuild(order)
    assert (rebuilt.id, rebuilt.version, rebuilt.status) == (order.id, order.version, order.status)
    assert (rebuilt.total_amount, rebuilt.lines) == (order.total_amount, order.lines)
    assert rebuilt.history == order.history


@given(st.timedeltas(min_value=timedelta(days=-3), max_value=timedelta(days=3)))
def test_a_change_is_never_dated_before_its_order_and_keeps_the_reported_time(
    offset: timedelta,
) -> None:
    order = placed_order()
    reported = NOW + offset
    change(order, "cancelled", event_time=reported)
    _, cancelled = order.collect_events()
    assert cancelled.event_time == max(NOW, reported)  # type: ignore[attr-defined]
    assert cancelled.event_time >= order.placed_at  # type: ignore[attr-defined]
    assert cancelled.reported_time == reported  # type: ignore[attr-defined]
