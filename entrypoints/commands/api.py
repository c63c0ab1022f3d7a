"""`flowguard serve`: run the HTTP gateway with uvicorn on the configured adapters."""

from typing import Annotated

import typer

HEALTHCHECK_SECONDS = 60


def serve(
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes (each has its own pool).")] = 1,
    access_log: Annotated[bool, typer.Option(help="Log every request.")] = False,
) -> None:
    """Serve the API (ready when GET /readyz answers 200)."""
    from entrypoints.api import serving
    from entrypoints.commands.preflight import port_is_free
    from entrypoints.settings import load_settings

    port_is_free(host, port)
    # uvicorn's run, each worker on a socket of its own (see entrypoints/api/serving.py).
    serving.run(
        "entrypoints.api.main:build",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        access_log=access_log,
        # uvicorn's httptools protocol with the gateway's limits, one write per answer.
        **serving.http_options(load_settings()),
        log_level="info",
        # Importing the app takes seconds on a busy machine; with the default 5 s health check
        # the supervisor kills each worker before it has started, again and again.
        timeout_worker_healthcheck=HEALTHCHECK_SECONDS,
    )


def register(app: typer.Typer) -> None:
    app.command("serve", short_help="The ingestion API and pages (no streaming).")(serve)
