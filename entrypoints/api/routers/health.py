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


@router.get("/readyz", response_model=dict[str, str], responses=problem_responses(503))
async def readyz(request: Request) -> Any:
    """Ready when the event store answers within 2 s; 503 (with Retry-After) otherwise."""
    try:
        await request.app.state.readiness()
    # Any failure of the probe means "not ready": it answers 503, never 200.
    except Exception as error:
        detail = f"The event store does not answer: {error or type(error).__name__}"
        return problem(503, detail, "/readyz", headers={"Retry-After": RETRY_AFTER_SECONDS})
    return {"status": "ready"}


@router.get(
    "/metrics",
    response_class=Response,
    responses={200: {"content": {CONTENT_TYPE.split(";")[0]: {"schema": {"type": "string"}}}}},
)
async def metrics(request: Request) -> Response:
    """Prometheus text exposition."""
    return Response(request.app.state.metrics.render(), media_type=CONTENT_TYPE)
