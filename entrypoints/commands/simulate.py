"""`flowguard simulate`: drive a running deployment with the demo's traffic model.

By default the traffic is fresh: a new seed (new ids) and the 24 hours ending now, so it adds to
what is there and today's live figures move. `--seed` (with `--start`, or `--until`) replays a
run exactly."""

import secrets
from datetime import UTC, date, datetime
from typing import Annotated, Any
from urllib.parse import urlsplit

import typer

from entrypoints.commands.errors import Refusal

Days = Annotated[int, typer.Option(min=1, help="Simulated days (24 h each).")]
Users = Annotated[int, typer.Option(min=1, help="Shoppers; about half of them visit per day.")]
Start = Annotated[
    datetime | None,
    typer.Option(formats=["%Y-%m-%d"], help="First whole day (UTC); default: the hours to now."),
]
Seed = Annotated[
    int | None, typer.Option(help="Replays a run: same seed, same ids. Default: a new one.")
]


def simulate(
    *, target: Annotated[str, typer.Option(help="Base URL of a running FlowGuard, e.g. http://127.0.0.1:8000.")],
    seed: Seed = None, days: Days = 1, users: Users = 500, start: Start = None,
    until: Annotated[datetime | None, typer.Option(
        formats=["%Y-%m-%dT%H:%M:%S"], help="End of the window (UTC; default: now).")] = None,
    concurrency: Annotated[int, typer.Option(min=1)] = 16,
    api_key: Annotated[str | None, typer.Option(envvar="FLOWGUARD_API_KEY")] = None,
) -> None:  # fmt: skip
    """Send shoppers' traffic (clicks, orders, status changes) to a running deployment."""
    from rich.console import Console

    from entrypoints.simulator.plan import TrafficConfig
    from entrypoints.simulator.run import simulate as drive

    url = checked_target(target)
    chosen = seed if seed is not None else secrets.randbelow(1_000_000)
    first: date | None = start.date() if start else None
    end = None if first else (until.replace(tzinfo=UTC) if until else datetime.now(UTC))
    traffic = TrafficConfig(seed=chosen, days=days, users=users, start=first, until=end)
    console = Console()
    with console.status(f"simulating {_window(traffic)} against {url}"):
        simulation = drive(url, traffic, concurrency=concurrency, api_key=api_key)
    _summarise(console, url, traffic, simulation)
    if simulation.errors:
        raise typer.Exit(1)


def checked_target(target: str) -> str:
    """A base URL with a scheme and a host, and something answering there."""
    import httpx

    parts = urlsplit(target)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Refusal(
            f"--target needs a URL with a scheme, e.g. http://127.0.0.1:8000 (got {target!r})",
            code=2,
        )
    url = target.rstrip("/")
    try:
        httpx.get(f"{url}/healthz", timeout=5)
    except httpx.TransportError as error:
        reason = " ".join(str(error).split()) or type(error).__name__
        raise Refusal(
            f"nothing answers at {url} ({reason}): start FlowGuard with `flowguard up`, or "
            "pass the URL of a running one with --target"
        ) from None
    return url


def _window(traffic: Any) -> str:
    if traffic.until is not None:
        return f"{traffic.days * 24} h to {traffic.until:%Y-%m-%d %H:%M} UTC"
    return f"{traffic.days} day(s) from {traffic.first_day()}"


def _summarise(console: Any, url: str, traffic: Any, simulation: Any) -> None:
    from rich.table import Table

    counts = simulation.outcome.counts
    table = Table("what", "count", title=f"What {url} answered", title_justify="left")
    for key, value in simulation.outcome.as_dict().items():
        table.add_row(key, f"{value:,}")
    console.print(table)
    replay = f"--seed {traffic.seed} " + (
        f"--until {traffic.until:%Y-%m-%dT%H:%M:%S}" if traffic.until else
        f"--start {traffic.first_day()}"
    )  # fmt: skip
    console.print(f"seed {traffic.seed}; to send the same traffic again: {replay}")
    if counts["orders.key_reused"]:
        console.print(
            f"[yellow]{counts['orders.key_reused']} order(s) reused an idempotency key with "
            "another body (409):[/] a replay of an earlier run; their status changes were skipped"
        )
    for error in simulation.errors:
        console.print(f"[red]unexpected answer[/] {error}")
