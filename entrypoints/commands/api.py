"""`flowguard serve`: run the HTTP gateway with uvicorn on the configured adapters."""

from typing import Annotated

import typer
import uvicorn


def serve(
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes (each has its own pool).")] = 1,
    access_log: Annotated[bool, typer.Option(help="Log every request.")] = False,
) -> None:
    """Serve the API (ready when GET /readyz answers 200)."""
    uvicorn.run(
        "entrypoints.api.main:build",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        access_log=access_log,
        log_level="info",
    )


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
