"""Driving adapter, operations: liveness, readiness (the store answers) and Prometheus metrics."""

from typing import Any

from fastapi import APIRouter, Request, Response

from entrypoints.api.metrics import CONTENT_TYPE
from entrypoints.api.openapi import problem_responses
from entrypoints.api.problems import RETRY_AFTER_SECONDS, problem

router = APIRouter(tags=["operations"])


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    """The process is alive (it does not look at the store)."""
    return {"status": "ok"}


@router.get("/readyz", responses=problem_responses(503))
async def readyz(request: Request) -> Any:
    """Ready when the event store (and, in `flowguard up`, the warehouse, relay, consumer and
    builder) answer within 2 s; 503 (with Retry-After) naming each one that is down otherwise."""
    # Any failure of a check means "not ready": it answers 503, never 200.
    checks = await request.app.state.readiness.report()
    down = [f"{name} ({state.removeprefix('down: ')})" for name, state in checks.items()
            if state != "ok"]  # fmt: skip
    if down:
        detail = "Not ready, down: " + "; ".join(down)
        return problem(503, detail, "/readyz", headers={"Retry-After": RETRY_AFTER_SECONDS})
    return {"status": "ready", "checks": checks}


@router.get(
    "/metrics",
    response_class=Response,
    responses={200: {"content": {CONTENT_TYPE.split(";")[0]: {"schema": {"type": "string"}}}}},
)
async def metrics(request: Request) -> Response:
    """Prometheus text exposition."""
    return Response(request.app.state.metrics.render(), media_type=CONTENT_TYPE)
