"""The ClickSession aggregate: retries are no-ops, the funnel stays coherent, and every stored
event gets the server's own id (the client's is kept beside it)."""

from typing import Any

import orjson
import pytest
from eventsourcing.persistence import (
    DatetimeAsISO,
    DecimalAsStr,
    JSONTranscoder,
    Mapper,
    StoredEvent,
    UUIDAsHex,
)

from domain.click_session import ClickSession, Recording
from domain.errors import Invalid
from domain.order import Order
from tests.unit.domain.builders import NOW, OWNER, click


def test_a_session_id_maps_to_a_stable_aggregate_id_per_owner() -> None:
    session = ClickSession.open(OWNER, "ses_1")
    assert session.id == ClickSession.create_id(OWNER, "ses_1")
    assert ClickSession.create_id(OWNER, "ses_1") == ClickSession.create_id(OWNER, "ses_1")
    assert ClickSession.create_id(OWNER, "ses_1") != ClickSession.create_id(OWNER, "ses_2")
    # The same session id sent by another user or caller is another session.
    assert ClickSession.create_id(OWNER, "ses_1") != ClickSession.create_id("user:usr_2", "ses_1")
    assert ClickSession.create_id(OWNER, "ses_1") != ClickSession.create_id("caller:c", "ses_1")
    assert session.session_id == "ses_1"


def test_no_other_kind_of_record_has_a_sessions_id() -> None:
    # Ids are derived per kind: an order made from the same strings is another id.
    assert ClickSession.create_id(OWNER, "ses_1") != Order.create_id(OWNER, "ses_1")


def test_a_recorded_client_event_id_is_a_no_op() -> None:
    session = ClickSession.open(OWNER, "ses_1")
    impression = click("impression")
    first = session.record(impression)
    assert first == Recording(first.event_id, new=True)
    assert first.event_id != impression.client_event_id  # the server's own id
    assert session.record(impression) == Recording(first.event_id, new=False)
    assert session.version == 2  # opened + one impression
    assert session.seen == {impression.client_event_id.int: first.event_id.int}


def test_clicks_without_a_client_id_are_each_a_new_fact() -> None:
    session = ClickSession.open(OWNER, "ses_1")
    anonymous = click("impression", client_event_id=None)
    first, second = session.record(anonymous), session.record(anonymous)
    assert first.new
    assert second.new
    assert first.event_id != second.event_id
    assert session.version == 3
    assert session.seen == {}


def test_the_same_client_id_in_two_sessions_is_two_facts() -> None:
    sent = click("impression")
    one, two = ClickSession.open(OWNER, "ses_1"), ClickSession.open(OWNER, "ses_2")
    recorded = [one.record(sent), two.record(sent)]
    assert all(r.new for r in recorded)
    assert recorded[0].event_id != recorded[1].event_id


def test_cart_follows_adds_and_removes() -> None:
    session = ClickSession.open(OWNER, "ses_1")
    session.record(click("add_to_cart", quantity=3))
    session.record(click("remove_from_cart", quantity=2))
    assert session.cart == {"itm_1": 1}
    session.record(click("remove_from_cart", quantity=1))
    assert session.cart == {}


def test_removing_what_was_never_added_is_rejected() -> None:
    session = ClickSession.open(OWNER, "ses_1")
    with pytest.raises(Invalid) as raised:
        session.record(click("remove_from_cart"))
    assert raised.value.errors[0].field == "quantity"
    assert session.version == 1


def test_checkout_needs_a_non_empty_cart() -> None:
    session = ClickSession.open(OWNER, "ses_1")
    with pytest.raises(Invalid):
        session.record(click("checkout_started", item_id=None))
    session.record(click("add_to_cart"))
    assert session.record(click("checkout_started", item_id=None)).new


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
        ClickSession.open(OWNER, "ses_1").record(click(event_type, **overrides))  # type: ignore[arg-type]
    assert [e.field for e in raised.value.errors] == [field]


def test_a_refused_click_leaves_its_client_id_free_for_a_corrected_retry() -> None:
    session = ClickSession.open(OWNER, "ses_1")
    bad = click("remove_from_cart")
    with pytest.raises(Invalid):
        session.record(bad)
    session.record(click("add_to_cart"))
    assert session.record(bad).new


def test_checkout_event_carries_no_item_or_position() -> None:
    session = ClickSession.open(OWNER, "ses_1")
    session.record(click("add_to_cart", quantity=2))
    session.record(click("checkout_started"))
    *_, added, checkout = session.collect_events()
    assert added.event_type == "click.add_to_cart"  # type: ignore[attr-defined]
    assert added.quantity == 2  # type: ignore[attr-defined]
    assert checkout.event_type == "click.checkout_started"  # type: ignore[attr-defined]
    assert (checkout.item_id, checkout.position) == (None, None)  # type: ignore[attr-defined]
    assert not hasattr(checkout, "quantity")


