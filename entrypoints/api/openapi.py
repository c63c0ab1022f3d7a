"""Driving adapter, API description: documented problem answers and the OpenAPI document."""

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel
from pydantic.json_schema import JsonSchemaMode, models_json_schema

from entrypoints.api.schemas.clicks import ClickEventIn
from entrypoints.api.schemas.common import Problem

_REF = "#/components/schemas/{model}"
_DESCRIPTIONS = {
    400: "The request is malformed (for example a header sent twice).",
    401: "X-API-Key is missing (keys are configured).",
    403: "X-API-Key is not valid.",
    404: "No such resource.",
    409: "Illegal status transition, or an idempotency key reused with a different body.",
    413: "The body is over 1 MB (or a batch is over 500 events).",
    415: "The body is not application/json.",
    422: "The content is invalid; `errors` lists each field and why.",
    503: "The event store cannot commit; nothing was stored. Retry after `Retry-After` seconds.",
}
WRITE = (400, 401, 403, 413, 415, 422, 503)


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    responses: dict[int | str, dict[str, Any]] = {}
    for status in statuses:
        response: dict[str, Any] = {
            "description": _DESCRIPTIONS[status],
            "content": {
                "application/problem+json": {"schema": {"$ref": _REF.format(model="Problem")}}
            },
        }
        if status == 503:
            response["headers"] = {"Retry-After": {"schema": {"type": "integer"}}}
        responses[status] = response
    return responses


def install_openapi(app: FastAPI) -> None:
    """FastAPI only lists the models its routes name; add the ones it cannot see."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
            )
            # Problem answers, and the click a click body's elements are documented as.
            models: list[tuple[type[BaseModel], JsonSchemaMode]] = [
                (Problem, "serialization"),
                (ClickEventIn, "validation"),
            ]
            _, extra = models_json_schema(models, ref_template=_REF)
            components = schema.setdefault("components", {})
            components.setdefault("schemas", {}).update(extra["$defs"])
            _document_api_key(schema, components)
            _document_validation_problems(schema)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def _document_api_key(schema: dict[str, Any], components: dict[str, Any]) -> None:
    """The edge checks X-API-Key on every write when keys are configured (edge.py)."""
    components["securitySchemes"] = {
        "ApiKey": {
            "type": "apiKey",
            "in": "header",
            "name": "X-API-Key",
            "description": "Required on writes when FLOWGUARD_API_KEYS is set; open otherwise.",
        }
    }
    for operations in schema.get("paths", {}).values():
        for method, operation in operations.items():
            if method in ("post", "put", "patch", "delete"):
                operation["security"] = [{"ApiKey": []}]


def _document_validation_problems(schema: dict[str, Any]) -> None:
    """FastAPI documents its 422 as `HTTPValidationError` JSON; every 422 here is a problem
    (problems.py answers FastAPI's validation errors too)."""
    problem = problem_responses(422)[422]
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            if "422" in operation.get("responses", {}):
                operation["responses"]["422"] = problem
    schemas = schema.get("components", {}).get("schemas", {})
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
