"""Restatements: the GOLD figures a rebuild changed."""

from datetime import date
from decimal import Decimal

from pipelines.jobs.restatements import changed_figures, render, same_value

D = date(2026, 11, 20)


def test_equal_figures_of_different_numeric_types_are_not_a_change() -> None:
    assert same_value(Decimal("10.50"), 10.5)
    assert same_value(3, Decimal("3"))
    assert same_value(None, None)
    assert not same_value(None, 0)
    assert not same_value(Decimal("10.50"), Decimal("10.51"))


def test_a_changed_figure_is_reported_with_its_key_and_both_values() -> None:
    old = [{"METRIC_DATE": D, "ITEM_ID": "i1", "ORDERS": 2, "REVENUE": Decimal("20.00")}]
    new = [{"METRIC_DATE": D, "ITEM_ID": "i1", "ORDERS": 3, "REVENUE": Decimal("20.00")}]
    changes = list(changed_figures(("ITEM_ID",), ("ITEM_ID", "ORDERS", "REVENUE"), old, new))
    assert changes == [('{"ITEM_ID": "i1"}', "ORDERS", 2, 3)]


def test_rows_that_appear_or_vanish_change_every_figure() -> None:
    old = [{"ITEM_ID": "gone", "ORDERS": 1}]
    new = [{"ITEM_ID": "new", "ORDERS": 4}]
    changes = set(changed_figures(("ITEM_ID",), ("ITEM_ID", "ORDERS"), old, new))
    assert changes == {
        ('{"ITEM_ID": "gone"}', "ORDERS", 1, None),
        ('{"ITEM_ID": "new"}', "ORDERS", None, 4),
    }


def test_identical_days_restate_nothing() -> None:
    rows = [{"ORDER_HOUR": 10, "TOTAL_ORDERS": 5}]
    assert list(changed_figures(("ORDER_HOUR",), ("ORDER_HOUR", "TOTAL_ORDERS"), rows, rows)) == []


def test_values_are_rendered_as_text() -> None:
    assert render(Decimal("1.50")) == "1.50"
    assert render(D) == "2026-11-20"
    assert render(None) is None