def test_opened_event_is_internal() -> None:
    opened = ClickSession.open(OWNER, "ses_1").collect_events()[0]
    assert not hasattr(opened, "event_type")


def _constructed(recorded: ClickSession.Recorded) -> ClickSession.Recorded:
    """The event `record` built, built again through its class's own __init__: a missing or
    extra field would raise here."""
    return type(recorded)(**vars(recorded))


@pytest.mark.parametrize(
    ("event_type", "overrides"),
    [
        ("impression", {}),
        ("click", {"user_id": None, "position": None}),
        ("click", {"client_event_id": None}),
        ("add_to_cart", {"quantity": 3}),
        ("add_to_cart", {}),  # no quantity: one
        ("remove_from_cart", {"quantity": 1}),
        ("checkout_started", {}),  # no item, no position, whatever the client sent
    ],
)
def test_a_recorded_event_is_the_event_its_class_would_construct(
    event_type: str, overrides: dict[str, object]
) -> None:
    session = ClickSession.open(OWNER, "ses_1")
    session.record(click("add_to_cart", quantity=2))
    session.collect_events()
    before = session.version
    sent = click(event_type, **overrides)  # type: ignore[arg-type]
    recording = session.record(sent)
    (recorded,) = session.collect_events()
    rebuilt = _constructed(recorded)  # type: ignore[arg-type]
    assert recorded == rebuilt
    # Field by field in the dataclass's order: vars() is what the stored JSON is written from.
    assert list(vars(recorded).items()) == list(vars(rebuilt).items())
    assert recorded.originator_id == session.id
    assert recorded.originator_version == before + 1 == session.version
    assert recorded.timestamp.tzinfo is not None
    assert session.modified_on == recorded.timestamp
    assert recorded.event_id == recording.event_id != sent.client_event_id  # type: ignore[attr-defined]
    assert recorded.client_event_id == sent.client_event_id  # type: ignore[attr-defined]
    if sent.client_event_id is not None:
        assert session.record(sent) == Recording(recording.event_id, new=False)
    checkout = event_type == "checkout_started"
    expected = {
        "session_id": "ses_1",
        "user_id": sent.user_id,
        "item_id": None if checkout else sent.item_id,
        "position": None if checkout else sent.position,
        "event_time": sent.event_time,
        "received_at": sent.received_at,
        "restaurant_id": sent.restaurant_id,
        "page": sent.page,
    }
    assert {k: getattr(recorded, k) for k in expected} == expected
    if event_type in ("add_to_cart", "remove_from_cart"):
        assert recorded.quantity == (sent.quantity or 1)  # type: ignore[attr-defined]


def test_clicks_decided_together_may_share_a_timestamp() -> None:
    session = ClickSession.open(OWNER, "ses_1")
    session.record(click("impression"), NOW)
    session.record(click("add_to_cart"), NOW)
    _, *recorded = session.collect_events()
    assert [e.timestamp for e in recorded] == [NOW, NOW]
    assert session.modified_on == NOW


def _mapper() -> Mapper[Any]:
    transcoder = JSONTranscoder()
    for transcoding in (UUIDAsHex(), DatetimeAsISO(), DecimalAsStr()):
        transcoder.register(transcoding)
    return Mapper(transcoder)


def test_a_version_1_click_reads_its_old_id_as_the_clients() -> None:
    # Version 1 stored the client's id (or a random one) as `event_id`, and no client id.
    mapper = _mapper()
    session = ClickSession.open(OWNER, "ses_1")
    session.record(click("add_to_cart", quantity=2))
    opened, recorded = session.collect_events()
    state = orjson.loads(mapper.to_stored_event(recorded).state)
    assert state.pop("class_version") == 2
    del state["client_event_id"]
    old = StoredEvent(recorded.originator_id, 2, mapper.to_stored_event(recorded).topic,
                      orjson.dumps(state))  # fmt: skip
    upcast = mapper.to_domain_event(old)
    assert upcast.event_id == upcast.client_event_id == recorded.event_id  # type: ignore[attr-defined]
    replayed = upcast.mutate(opened.mutate(None))
    assert isinstance(replayed, ClickSession)
    assert replayed.cart == {"itm_1": 2}
    assert replayed.seen == {recorded.event_id.int: recorded.event_id.int}  # type: ignore[attr-defined]


def test_a_replayed_session_knows_its_retries() -> None:
    session = ClickSession.open(OWNER, "ses_1")
    sent = click("impression")
    recording = session.record(sent)
    rebuilt = None
    for event in session.collect_events():
        rebuilt = event.mutate(rebuilt)
    assert isinstance(rebuilt, ClickSession)
    assert rebuilt.record(sent) == Recording(recording.event_id, new=False)
