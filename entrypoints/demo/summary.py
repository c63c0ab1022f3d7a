"""Prints GOLD, data quality and the reconciliation as rich tables."""

from typing import Any

from rich.console import Console
from rich.table import Table

from entrypoints.report.data import QualityFigure, ReconciledDay


def _table(title: str, columns: list[str]) -> Table:
    table = Table(title=title, title_justify="left", header_style="bold")
    for n, column in enumerate(columns):
        table.add_column(column, justify="left" if n == 0 else "right")
    return table


def _money(value: Any) -> str:
    return "-" if value is None else f"₹{value:,.2f}"


def _rate(value: Any) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"


def print_gold(console: Console, gold: dict[str, list[dict[str, Any]]]) -> None:
    daily = _table(
        "GOLD.DAILY_GMV_METRICS",
        ["day", "orders", "delivered", "cancelled", "GMV", "net GMV", "AOV", "customers"],
    )
    for r in gold["daily_gmv_metrics"]:
        daily.add_row(
            r["METRIC_DATE"],
            str(r["TOTAL_ORDERS"]),
            str(r["DELIVERED_ORDERS"]),
            str(r["CANCELLED_ORDERS"]),
            _money(r["GMV"]),
            _money(r["NET_GMV"]),
            _money(r["AVG_ORDER_VALUE"]),
            str(r["UNIQUE_CUSTOMERS"]),
        )
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
    print_items(console, gold["food_item_performance"])
    print_cohorts(console, gold["user_cohort_metrics"])


def print_peaks(console: Console, gold: dict[str, list[dict[str, Any]]]) -> None:
    hours: dict[int, int] = {}
    for row in gold["hourly_order_patterns"]:
        hours[row["ORDER_HOUR"]] = hours.get(row["ORDER_HOUR"], 0) + row["TOTAL_ORDERS"]
    top = sorted(hours.items(), key=lambda kv: -kv[1])[:4]
    peaks = ", ".join(f"{h:02d}:00 ({n} orders)" for h, n in sorted(top))
    console.print(f"[bold]GOLD.HOURLY_ORDER_PATTERNS[/] busiest hours (UTC, all days): {peaks}\n")


def print_items(console: Console, rows: list[dict[str, Any]]) -> None:
    revenue: dict[str, list[Any]] = {}
    for r in rows:
        entry = revenue.setdefault(r["ITEM_ID"], [r["ITEM_NAME"] or r["ITEM_ID"], 0, 0, 0.0])
        entry[1], entry[2], entry[3] = (
            entry[1] + r["ORDERS"],
            entry[2] + r["CLICKS"],
            entry[3] + r["REVENUE"],
        )
    table = _table(
        "GOLD.FOOD_ITEM_PERFORMANCE: top 5 items by revenue, all days",
        ["item", "orders", "clicks", "revenue"],
    )
    for name, orders, clicks, money in sorted(revenue.values(), key=lambda e: -e[3])[:5]:
        table.add_row(name, str(orders), str(clicks), _money(money))
    console.print(table)


def print_cohorts(console: Console, rows: list[dict[str, Any]]) -> None:
    table = _table(
        "GOLD.USER_COHORT_METRICS",
        ["day", "cohort", "segment", "cohort size", "active", "retention"],
    )
    for r in rows:
        table.add_row(
            r["METRIC_DATE"],
            r["COHORT_DATE"],
            r["SEGMENT"],
            str(r["COHORT_SIZE"]),
            str(r["ACTIVE_USERS"]),
            _rate(r["RETENTION_RATE"]),
        )
    console.print(table)


def print_quality(console: Console, figures: list[QualityFigure]) -> None:
    table = _table(
        "Data quality: duplicates caught and records refused, stage by stage",
        ["stage", "what", "count"],
    )
    for figure in figures:
        table.add_row(figure.stage, figure.label, f"{figure.value:,}")
    console.print(table)


def print_reconciliation(console: Console, days: list[ReconciledDay]) -> bool:
    table = _table(
        "Reconciliation: event store vs GOLD.DAILY_GMV_METRICS",
        ["day", "orders", "delivered", "GMV", "result"],
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
