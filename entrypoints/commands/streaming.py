"""`flowguard relay | consume | stream` and `flowguard warehouse init`."""

import logging
import threading
from typing import Annotated, Any

import typer

warehouse_app = typer.Typer(
    help="The Snowflake warehouse (BRONZE).", no_args_is_help=True, rich_markup_mode=None
)

BatchSize = Annotated[
    int, typer.Option(envvar="FLOWGUARD_CONSUMER_BATCH_SIZE", help="Max messages per batch.")
]
BatchWait = Annotated[
    float, typer.Option(envvar="FLOWGUARD_CONSUMER_BATCH_WAIT", help="Max seconds per batch.")
]
Group = Annotated[
    str, typer.Option(envvar="FLOWGUARD_CONSUMER_GROUP", help="Kafka consumer group.")
]
MetricsPort = Annotated[
    int, typer.Option(envvar="FLOWGUARD_CONSUMER_METRICS_PORT", help="Prometheus port; 0: off.")
]


def _setup() -> tuple[Any, threading.Event]:
    from entrypoints.bootstrap import create_container
    from entrypoints.consumer import install_redaction
    from entrypoints.relay import stop_on_signals

    # A long-running service logs what it does (the CLI's default is warnings only).
    logging.getLogger().setLevel(min(logging.getLogger().level, logging.INFO))
    logging.getLogger("flowguard").setLevel(logging.INFO)
    container = create_container()
    install_redaction(container.settings())
    stop = threading.Event()
    stop_on_signals(stop)
    return container, stop


RelayMetricsPort = Annotated[
    int, typer.Option(envvar="FLOWGUARD_RELAY_METRICS_PORT", help="Prometheus port; 0: off.")
]
OnBusLoss = Annotated[
    str,
    typer.Option(
        envvar="FLOWGUARD_RELAY_ON_BUS_LOSS",
        help="When the bus lost confirmed messages: republish (all, from the first) or stop.",
    ),
]


def relay(metrics_port: RelayMetricsPort = 0, on_bus_loss: OnBusLoss = "republish") -> None:
    """Publish the event store's events to the bus, in order, until SIGTERM. A second relay on
    the same PostgreSQL store stands by and takes over when the active one dies."""
    from application.relay import BusLostError, RelayRefusedError, RelaySettings
    from entrypoints.relay import run_relay

    if on_bus_loss not in ("republish", "stop"):
        raise typer.BadParameter("republish or stop", param_hint="--on-bus-loss")
    container, stop = _setup()
    container.relay.add_kwargs(settings=RelaySettings(on_bus_loss=on_bus_loss))  # type: ignore[arg-type]
    try:
        run_relay(container, stop, metrics_port)
    except (RelayRefusedError, BusLostError) as error:
        typer.echo(f"relay: {error}", err=True)
        raise typer.Exit(2) from None


def consume(
    batch_size: BatchSize = 5000,
    batch_wait: BatchWait = 1.0,
    metrics_port: MetricsPort = 0,
    group: Group = "flowguard-bronze",
) -> None:
    """Load the bus into BRONZE (commit after MERGE) until SIGTERM."""
    from dependency_injector import providers

    from application.bronze_loader import ConsumerSettings
    from entrypoints.consumer import run_consumer

    container, stop = _setup()
    container.consumer_group.override(providers.Object(group))
    run_consumer(container, stop, ConsumerSettings(batch_size, batch_wait), metrics_port)


def stream(
    batch_size: BatchSize = 5000,
    batch_wait: BatchWait = 1.0,
    metrics_port: MetricsPort = 0,
    group: Group = "flowguard-bronze",
) -> None:
    """Relay and consumer in one process (needed for the in-process bus)."""
    from dependency_injector import providers

    from application.bronze_loader import ConsumerSettings
    from entrypoints.consumer import run_consumer
    from entrypoints.relay import run_relay

    container, stop = _setup()
    container.consumer_group.override(providers.Object(group))
    relay_thread = threading.Thread(target=run_relay, args=(container, stop), name="relay")
    relay_thread.start()
    try:
        run_consumer(container, stop, ConsumerSettings(batch_size, batch_wait), metrics_port)
    finally:
        stop.set()
        relay_thread.join()


@warehouse_app.command("init")
def warehouse_init() -> None:
    """Create the BRONZE, SILVER and GOLD schemas and tables, and add the columns their
    declarations gained (idempotent; existing rows are kept)."""
    from entrypoints.bootstrap import create_container

    container = create_container()
    # SILVER/GOLD too, so dashboards can read (empty) GOLD before the first batch run.
    for change in container.batch_tables().init_schema():
        typer.echo(str(change))
    typer.echo("BRONZE, SILVER and GOLD schemas and tables are in place")


def register(app: typer.Typer) -> None:
    """Attach this module's commands to the root app."""
    app.command("relay", short_help="Event store -> bus, in order, until SIGTERM.")(relay)
    app.command("consume", short_help="Bus -> BRONZE, until SIGTERM.")(consume)
    app.command("stream", short_help="Relay and consumer in one process.")(stream)
    app.add_typer(warehouse_app, name="warehouse")
