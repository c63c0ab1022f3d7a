"""The event-store side of the reconciliation follows docs/metrics.md, and disagreement shows."""

from datetime import date
from decimal import Decimal

from application.commands import ChangeOrderStatus
from entrypoints.demo.ledger import OrderFacts, StoreFacts, read_store, reconcile
from tests.unit.application.fakes import NOW, make_app, place

D = date(2026, 11, 20)
NEXT, LATER = date(2026, 11, 21), date(2026, 11, 22)


def _facts() -> StoreFacts:
    facts = StoreFacts()
    facts.orders["a"] = OrderFacts(
        D, Decimal("100.50"), [(1, D, "placed"), (2, D, "confirmed"), (3, NEXT, "delivered")]
    )
    facts.orders["b"] = OrderFacts(D, Decimal("20.00"), [(1, D, "placed"), (2, D, "cancelled")])
    # Delivered two days later: outside the one-day lookahead, so not delivered for day D.
    facts.orders["c"] = OrderFacts(D, Decimal("5.25"), [(1, D, "placed"), (2, LATER, "delivered")])
    facts.orders["d"] = OrderFacts(NEXT, Decimal("9.99"), [(1, NEXT, "placed")])
    return facts


def test_an_order_counts_on_its_placement_day_with_its_status_within_the_lookahead() -> None:
    assert _facts().daily(D) == {"orders": "3", "delivered": "1", "gmv": "125.75"}
    assert _facts().daily(NEXT) == {"orders": "1", "delivered": "0", "gmv": "9.99"}


def test_gold_agreeing_with_the_store_reconciles() -> None:
    gold = [{"METRIC_DATE": "2026-11-20", "TOTAL_ORDERS": 3, "DELIVERED_ORDERS": 1, "GMV": 125.75}]
    [day] = reconcile(_facts(), gold, [D])
    assert day.matches


def test_a_gold_figure_off_by_a_paisa_or_a_missing_day_is_a_mismatch() -> None:
    gold = [{"METRIC_DATE": "2026-11-20", "TOTAL_ORDERS": 3, "DELIVERED_ORDERS": 1, "GMV": 125.74}]
    first, missing = reconcile(_facts(), gold, [D, NEXT])
    assert not first.matches
    assert not missing.matches
    assert missing.gold["orders"] == "missing"


def test_reading_on_from_earlier_facts_equals_one_pass_over_the_whole_log() -> None:
    app = make_app(group_commit=False)
    first = app.place_order(place(user_id="usr_1"))
    early = read_store(app)
    app.place_order(place(user_id="usr_2"))
    app.change_order_status(ChangeOrderStatus(first.order_id, "confirmed", NOW))

    later = read_store(app, early)
    whole = read_store(app)

    assert later is early  # read on in place: nothing before `early.position` is read again
    assert later.position == whole.position == app.recorder.max_notification_id()
    assert later.published == whole.published == {"order.placed": 2, "order.confirmed": 1}
    assert later.orders == whole.orders
