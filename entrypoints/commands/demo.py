"""`flowguard demo`: serve, simulate through HTTP, stream to BRONZE, build GOLD, report and
reconcile, on the embedded set by default."""

from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from entrypoints.commands.errors import Refusal
from entrypoints.commands.simulate import Days, Start, Users, simulate
from entrypoints.commands.up import checked_container, serve_until_interrupted, shutdown, up

DEMO_SEED = 7
# The first day is built alone while the traffic goes on; the last two together, in a warm JVM
# (measured: two cold days at once on 2 cores took 3x longer than one).
DEMO_WORKERS = 2
Port = Annotated[
    int | None, typer.Option(help="Serve the dashboard on this port afterwards (as --serve).")
]


def demo(
    *, seed: Annotated[int, typer.Option(help="Same seed, same traffic, same GOLD.")] = DEMO_SEED,
    days: Days = 3, users: Users = 2000, start: Start = None,
    serve: Annotated[bool, typer.Option(help="Keep serving the dashboard afterwards.")] = False,
    port: Port = None,
) -> None:  # fmt: skip
    """Serve, simulate through HTTP, stream to BRONZE, build GOLD, report and reconcile."""
    from rich.console import Console

    from entrypoints.commands.running import announced
    from entrypoints.demo.builder import Builder
    from entrypoints.demo.run import run_demo
    from entrypoints.demo.stack import Stack
    from entrypoints.simulator.plan import TrafficConfig

    console = Console()
    serve = serve or port is not None
    port = (port or 8000) if serve else 0
    _refuse_when_up_runs()
    container = checked_container("127.0.0.1", port, "the demo needs it alone")
    _tune_spark(container)
    data_dir = container.settings().data_dir
    report = data_dir / "demo-report.html"
    first: date | None = start.date() if start else None
    traffic = TrafficConfig(seed=seed, days=days, users=users, start=first)
    console.rule(f"FlowGuard demo: {days} days, {users} shoppers, seed {seed}")
    builder = Builder(container, workers=DEMO_WORKERS)
    stack = Stack(container, port=port, builder=builder)
    try:
        stack.start()
        with announced(data_dir, "demo", stack.url):
            result = run_demo(container, traffic, console, report, stack)
            _where_next(console, data_dir, report)
            if serve:
                console.print(
                    f"Dashboard: {stack.url}/dashboard  storefront: {stack.url}/storefront"
                )
                serve_until_interrupted(stack)
    finally:
        shutdown(container, stack)
    raise typer.Exit(0 if result.ok else 1)


def _refuse_when_up_runs() -> None:
    from entrypoints.commands.running import find_running
    from entrypoints.settings import load_settings

    data_dir = load_settings().data_dir
    running = find_running(data_dir)
    if running is not None:
        raise Refusal(
            f"{running.describe()} already serves {data_dir}, and the demo needs it alone: add "
            f"traffic with `flowguard simulate --target {running.url}`, or stop it and run the "
            "demo again"
        )


def _tune_spark(container: Any) -> None:
    """Spark for the demo's days: a few thousand rows per table."""
    import os

    from dependency_injector import providers

    # Everything runs on this host; saying so spares a warning about the loopback hostname.
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    small_days = container.spark_config().for_small_days()
    container.spark_config.override(providers.Object(small_days))


def _where_next(console: Any, data_dir: Path, report: Path) -> None:
    console.print(f"""
[bold]The data is left in place[/] under {data_dir}:
  event store  {data_dir / "events.sqlite"}
  warehouse    {data_dir / "fakesnow"}
  lake         {data_dir / "lake"}
  report       {report}

[bold]Next[/] (the commands are in .venv/bin; `source .venv/bin/activate` puts them on PATH)
  .venv/bin/flowguard up          everything in one process: open /dashboard, /storefront
  then, in another terminal, while `up` runs:
  .venv/bin/flowguard simulate --target http://127.0.0.1:8000    fresh traffic, now
  .venv/bin/flowguard batch run   build yesterday (again, with the new events)
  .venv/bin/flowguard batch status
""")


def register(app: typer.Typer) -> None:
    app.command("demo", short_help="The whole path once: traffic, GOLD, report.")(demo)
    app.command("simulate", short_help="Send shoppers' traffic to a deployment.")(simulate)
    app.command("up", short_help="Everything in one process, until Ctrl-C.")(up)
