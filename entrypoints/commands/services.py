"""CLI commands `flowguard services up|down|status`: PostgreSQL, Kafka, fakesnow, luigid."""

from typing import Annotated

import typer

from entrypoints import settings
from entrypoints.services.base import ServiceError
from entrypoints.services.manager import SERVICE_TYPES, ServiceManager

services_app = typer.Typer(
    help=f"Local services ({', '.join(SERVICE_TYPES)}); state and logs under $FLOWGUARD_LOCAL_DIR.",
    no_args_is_help=True,
)

Names = Annotated[list[str] | None, typer.Argument(help="Services to act on (default: all).")]


def _manager() -> ServiceManager:
    return ServiceManager(settings.LOCAL_DIR)


def _fail(error: ServiceError) -> None:
    typer.echo(str(error), err=True)
    raise typer.Exit(1)


@services_app.command()
def up(names: Names = None) -> None:
    """Start the services (idempotent), wait until each answers, write services.env."""
    manager = _manager()
    try:
        manager.up(names or [])
    except ServiceError as error:
        _fail(error)
    typer.echo(f"services up; variables in {manager.env_file}")


@services_app.command()
def down(names: Names = None) -> None:
    """Stop the services and check that no process of theirs is left."""
    try:
        _manager().down(names or [])
    except ServiceError as error:
        _fail(error)
    typer.echo("services down")


@services_app.command()
def status(names: Names = None) -> None:
    """Show each service: running, stopped, external or unhealthy. Exit 1 unless all answer."""
    try:
        rows = _manager().status(names or [])
    except ServiceError as error:
        _fail(error)
        return
    for name, state, detail in rows:
        typer.echo(f"{name:10} {state:10} {detail}")
    if any(state in ("unhealthy", "stopped") for _, state, _ in rows):
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Attach this module's commands to the root app."""
    app.add_typer(services_app, name="services")
