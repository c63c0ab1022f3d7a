"""`flowguard up`: the whole product in one process, until Ctrl-C: the API and its pages, the
relay, the bronze consumer, the daily schedule and the builder behind "build now" and
`flowguard batch run`."""

import signal
import threading
from typing import Annotated, Any

import typer

Host = Annotated[str, typer.Option(help="Interface to bind.")]
Port = Annotated[int, typer.Option(help="TCP port of the API and pages.")]


def up(
    host: Host = "127.0.0.1",
    port: Port = 8000,
    schedule: Annotated[
        bool, typer.Option(help="Build due days now and daily at 01:00 UTC.")
    ] = True,
    workers: Annotated[int, typer.Option(min=1, help="Days built in parallel (threads).")] = 1,
) -> None:
    """API, pages, relay, consumer, daily schedule and "build now" together, until Ctrl-C."""
    from entrypoints.commands.running import announced
    from entrypoints.demo.builder import Builder
    from entrypoints.demo.schedule import DailySchedule
    from entrypoints.demo.stack import Stack

    container = checked_container(host, port, "one `flowguard up` per data directory")
    builder = Builder(container, workers)
    daily = DailySchedule(builder) if schedule else None
    stack = Stack(container, host=host, port=port, builder=builder, schedule=daily)
    try:
        stack.start()
        with announced(container.settings().data_dir, "up", stack.url):
            typer.echo(f"FlowGuard is up: {stack.url}/dashboard  {stack.url}/storefront  "
                       f"{stack.url}/docs")  # fmt: skip
            typer.echo("In another terminal: flowguard simulate | batch run | batch status "
                       "(they use this process). Ctrl-C stops.")  # fmt: skip
            serve_until_interrupted(stack)
    finally:
        shutdown(container, stack)


def checked_container(host: str, port: int, why: str) -> Any:
    """The configured container, once the usual mistakes are ruled out (each one line)."""
    from entrypoints.bootstrap import create_container
    from entrypoints.commands import preflight
    from entrypoints.commands.noise import quiet_spark
    from entrypoints.settings import load_settings

    settings = load_settings()
    preflight.port_is_free(host, port)
    preflight.nobody_else_serves(settings.data_dir, why)
    preflight.broker_answers(settings)
    container = create_container(settings)
    quiet_spark(container)
    preflight.store_answers(container)
    preflight.warehouse_answers(container)
    return container


def serve_until_interrupted(stack: Any) -> None:
    from entrypoints.commands.errors import Refusal

    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    while not stop.wait(0.5):
        if not stack.alive():
            raise Refusal("a FlowGuard thread stopped; run again with --verbose to see why")
    typer.echo("Stopping: API, relay and consumer finish their current step.")


def shutdown(container: Any, stack: Any) -> None:
    stack.stop()
    # Built during the preflight, so closing it never connects anew.
    container.flowguard_app().close()
    container.shutdown_resources()

