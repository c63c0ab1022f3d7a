"""Property tests: any click sequence keeps the cart coherent, a resent click is never stored
twice, and replay rebuilds the session."""

from uuid import UUID

from hypothesis import given
from hypothesis import strategies as st

from domain.click_session import Click, ClickSession, Recording
from domain.errors import Invalid
from tests.unit.domain.builders import OWNER, click

steps = st.tuples(
    st.sampled_from(["impression", "click", "add_to_cart", "remove_from_cart", "checkout_started"]),
    st.sampled_from(["itm_1", "itm_2"]),
    st.integers(min_value=1, max_value=5),
)


@given(st.lists(steps, max_size=15))
def test_the_cart_never_goes_negative_and_replay_rebuilds_it(
    sequence: list[tuple[str, str, int]],
) -> None:
    session = ClickSession.open(OWNER, "ses_p")
    expected: dict[str, int] = {}
    recorded: list[tuple[Click, UUID]] = []
    for event_type, item, quantity in sequence:
        sent = click(event_type, item_id=item, quantity=quantity)
        try:
            recording = session.record(sent)
        except Invalid:
            continue
        recorded.append((sent, recording.event_id))
        if event_type == "add_to_cart":
            expected[item] = expected.get(item, 0) + quantity
        elif event_type == "remove_from_cart":
            expected[item] -= quantity
            if not expected[item]:
                del expected[item]
    assert session.cart == expected
    assert all(n > 0 for n in session.cart.values())
    version = session.version
    for sent, event_id in recorded:  # every click resent: each one a retry
        assert session.record(sent) == Recording(event_id, new=False)
    assert session.version == version
    events = session.collect_events()
    assert len({e.event_id for e in events[1:]}) == len(recorded)  # type: ignore[attr-defined]
    rebuilt = None
    for event in events:
        rebuilt = event.mutate(rebuilt)
    assert isinstance(rebuilt, ClickSession)
    assert (rebuilt.cart, rebuilt.seen, rebuilt.version) == (
        session.cart,
        session.seen,
        session.version,
    )
