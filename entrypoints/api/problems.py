"""Driving adapter, errors: the one place where failures become RFC 9457 problem+json answers."""

from collections.abc import Iterable
from http import HTTPStatus
from typing import Any

import psycopg
from eventsourcing.persistence import InterfaceError, OperationalError
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from psycopg_pool import PoolTimeout
from starlette.exceptions import HTTPException

from application.errors import (
    FieldError,
    IdempotencyConflict,
    IllegalTransition,
    Invalid,
    NotFound,
    StoreUnavailable,
)
from entrypoints.api.schemas.common import FieldProblem, Problem

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "https://flowguard.dev/problems/"
RETRY_AFTER_SECONDS = "2"
# Persistence failures that mean "nothing was committed, try again later".
STORE_DOWN = (
    StoreUnavailable,
    OperationalError,
    InterfaceError,
    psycopg.OperationalError,
    psycopg.InterfaceError,
    PoolTimeout,
)


class ProblemError(Exception):
    """Raised by routes and guards for an answer that is not a use-case error (401, 413, ...)."""

    def __init__(self, status: int, detail: str, errors: list[FieldProblem] | None = None) -> None:
        super().__init__(detail)
        self.status, self.detail, self.errors = status, detail, errors


def problem(
    status: int,
    detail: str | None = None,
    instance: str | None = None,
    errors: list[FieldProblem] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    title = HTTPStatus(status).phrase
    slug = title.lower().replace(" ", "-")
    body = Problem(
        type=PROBLEM_TYPE_BASE + slug,
        title=title,
        status=status,
        detail=detail,
        instance=instance,
        errors=errors,
    )
    content = body.model_dump(mode="json", exclude_none=True)
    return JSONResponse(content, status, headers=headers, media_type=PROBLEM_MEDIA_TYPE)


def field_problems(errors: Iterable[FieldError]) -> list[FieldProblem]:
    return [FieldProblem(field=e.field, message=e.reason, type="domain") for e in errors]


def validation_problems(errors: Iterable[Any]) -> list[FieldProblem]:
    """pydantic errors -> field problems. Body fields are named as in the body ("lines.0.quantity",
    like the domain's errors); other inputs keep their place ("query.user_id")."""
    return [
        FieldProblem(field=_field_name(error["loc"]), message=error["msg"], type=error["type"])
        for error in errors
    ]


def _field_name(loc: tuple[Any, ...]) -> str:
    parts = loc[1:] if loc[:1] == ("body",) else loc
    return ".".join(str(part) for part in parts) or "(body)"


def _on_validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    detail = "The request does not match the schema."
    return problem(422, detail, request.url.path, validation_problems(exc.errors()))


def _on_invalid(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, Invalid)
    return problem(422, str(exc), request.url.path, field_problems(exc.errors))


def _on_status(status: int):  # type: ignore[no-untyped-def]
    def handle(request: Request, exc: Exception) -> JSONResponse:
        return problem(status, str(exc) or None, request.url.path)

    return handle


def _on_store_down(request: Request, exc: Exception) -> JSONResponse:
    detail = "The event store cannot commit right now; nothing was stored. Retry later."
    headers = {"Retry-After": RETRY_AFTER_SECONDS}
    return problem(503, detail, request.url.path, headers=headers)


def _on_problem(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ProblemError)
    return problem(exc.status, exc.detail, request.url.path, exc.errors)


def _on_http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    detail = exc.detail if isinstance(exc.detail, str) else None
    headers = dict(exc.headers) if exc.headers else None
    return problem(exc.status_code, detail, request.url.path, headers=headers)


def _on_unexpected(request: Request, exc: Exception) -> JSONResponse:
    # Still a 500 (never a 2xx); the traceback goes to the server log, not to the client.
    return problem(500, "Unexpected server error.", request.url.path)


def install_problem_handlers(app: FastAPI) -> None:
    """Map every error the API knows to its status; anything else stays a 500 (never a 2xx)."""
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(Invalid, _on_invalid)
    app.add_exception_handler(NotFound, _on_status(404))
    app.add_exception_handler(IllegalTransition, _on_status(409))
    app.add_exception_handler(IdempotencyConflict, _on_status(409))
    app.add_exception_handler(ProblemError, _on_problem)
    app.add_exception_handler(HTTPException, _on_http)
    for error_class in STORE_DOWN:
        app.add_exception_handler(error_class, _on_store_down)
    app.add_exception_handler(Exception, _on_unexpected)
