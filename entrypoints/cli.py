"""`flowguard`: the command line. Each command group lives in `entrypoints/commands/`.

Importing this module must stay cheap (`flowguard --help` answers in well under a second): the
command modules import the heavy libraries (Spark, Snowflake, eventsourcing) inside the
commands, never at the top."""

import sys
from typing import Annotated

import typer

from entrypoints.commands import api, batch, demo, services, status, streaming
from entrypoints.commands.errors import explain
from entrypoints.commands.noise import CliOptions, configure_output

app = typer.Typer(
    help="FlowGuard: event pipeline for food-delivery analytics.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)
options = CliOptions()


def _version(value: bool) -> None:
    if value:
        typer.echo(f"flowguard {_installed_version()}")
        raise typer.Exit()


def _installed_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("flowguard")
    except PackageNotFoundError:
        return "unknown (not installed; run `make install`)"


@app.callback()
def root(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks and debug logs.")] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", help="Show library logs and warnings (Spark, Kafka...).")
    ] = False,
    _show_version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    options.debug, options.verbose = debug, verbose
    configure_output(options)


for module in (services, api, streaming, batch, demo, status):
    module.register(app)


def main() -> None:
    try:
        app()
    except SystemExit:
        raise
    except BaseException as error:
        if options.debug or "--debug" in sys.argv:
            raise
        message, code = explain(error)
        typer.echo(f"flowguard: {message}", err=True)
        sys.exit(code)


if __name__ == "__main__":
    main()
