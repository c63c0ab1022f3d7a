"""`flowguard status`: which dependency answers and which is down, in one screen or as JSON.

It asks the running `flowguard up` of the data directory (its /readyz) when there is one, and
checks the configured event store, bus, warehouse and Luigi scheduler itself otherwise."""

import json
from collections.abc import Callable
from typing import Annotated, Any

import typer

from entrypoints.commands.errors import Refusal

TIMEOUT_S = 3.0


def status(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of lines.")] = False,
) -> None:
    """Each dependency (event store, bus, warehouse, scheduler, running stack): ok or down."""
    from entrypoints.commands.running import find_running
    from entrypoints.settings import load_settings

    settings = load_settings()
    running = find_running(settings.data_dir)
    rows = _from_running(running) if running else _checked_here(settings)
    if as_json:
        typer.echo(json.dumps({"running": running.__dict__ if running else None, "checks": rows}))
    else:
        where = running.describe() if running else "no `flowguard up` on this data directory"
        typer.echo(f"stack      {where}")
        for row in rows:
            state = "ok" if row["ok"] else "DOWN"
            typer.echo(f"{row['name']:10} {state:5} {row['where']}  {row['detail']}".rstrip())
    if not all(row["ok"] for row in rows):
        raise typer.Exit(1)


def _from_running(running: Any) -> list[dict[str, Any]]:
    import httpx

    try:
        response = httpx.get(f"{running.url}/readyz", timeout=10)
    except httpx.TransportError as error:
        raise Refusal(f"{running.describe()} does not answer ({error}); is it stuck?") from None
    body = response.json()
    if response.status_code == 200:
        return [_row(name, state, running.url) for name, state in body["checks"].items()]
    return [{"name": "stack", "ok": False, "where": running.url, "detail": body.get("detail", "")}]


def _row(name: str, state: str, where: str) -> dict[str, Any]:
    return {
        "name": name,
        "ok": state == "ok",
        "where": where,
        "detail": "" if state == "ok" else state,
    }


def _checked_here(settings: Any) -> list[dict[str, Any]]:
    checks: list[tuple[str, str, Callable[[], None]]] = [
        ("store", _store_where(settings), lambda: _store(settings)),
        ("bus", _bus_where(settings), lambda: _bus(settings)),
        ("warehouse", _warehouse_where(settings), lambda: _warehouse(settings)),
    ]
    if settings.luigi_scheduler_url:
        url = settings.luigi_scheduler_url
        checks.append(("scheduler", url, lambda: _luigid(url)))
    return [_run(name, where, check) for name, where, check in checks]


def _run(name: str, where: str, check: Callable[[], None]) -> dict[str, Any]:
    try:
        check()
    except Exception as error:
        reason = " ".join(str(error).split()) or type(error).__name__
        return {"name": name, "ok": False, "where": where, "detail": reason[:240]}
    return {"name": name, "ok": True, "where": where, "detail": ""}


def _store_where(settings: Any) -> str:
    if settings.event_store == "postgres":
        from entrypoints.commands.preflight import dsn_host

        return f"postgres {dsn_host(settings)}"
    return (
        f"{settings.event_store} {settings.sqlite_path if settings.event_store == 'sqlite' else ''}"
    )


def _store(settings: Any) -> None:
    if settings.event_store == "postgres":
        import psycopg

        dsn = settings.postgres_dsn.get_secret_value() if settings.postgres_dsn else ""
        with psycopg.connect(dsn, connect_timeout=int(TIMEOUT_S)) as connection:
            connection.execute("SELECT 1")
    elif settings.event_store == "sqlite":
        import sqlite3

        if not settings.sqlite_path.exists():
            raise RuntimeError("no events yet (created by the first `flowguard up` or demo)")
        uri = f"file:{settings.sqlite_path}?mode=ro"
        with sqlite3.connect(uri, uri=True, timeout=TIMEOUT_S) as connection:
            connection.execute("SELECT 1")


def _bus_where(settings: Any) -> str:
    if settings.bus == "kafka":
        return f"kafka {settings.kafka_bootstrap_servers}"
    return "in-process (lives inside `flowguard up`)"


def _bus(settings: Any) -> None:
    from entrypoints.commands.preflight import broker_answers

    broker_answers(settings)


def _warehouse_where(settings: Any) -> str:
    if settings.warehouse == "fakesnow":
        return f"fakesnow {settings.fakesnow_path}"
    return f"snowflake {settings.snowflake_host or settings.snowflake_account}"


def _warehouse(settings: Any) -> None:
    from entrypoints.bootstrap import create_container
    from entrypoints.commands.preflight import warehouse_answers

    container = create_container(settings)
    try:
        warehouse_answers(container)
    finally:
        container.shutdown_resources()


def _luigid(url: str) -> None:
    import httpx

    httpx.get(f"{url.rstrip('/')}/api/task_list", params={"data": "{}"}, timeout=TIMEOUT_S)


def register(app: typer.Typer) -> None:
    app.command("status", short_help="Which dependency answers, which is down.")(status)
