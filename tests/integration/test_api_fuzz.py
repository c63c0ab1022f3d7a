"""Schemathesis over the OpenAPI document: no 5xx, and every answer conforms to the document."""

from typing import Any

import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.integration.api_fixtures import api_database, postgres_app

__all__ = ["api_database"]
EXAMPLES_PER_OPERATION = 30
KEY = "fuzz-key"  # with a key configured, the fuzzer also checks that bad keys are refused


def test_every_operation_answers_generated_requests_within_its_description(
    api_database: str,
) -> None:
    app = postgres_app(api_database, api_keys=[KEY])
    with TestClient(app):  # the lifespan runs around the whole fuzzing session
        schema = schemathesis.openapi.from_asgi("/openapi.json", app)
        operations = [result.ok() for result in schema.get_all_operations()]
        assert len(operations) >= 12
        for operation in operations:
            fuzz(operation.as_strategy())


def fuzz(strategy: Any) -> None:
    @given(case=strategy)
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        database=None,
        # No shrinking: a failure still prints a curl line to reproduce, and the run stays short.
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def answer(case: schemathesis.Case) -> None:
        # Schema-valid is not always acceptable: an item of another restaurant is a 422 that no
        # JSON schema can express, so the "valid data is accepted" check does not apply.
        case.call_and_validate(
            headers={"X-API-Key": KEY}, excluded_checks=[positive_data_acceptance]
        )

    answer()
