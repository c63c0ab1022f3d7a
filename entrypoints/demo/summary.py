"""Prints GOLD, data quality and the reconciliation as rich tables that fit 80 columns."""

from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table

from entrypoints.report.data import QualityFigure, ReconciledDay


def _table(title: str, columns: list[str]) -> Table:
    table = Table(
        title=title, title_justify="left", header_style="bold", box=box.SIMPLE_HEAD,
        pad_edge=False, padding=(0, 1),
    )  # fmt: skip
    for n, column in enumerate(columns):
        table.add_column(column, justify="left" if n == 0 else "right", no_wrap=n == 0)
    return table


def _rupees(value: Any) -> str:
    """Whole rupees with Indian grouping is enough on screen; the report and GOLD keep paise."""
    if value is None:
        return "-"
    whole = f"{round(value):d}"
    head, tail = whole[:-3], whole[-3:]
    groups = [head[max(0, i - 2) : i] for i in range(len(head), 0, -2)][::-1]
    return "₹" + ",".join([*groups, tail]) if head else f"₹{tail}"


def _rate(value: Any) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def print_gold(
    console: Console, gold: dict[str, list[dict[str, Any]]], restaurants: dict[str, str]
) -> None:
    daily = _table(
        "GOLD.DAILY_GMV_METRICS",
        ["day", "orders", "deliv.", "canc.", "GMV", "net GMV", "AOV", "cust."],
    )
    for r in gold["daily_gmv_metrics"]:
        daily.add_row(
            r["METRIC_DATE"], str(r["TOTAL_ORDERS"]), str(r["DELIVERED_ORDERS"]),
            str(r["CANCELLED_ORDERS"]), _rupees(r["GMV"]), _rupees(r["NET_GMV"]),
            _rupees(r["AVG_ORDER_VALUE"]), str(r["UNIQUE_CUSTOMERS"]),
        )  # fmt: skip
    funnel = _table(
        "GOLD.USER_FUNNEL_METRICS (sessions)",
        ["day", "impression", "click", "cart", "checkout", "order", "conversion"],
    )
    for r in gold["user_funnel_metrics"]:
        stages = ("IMPRESSION", "CLICK", "CART", "CHECKOUT", "ORDER")
        funnel.add_row(
            r["METRIC_DATE"],
            *(str(r[f"{s}_SESSIONS"]) for s in stages),
            _rate(r["OVERALL_CONVERSION"]),
        )
    console.print(daily, funnel)
    print_peaks(console, gold)
    print_items(console, gold["food_item_performance"], restaurants)
    print_cohorts(console, gold["user_cohort_metrics"])


def print_peaks(console: Console, gold: dict[str, list[dict[str, Any]]]) -> None:
    hours: dict[int, int] = {}
    for row in gold["hourly_order_patterns"]:
        hours[row["ORDER_HOUR"]] = hours.get(row["ORDER_HOUR"], 0) + row["TOTAL_ORDERS"]
    top = sorted(hours.items(), key=lambda kv: -kv[1])[:4]
    peaks = ", ".join(f"{h:02d}:00 ({_plural(n, 'order')})" for h, n in sorted(top))
    console.print(f"[bold]Busiest hours[/] (UTC, all days): {peaks}\n")


def print_items(console: Console, rows: list[dict[str, Any]], restaurants: dict[str, str]) -> None:
    revenue: dict[str, list[Any]] = {}
    for r in rows:
        entry = revenue.setdefault(r["ITEM_ID"], [_item_label(r, restaurants), 0, 0, 0.0])
        entry[1], entry[2], entry[3] = (
            entry[1] + r["ORDERS"],
            entry[2] + r["CLICKS"],
            entry[3] + r["REVENUE"],
        )
    table = _table(
        "GOLD.FOOD_ITEM_PERFORMANCE: top 5 items by revenue, all days",
        ["item (restaurant)", "orders", "clicks", "revenue"],
    )
    ordered = [entry for entry in revenue.values() if entry[3] > 0]
    for name, orders, clicks, money in sorted(ordered, key=lambda e: -e[3])[:5]:
        table.add_row(name, str(orders), str(clicks), _rupees(money))
    console.print(table)


def _item_label(row: dict[str, Any], restaurants: dict[str, str]) -> str:
    # The same dish is on several menus: the restaurant tells the rows apart.
    name = row["ITEM_NAME"] or row["ITEM_ID"]
    where = restaurants.get(row["RESTAURANT_ID"], row["RESTAURANT_ID"])
    return f"{name} ({where})"[:44]


def print_cohorts(console: Console, rows: list[dict[str, Any]]) -> None:
    table = _table(
        "GOLD.USER_COHORT_METRICS",
        ["day", "cohort", "segment", "size", "active", "retention"],
    )
    for r in rows:
        table.add_row(
            r["METRIC_DATE"], r["COHORT_DATE"], r["SEGMENT"], str(r["COHORT_SIZE"]),
            str(r["ACTIVE_USERS"]), _rate(r["RETENTION_RATE"]),
        )  # fmt: skip
    console.print(table)


def print_quality(console: Console, figures: list[QualityFigure]) -> None:
    table = _table(
        "Data quality: duplicates caught and records refused", ["stage", "what", "count"]
    )
    table.columns[1].justify = "left"
    for figure in figures:
        table.add_row(figure.stage, figure.label, f"{figure.value:,}")
    console.print(table)


def print_reconciliation(console: Console, days: list[ReconciledDay]) -> bool:
    table = _table(
        "Reconciliation: event store / GOLD.DAILY_GMV_METRICS",
        ["day", "orders", "delivered", "GMV (₹)", "result"],
    )
    for d in days:
        cells = [f"{d.source[k]} / {d.gold[k]}" for k in ("orders", "delivered", "gmv")]
        table.add_row(
            d.day, *cells, "[green]agree[/]" if d.matches else "[bold white on red] MISMATCH [/]"
        )
    console.print(table)
    ok = all(d.matches for d in days)
    if not ok:
        console.print(
            "[bold white on red] RECONCILIATION FAILED: GOLD disagrees with the event store "
            "(store / GOLD above) [/]"
        )
    return ok
