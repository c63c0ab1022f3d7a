"""`flowguard demo | simulate | up`: the end-to-end walkthrough, the traffic driver, the stack."""

import os
import signal
import threading
import warnings
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from dependency_injector import providers
from rich.console import Console
from rich.table import Table

from entrypoints.bootstrap import create_container
from entrypoints.demo.run import run_demo
from entrypoints.demo.stack import Stack
from entrypoints.simulator.plan import TrafficConfig
from entrypoints.simulator.run import simulate as drive

console = Console()
SMALL_DAYS = {"spark.sql.codegen.wholeStage": "false"}
Seed = Annotated[int, typer.Option(help="Same seed, same traffic, same GOLD.")]
Days = Annotated[int, typer.Option(min=1, help="Simulated days, ending yesterday (UTC).")]
Users = Annotated[int, typer.Option(min=1, help="Shoppers; about half of them visit per day.")]
Start = Annotated[datetime | None, typer.Option(formats=["%Y-%m-%d"], help="First day.")]
Host = Annotated[str, typer.Option(help="Interface to bind.")]
Port = Annotated[int, typer.Option(help="TCP port of the API and pages.")]


def _traffic(seed: int, days: int, users: int, start: datetime | None) -> TrafficConfig:
    first: date | None = start.date() if start else None
    return TrafficConfig(seed=seed, days=days, users=users, start=first)


def demo(
    *, seed: Seed = 7, days: Days = 3, users: Users = 2000, start: Start = None,
    serve: Annotated[bool, typer.Option(help="Keep serving the dashboard afterwards.")] = False,
    port: Port = 8000,
) -> None:  # fmt: skip
    """Serve, simulate through HTTP, stream to BRONZE, build GOLD, report and reconcile."""
    # fakesnow warns on every DB-API result it converts; the demo's output is for people.
    warnings.filterwarnings("ignore", message="Arrow output", category=UserWarning)
    container = _demo_container()
    data_dir = container.settings().data_dir
    report = data_dir / "demo-report.html"
    console.rule(f"FlowGuard demo: {days} days, {users} shoppers, seed {seed}")
    stack = Stack(container, port=port if serve else 0).start()
    try:
        result = run_demo(container, _traffic(seed, days, users, start), console, report, stack)
        _where_next(data_dir, report)
        if serve:
            console.print(f"Dashboard: {stack.url}/dashboard  storefront: {stack.url}/storefront")
            _serve_until_interrupted(stack)
    finally:
        _shutdown(container, stack)
    raise typer.Exit(0 if result.ok else 1)


def _demo_container() -> Any:
    """The configured container, with Spark tuned for the demo's small days: whole-stage code
    generation costs more JVM time than a few thousand rows per table save (as in the tests)."""
    # Everything runs on this host; saying so spares a warning about the loopback hostname.
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    container = create_container()
    config = container.spark_config()
    spark = replace(config, options={**config.options, **SMALL_DAYS})
    container.spark_config.override(providers.Object(spark))
    return container


def simulate(
    *, target: Annotated[str, typer.Option(help="Base URL of a running FlowGuard API.")],
    seed: Seed = 7, days: Days = 1, users: Users = 500, start: Start = None,
    concurrency: Annotated[int, typer.Option(min=1)] = 16,
    api_key: Annotated[str | None, typer.Option(envvar="FLOWGUARD_API_KEY")] = None,
) -> None:  # fmt: skip
    """Drive any running deployment with the demo's traffic model."""
    traffic = _traffic(seed, days, users, start)
    with console.status(f"simulating {days} day(s) against {target}"):
        simulation = drive(target, traffic, concurrency=concurrency, api_key=api_key)
    table = Table("outcome", "count", title=f"What {target} answered")
    for key, value in simulation.outcome.as_dict().items():
        table.add_row(key, f"{value:,}")
    console.print(table)
    for error in simulation.errors:
        console.print(f"[red]{error}")
    raise typer.Exit(1 if simulation.errors else 0)


def up(host: Host = "127.0.0.1", port: Port = 8000) -> None:
    """API, relay and bronze consumer together on the configured adapters, until Ctrl-C."""
    container = create_container()
    stack = Stack(container, host=host, port=port).start()
    console.print(
        f"FlowGuard is up: {stack.url}/storefront  {stack.url}/dashboard  {stack.url}/docs"
    )
    try:
        _serve_until_interrupted(stack)
    finally:
        _shutdown(container, stack)


def _serve_until_interrupted(stack: Stack) -> None:
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    console.print("Press Ctrl-C to stop.")
    while not stop.wait(0.5):
        if not stack.alive():
            raise RuntimeError("a FlowGuard thread died; see the log above")
    console.print("Stopping: API, relay and consumer finish their current step.")


def _shutdown(container: Any, stack: Stack) -> None:
    stack.stop()
    container.flowguard_app().close()
    container.shutdown_resources()


def _where_next(data_dir: Path, report: Path) -> None:
    console.print(f"""
[bold]The data is left in place[/] under {data_dir}:
  event store   {data_dir / "events.sqlite"}
  warehouse     {data_dir / "fakesnow"}   (BRONZE, SILVER, GOLD; fakesnow on DuckDB)
  lake          {data_dir / "lake"}
  report        {report}

[bold]Next[/]
  flowguard up                 API + relay + consumer: open /dashboard and /storefront
  flowguard batch status       what the pipeline built, per day
  flowguard simulate --target http://127.0.0.1:8000 --days 1   more traffic
""")


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)
    app.command("simulate")(simulate)
    app.command("up")(up)
