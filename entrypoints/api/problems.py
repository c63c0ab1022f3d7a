"""Driving adapter, errors: the one place where failures become RFC 9457 problem+json answers."""

from collections.abc import Callable, Iterable
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

    def __init__(
        self,
        status: int,
        detail: str,
        errors: list[FieldProblem] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status, self.detail, self.errors, self.headers = status, detail, errors, headers


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


def answer_for(error: BaseException, path: str) -> JSONResponse:
    """The problem answer for `error`: the one mapping of failures to HTTP, used by FastAPI's
    exception handlers and by the short path alike. Anything unknown is a 500 (never a 2xx)."""
    for error_class in type(error).__mro__:
        answer = _ANSWERS.get(error_class)
        if answer is not None:
            return answer(error, path)
    return problem(500, "Unexpected server error.", path)


def is_expected(error: BaseException) -> bool:
    return any(error_class in _ANSWERS for error_class in type(error).__mro__)


def _on_validation(exc: Any, path: str) -> JSONResponse:
    detail = "The request does not match the schema."
    return problem(422, detail, path, validation_problems(exc.errors()))


def _on_invalid(exc: Any, path: str) -> JSONResponse:
    return problem(422, str(exc), path, field_problems(exc.errors))


def _on_status(status: int):  # type: ignore[no-untyped-def]
    def answer(exc: Any, path: str) -> JSONResponse:
        return problem(status, str(exc) or None, path)

    return answer


def _on_store_down(exc: Any, path: str) -> JSONResponse:
    detail = "The event store cannot commit right now; nothing was stored. Retry later."
    if isinstance(exc, StoreUnavailable) and not exc.store_down:
        detail = f"{exc} Retry later."
    headers = {"Retry-After": RETRY_AFTER_SECONDS}
    return problem(503, detail, path, headers=headers)


def _on_problem(exc: Any, path: str) -> JSONResponse:
    return problem(exc.status, exc.detail, path, exc.errors, exc.headers)


def _on_http(exc: Any, path: str) -> JSONResponse:
    detail = exc.detail if isinstance(exc.detail, str) else None
    headers = dict(exc.headers) if exc.headers else None
    return problem(exc.status_code, detail, path, headers=headers)


_ANSWERS: dict[type[Exception], Callable[[Any, str], JSONResponse]] = {
    RequestValidationError: _on_validation,
    Invalid: _on_invalid,
    NotFound: _on_status(404),
    IllegalTransition: _on_status(409),
    IdempotencyConflict: _on_status(409),
    ProblemError: _on_problem,
    HTTPException: _on_http,
    **dict.fromkeys(STORE_DOWN, _on_store_down),
}


def _handler(request: Request, exc: Exception) -> JSONResponse:
    return answer_for(exc, request.url.path)


def install_problem_handlers(app: FastAPI) -> None:
    """FastAPI answers every error the API knows through `answer_for`."""
    for error_class in _ANSWERS:
        app.add_exception_handler(error_class, _handler)
    app.add_exception_handler(Exception, _handler)
