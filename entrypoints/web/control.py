"""Driving adapter, HTTP: the pipeline controls of a running stack (`flowguard up`).

`POST /api/v1/batch/builds` queues a build ("build now", and `flowguard batch run` while `up`
runs); `GET /api/v1/batch/builds/{id}` follows it; `GET /api/v1/batch/status` is `flowguard
batch status` as JSON. Mounted only by a process that builds (`install_control`)."""

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, FastAPI, HTTPException, Query, Request, Response
from pydantic import BaseModel, Field

from entrypoints.api.openapi import problem_responses

router = APIRouter(prefix="/api/v1/batch", tags=["batch"])
MAX_DAYS = 366


class BuildIn(BaseModel):
    days: list[date] = Field(min_length=1, max_length=MAX_DAYS, description="UTC days to build.")
    force: bool = Field(False, description="Rebuild even when the markers are current.")


def install_control(app: FastAPI, builder: Any, schedule: Any = None) -> None:
    app.state.builder = builder
    app.state.schedule = schedule
    app.include_router(router)


# Like every write, it needs the API key when keys are configured (the edge checks it).
@router.post("/builds", status_code=202, responses=problem_responses(400, 401, 403, 422))
def request_build(body: BuildIn, request: Request, response: Response) -> dict[str, Any]:
    """Queue a build of `days` (missing or stale ones, or all with `force`); 202 at once."""
    build = request.app.state.builder.submit(body.days, body.force, requested_by="api")
    response.headers["Location"] = f"{router.prefix}/builds/{build.id}"
    return build.as_json()  # type: ignore[no-any-return]


@router.get("/builds", responses=problem_responses())
def list_builds(request: Request) -> dict[str, Any]:
    """The latest builds of this process, newest first (the schedule's among them)."""
    builds = [build.as_json() for build in request.app.state.builder.recent()]
    schedule = request.app.state.schedule
    next_run = schedule.next_run().isoformat() if schedule is not None else None
    return {"builds": builds, "next_scheduled_run": next_run}


@router.get("/builds/{build_id}", responses=problem_responses(404))
def get_build(build_id: str, request: Request) -> dict[str, Any]:
    build = request.app.state.builder.get(build_id)
    if build is None:
        raise HTTPException(404, f"no build {build_id!r} in this process")
    return build.as_json()  # type: ignore[no-any-return]


@router.get("/status", responses=problem_responses(503))
def batch_status(
    request: Request, days: Annotated[int, Query(ge=1, le=MAX_DAYS)] = 7
) -> dict[str, Any]:
    """Per day (today first): each task built / stale / failed / missing, and its last duration."""
    from entrypoints.commands.batch_status import status_answer

    return status_answer(request.app.state.builder, days)
