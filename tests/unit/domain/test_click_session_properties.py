"""Property tests: any click sequence keeps the cart coherent, and replay rebuilds the session."""

from hypothesis import given
from hypothesis import strategies as st

from domain.click_session import ClickSession
from domain.errors import Invalid
from tests.unit.domain.builders import click

steps = st.tuples(
    st.sampled_from(["impression", "click", "add_to_cart", "remove_from_cart", "checkout_started"]),
    st.sampled_from(["itm_1", "itm_2"]),
    st.integers(min_value=1, max_value=5),
)


@given(st.lists(steps, max_size=15))
def test_the_cart_never_goes_negative_and_replay_rebuilds_it(
    sequence: list[tuple[str, str, int]],
) -> None:
    session = ClickSession.open("ses_p")
    expected: dict[str, int] = {}
    for event_type, item, quantity in sequence:
        try:
            session.record(click(event_type, item_id=item, quantity=quantity))
        except Invalid:
            continue
        if event_type == "add_to_cart":
            expected[item] = expected.get(item, 0) + quantity
        elif event_type == "remove_from_cart":
            expected[item] -= quantity
            if not expected[item]:
                del expected[item]
    assert session.cart == expected
    assert all(n > 0 for n in session.cart.values())
    rebuilt = None
    for event in session.collect_events():
        rebuilt = event.mutate(rebuilt)
    assert isinstance(rebuilt, ClickSession)
    assert (rebuilt.cart, rebuilt.seen, rebuilt.version) == (
        session.cart,
        session.seen,
        session.version,
    )
