"""SILVER.CLICKS_CLEAN on hand-built BRONZE rows."""

import pytest

from tests.unit.transforms.rows import DAY
from tests.unit.transforms.scenario import Built

pytestmark = pytest.mark.spark


def by_session(built: Built, session: str) -> list:
    rows = [row for row in built.rows("CLICKS_CLEAN") if session == row.SESSION_ID]
    return sorted(rows, key=lambda row: row.EVENT_TIME)


def test_a_click_event_delivered_twice_yields_one_row(built: Built) -> None:
    assert [row.CLICK_TYPE for row in by_session(built, "full")] == [
        "impression",
        "click",
        "add_to_cart",
        "checkout_started",
    ]


def test_only_the_days_events_are_kept(built: Built) -> None:
    rows = built.rows("CLICKS_CLEAN")
    assert {row.EVENT_DATE for row in rows} == {DAY}
    assert len(rows) == 15


def test_valid_clicks_are_enriched_from_the_catalog(built: Built) -> None:
    impression, _, cart, checkout = by_session(built, "full")
    assert (impression.ITEM_NAME, impression.CATEGORY) == ("Paneer Tikka", "starter")
    assert (impression.RESTAURANT_NAME, impression.CITY) == ("Spice Route", "Bengaluru")
    assert impression.IS_VALID
    assert impression.EVENT_HOUR == 23
    assert cart.QUANTITY == 2
    assert impression.QUANTITY is None
    assert checkout.IS_VALID
    assert checkout.ITEM_NAME is None


def test_a_late_click_counts_on_the_day_it_happened(built: Built) -> None:
    (late,) = by_session(built, "late")
    assert late.IS_VALID
    assert late.EVENT_DATE == DAY
    assert late.INGESTED_AT.date() > DAY


def test_invalid_clicks_stay_with_their_first_failing_reason(built: Built) -> None:
    reasons = [row.INVALID_REASON for row in by_session(built, "ghost")]
    assert reasons == [
        "UNKNOWN_ITEM",  # a click on an item missing from the catalog
        "ITEM_NOT_IN_RESTAURANT",
        "UNKNOWN_EVENT_TYPE",
        "BAD_QUANTITY",
        "MISSING_ITEM",
    ]
    (malformed,) = [row for row in built.rows("CLICKS_CLEAN") if row.SESSION_ID is None]
    assert malformed.INVALID_REASON == "MALFORMED_PAYLOAD"
    assert not malformed.IS_VALID
