"""Driving adapter, operations: liveness, readiness (the store answers) and Prometheus metrics."""

from typing import Any

from fastapi import APIRouter, Request, Response

from entrypoints.api.metrics import CONTENT_TYPE
from entrypoints.api.openapi import problem_responses
from entrypoints.api.problems import STORE_DOWN, problem

router = APIRouter(tags=["operations"])


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    """The process is alive (it does not look at the store)."""
    return {"status": "ok"}


@router.get("/readyz", responses=problem_responses(503))
def readyz(request: Request) -> Any:
    """Ready when the event store answers; 503 (with Retry-After) when it does not."""
    try:
        request.app.state.check_store()
    except STORE_DOWN as error:
        headers = {"Retry-After": "2"}
        return problem(503, f"The event store does not answer: {error}", "/readyz", headers=headers)
    return {"status": "ready"}


@router.get(
    "/metrics",
    response_class=Response,
    responses={200: {"content": {CONTENT_TYPE.split(";")[0]: {"schema": {"type": "string"}}}}},
)
async def metrics(request: Request) -> Response:
    """Prometheus text exposition."""
    return Response(request.app.state.metrics.render(), media_type=CONTENT_TYPE)
