"""CLI commands for batch (not yet built)."""

import typer


def register(app: typer.Typer) -> None:
    """Attach this module's commands to the root app."""
