"""Driving adapter, browser: the storefront and dashboard pages and the GOLD read endpoints.

Hook it into an app with `install_web(app, container)`; the routes read the warehouse through
the container's `warehouse_connect`, resolved on first use so the API starts without a warehouse.
"""

from datetime import UTC, datetime
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import duckdb
from fastapi import APIRouter, FastAPI, HTTPException, Query, Request
from fastapi.responses import FileResponse, RedirectResponse
from snowflake.connector.errors import DatabaseError, ProgrammingError

from entrypoints.api.openapi import problem_responses
from entrypoints.api.schemas.common import Day
from entrypoints.web.gold import GOLD_TABLES, gold_days, partial_days, read_gold
from entrypoints.web.live import live_day, live_days

STATIC = Path(__file__).parent / "static"
ASSETS = {path.name for path in STATIC.iterdir() if path.suffix in {".js", ".css", ".html"}}
# The pages run only their own scripts and styles, and talk only to this origin: data that
# reaches them (a status change's reason, an item's name) can never run as code.
PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}

# The GOLD tables a URL may name (an enum, so the API description lists them).
GoldTable = Enum("GoldTable", {name: name for name in GOLD_TABLES}, type=str)  # type: ignore[misc]
router = APIRouter(tags=["dashboard"])


def install_web(app: FastAPI, container: Any) -> None:
    """Serve the pages and metrics endpoints from `app`, reading `container`'s warehouse."""
    app.state.web_container = container
    app.include_router(router)


@router.get("/storefront", include_in_schema=False)
def storefront() -> FileResponse:
    return FileResponse(STATIC / "storefront.html", headers=PAGE_HEADERS)


@router.get("/dashboard", include_in_schema=False)
def dashboard() -> FileResponse:
    return FileResponse(STATIC / "dashboard.html", headers=PAGE_HEADERS)


@router.get("/web", include_in_schema=False)
def web_home() -> RedirectResponse:
    return RedirectResponse("/dashboard")


@router.get("/web/{asset}", include_in_schema=False)
def web_asset(asset: str) -> FileResponse:
    if asset not in ASSETS:
        raise HTTPException(404, f"no asset {asset!r}")
    return FileResponse(STATIC / asset, headers=PAGE_HEADERS)


@router.get("/api/v1/metrics/days", responses=problem_responses(503))
def metric_days(request: Request) -> dict[str, list[str]]:
    """The days GOLD has been built for, oldest first (none before the first pipeline run);
    `partial`: those built before the day was over; `live`: days counted live from BRONZE."""
    built = _warehouse_read(request, gold_days)
    partial = _warehouse_read(request, partial_days) if built else []
    return {"days": built, "partial": partial, "live": live_days(built)}


@router.get("/api/v1/metrics/live", responses=problem_responses(503))
def live_metrics(
    request: Request,
    day: Annotated[Day | None, Query(alias="date", description="Default: today (UTC).")] = None,
) -> dict[str, Any]:
    """A day's figures counted from BRONZE as events arrive, before the batch builds its GOLD."""
    chosen = day or datetime.now(UTC).date()
    empty = {"date": chosen.isoformat(), "live": True, "as_of": None}
    return _warehouse_read(request, lambda connect: live_day(connect, chosen)) or empty


@router.get("/api/v1/metrics/gold/{table}", responses=problem_responses(503))
def gold_table(
    request: Request,
    table: GoldTable,
    day: Annotated[
        Day | None, Query(alias="date", description="METRIC_DATE; all days if absent.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 1000,
) -> dict[str, Any]:
    """Rows of one GOLD table (docs/metrics.md), e.g. `daily_gmv_metrics`."""
    name = table.value
    rows = _warehouse_read(request, lambda connect: read_gold(connect, name, day, limit))
    return {"table": name, "date": day.isoformat() if day else None, "rows": rows}


def _warehouse_read(request: Request, read: Any) -> Any:
    connect = request.app.state.web_container.warehouse_connect()
    try:
        return read(connect)
    except ProgrammingError as error:
        # GOLD tables appear with the first pipeline run; before it there is simply no data.
        if "does not exist" in str(error.msg):
            return []
        raise
    except (DatabaseError, duckdb.Error) as error:
        # Unreachable, or the embedded DuckDB is held by another process: try again later.
        detail = f"the warehouse is unavailable: {type(error).__name__}"
        raise HTTPException(503, detail, headers={"Retry-After": "5"}) from error
