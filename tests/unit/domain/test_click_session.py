"""The ClickSession aggregate: duplicates are no-ops, the funnel stays coherent."""

import copy

import pytest

from domain.click_session import ClickSession, click_session_id
from domain.errors import Invalid
from tests.unit.domain.builders import NOW, click


def test_session_id_maps_to_a_stable_aggregate_id() -> None:
    assert ClickSession.open("ses_1").id == click_session_id("ses_1") == click_session_id("ses_1")
    assert click_session_id("ses_1") != click_session_id("ses_2")


def test_a_recorded_event_id_is_a_no_op() -> None:
    session = ClickSession.open("ses_1")
    impression = click("impression")
    assert session.record(impression) is True
    assert session.record(impression) is False
    assert session.version == 2  # opened + one impression


def test_cart_follows_adds_and_removes() -> None:
    session = ClickSession.open("ses_1")
    session.record(click("add_to_cart", quantity=3))
    session.record(click("remove_from_cart", quantity=2))
    assert session.cart == {"itm_1": 1}
    session.record(click("remove_from_cart", quantity=1))
    assert session.cart == {}


def test_removing_what_was_never_added_is_rejected() -> None:
    session = ClickSession.open("ses_1")
    with pytest.raises(Invalid) as raised:
        session.record(click("remove_from_cart"))
    assert raised.value.errors[0].field == "quantity"


def test_checkout_needs_a_non_empty_cart() -> None:
    session = ClickSession.open("ses_1")
    with pytest.raises(Invalid):
        session.record(click("checkout_started", item_id=None))
    session.record(click("add_to_cart"))
    assert session.record(click("checkout_started", item_id=None)) is True


@pytest.mark.parametrize(
    ("event_type", "overrides", "field"),
    [
        ("scroll", {}, "event_type"),
        ("click", {"item_id": None}, "item_id"),
        ("click", {"position": -1}, "position"),
        ("add_to_cart", {"quantity": 51}, "quantity"),
        ("impression", {"page": ""}, "page"),
    ],
)
def test_malformed_events_are_rejected(
    event_type: str, overrides: dict[str, object], field: str
) -> None:
    with pytest.raises(Invalid) as raised:
        ClickSession.open("ses_1").record(click(event_type, **overrides))  # type: ignore[arg-type]
    assert [e.field for e in raised.value.errors] == [field]


def test_checkout_event_carries_no_item_or_position() -> None:
    session = ClickSession.open("ses_1")
    session.record(click("add_to_cart", quantity=2))
    session.record(click("checkout_started"))
    *_, added, checkout = session.collect_events()
    assert added.event_type == "click.add_to_cart"  # type: ignore[attr-defined]
    assert added.quantity == 2  # type: ignore[attr-defined]
    assert checkout.event_type == "click.checkout_started"  # type: ignore[attr-defined]
    assert (checkout.item_id, checkout.position) == (None, None)  # type: ignore[attr-defined]
    assert not hasattr(checkout, "quantity")


def test_opened_event_is_internal() -> None:
    opened = ClickSession.open("ses_1").collect_events()[0]
    assert not hasattr(opened, "event_type")


def test_a_deep_copy_is_independent_of_the_original() -> None:
    # The aggregate cache relies on this: a failed command must not touch the cached session.
    session = ClickSession.open("ses_1")
    session.record(click("add_to_cart"))
    session.collect_events()
    copied = copy.deepcopy(session)
    copied.record(click("add_to_cart"))
    assert (session.cart, len(session.seen), session.version) == ({"itm_1": 1}, 1, 2)
    assert (copied.cart, len(copied.seen), copied.version) == ({"itm_1": 2}, 2, 3)
    assert session.pending_events == []


def _constructed(recorded: ClickSession.Recorded) -> ClickSession.Recorded:
    """The event `record` built, built again through its class's own __init__ (as
    trigger_event builds events): a missing or extra field would raise here."""
    return type(recorded)(**vars(recorded))


@pytest.mark.parametrize(
    ("event_type", "overrides"),
    [
        ("impression", {}),
        ("click", {"user_id": None, "position": None}),
        ("add_to_cart", {"quantity": 3}),
        ("add_to_cart", {}),  # no quantity: one
        ("remove_from_cart", {"quantity": 1}),
        ("checkout_started", {}),  # no item, no position, whatever the client sent
    ],
)
def test_a_recorded_event_is_the_event_its_class_would_construct(
    event_type: str, overrides: dict[str, object]
) -> None:
    session = ClickSession.open("ses_1")
    session.record(click("add_to_cart", quantity=2))
    session.collect_events()
    before = session.version
    sent = click(event_type, **overrides)  # type: ignore[arg-type]
    session.record(sent)
    (recorded,) = session.collect_events()
    rebuilt = _constructed(recorded)  # type: ignore[arg-type]
    assert recorded == rebuilt
    # Field by field in the dataclass's order: vars() is what the stored JSON is written from.
    assert list(vars(recorded).items()) == list(vars(rebuilt).items())
    assert recorded.originator_id == session.id
    assert recorded.originator_version == before + 1 == session.version
    assert recorded.timestamp.tzinfo is not None
    assert session.modified_on == recorded.timestamp
    assert recorded.event_id == sent.event_id  # type: ignore[attr-defined]
    assert session.record(sent) is False  # now a duplicate
    checkout = event_type == "checkout_started"
    expected = {
        "session_id": "ses_1",
        "user_id": sent.user_id,
        "item_id": None if checkout else sent.item_id,
        "position": None if checkout else sent.position,
    }
    assert {k: getattr(recorded, k) for k in expected} == expected
    if event_type in ("add_to_cart", "remove_from_cart"):
        assert recorded.quantity == (sent.quantity or 1)  # type: ignore[attr-defined]


def test_clicks_decided_together_may_share_a_timestamp() -> None:
    session = ClickSession.open("ses_1")
    session.record(click("impression"), NOW)
    session.record(click("add_to_cart"), NOW)
    _, *recorded = session.collect_events()
    assert [e.timestamp for e in recorded] == [NOW, NOW]
    assert session.modified_on == NOW
