"""`flowguard demo`: the end-to-end walkthrough on embedded defaults."""

import typer


def demo() -> None:
    """Run the whole pipeline on embedded defaults (not built yet)."""
    typer.echo("flowguard demo: not yet. The demo lands with issue 6; see README.md.", err=True)
    raise typer.Exit(code=2)


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)
