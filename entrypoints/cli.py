"""`flowguard`: the command line. Each command group lives in `entrypoints/commands/`."""

import typer

from entrypoints.commands import api, batch, demo, services, streaming

app = typer.Typer(
    help="FlowGuard: event pipeline for food-delivery analytics.", no_args_is_help=True
)

for module in (services, api, streaming, batch, demo):
    module.register(app)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
