"""Driving adapter, HTTP: the FastAPI app factory. It takes the composition root's container.

One request pipeline, outermost first: request metrics, the edge (every check of a request,
entrypoints/api/edge.py), the short path to the hot write routes (entrypoints/api/fastpath.py),
then FastAPI's routing. Middleware added later wraps all of them.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import structlog
from anyio import to_thread
from fastapi import FastAPI
from fastapi.telemetry import TelemetryConfig

from entrypoints.api.edge import Edge
from entrypoints.api.fastpath import ShortPath
from entrypoints.api.metrics import ApiMetrics
from entrypoints.api.middleware import RequestMetrics
from entrypoints.api.openapi import install_openapi
from entrypoints.api.problems import install_problem_handlers
from entrypoints.api.readiness import ReadinessProbe
from entrypoints.api.routers import catalog, clicks, health, orders
from entrypoints.web.router import install_web

log = structlog.get_logger("flowguard.api")
# Blocking routes wait in the threadpool for the store; allow more than anyio's default of 40.
THREADPOOL_TOKENS = 256
# FastAPI's native telemetry, unless FLOWGUARD_OTEL_TELEMETRY turns it on: the gateway exports
# Prometheus metrics, and the check for OpenTelemetry providers was 4-6 % of a small request.
TELEMETRY_OFF: TelemetryConfig = {"tracing": False, "metrics": False, "logs": False}

DESCRIPTION = """Ingestion gateway of FlowGuard: orders and clickstream events, each stored
durably in the event store before any 2xx answer. Errors are RFC 9457 problem details."""


def create_app(container: Any, *, owns_application: bool = False) -> FastAPI:
    """Build the API over `container` (entrypoints.bootstrap.Container); it reads the
    `flowguard_app` and `catalog` providers once. With `owns_application` the app closes the
    application (its group-commit thread and pool) at shutdown."""
    settings = container.settings()
    api_keys = tuple(key for key in settings.api_keys if key)
    gateway = container.flowguard_app()
    app = FastAPI(
        title="FlowGuard gateway",
        version="1.0.0",
        description=DESCRIPTION,
        lifespan=_lifespan,
        telemetry=None if settings.otel_telemetry else TELEMETRY_OFF,
    )
    metrics = ApiMetrics()
    gateway.add_batch_observer(metrics.observe_batch)
    app.state.gateway = gateway
    app.state.catalog = container.catalog()
    app.state.readiness = ReadinessProbe(gateway.check_ready)
    app.state.metrics = metrics
    app.state.api_keys = api_keys
    app.state.owns_application = owns_application
    _route(app)
    install_web(app, container)  # storefront, dashboard and GOLD read endpoints
    install_problem_handlers(app)
    install_openapi(app)
    # Added innermost first: each add_middleware wraps what was added before it.
    app.add_middleware(ShortPath, api=app)
    app.add_middleware(Edge, api_keys=api_keys, routes=app.router.routes)
    app.add_middleware(RequestMetrics, metrics=metrics)
    return app


def _route(app: FastAPI) -> None:
    # Each router carries its full prefix, so route templates (metric labels) are full paths.
    for resource in (orders, clicks, catalog, health):
        app.include_router(resource.router)


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    to_thread.current_default_thread_limiter().total_tokens = THREADPOOL_TOKENS
    if app.state.api_keys:
        log.info("api.auth", mode="api-key", keys=len(app.state.api_keys))
    else:
        log.warning("api.auth", mode="open", detail="FLOWGUARD_API_KEYS is empty: writes are open")
    yield
    app.state.readiness.close()
    if app.state.owns_application:
        app.state.gateway.close()
