"""CLI commands `flowguard services up|down|status`: PostgreSQL, Kafka, fakesnow, luigid."""

import json
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from entrypoints.services.base import ServiceError
    from entrypoints.services.manager import ServiceManager

services_app = typer.Typer(
    help="Local services (postgres, kafka, fakesnow, luigid); state and logs under "
    "$FLOWGUARD_LOCAL_DIR.",
    no_args_is_help=True,
    rich_markup_mode=None,
)

Names = Annotated[list[str] | None, typer.Argument(help="Services to act on (default: all).")]


def _manager() -> "ServiceManager":
    from entrypoints import settings
    from entrypoints.services.manager import ServiceManager

    return ServiceManager(settings.LOCAL_DIR)


def _errors() -> type["ServiceError"]:
    from entrypoints.services.base import ServiceError

    return ServiceError


def _fail(error: "ServiceError") -> None:
    typer.echo(str(error), err=True)
    raise typer.Exit(1)


@services_app.command()
def up(names: Names = None) -> None:
    """Start the services (idempotent), wait until each answers, write services.env."""
    manager = _manager()
    try:
        manager.up(names or [])
    except _errors() as error:
        _fail(error)
    typer.echo(f"services up; variables in {manager.env_file}")


@services_app.command()
def down(names: Names = None) -> None:
    """Stop the services and check that no process of theirs is left."""
    try:
        _manager().down(names or [])
    except _errors() as error:
        _fail(error)
    typer.echo("services down")


@services_app.command()
def status(
    names: Names = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of lines.")] = False,
) -> None:
    """Show each service: running, stopped, external or unhealthy. Exit 1 unless all answer."""
    try:
        rows = _manager().status(names or [])
    except _errors() as error:
        _fail(error)
        return
    if as_json:
        typer.echo(json.dumps([{"name": n, "state": s, "detail": d} for n, s, d in rows]))
    for name, state, detail in rows if not as_json else ():
        typer.echo(f"{name:10} {state:10} {detail}")
    if any(state in ("unhealthy", "stopped") for _, state, _ in rows):
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Attach this module's commands to the root app."""
    app.add_typer(services_app, name="services")
