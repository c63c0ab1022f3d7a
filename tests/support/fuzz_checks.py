"""Schemathesis hooks for tests/integration/test_api_fuzz.py (loaded with SCHEMATHESIS_HOOKS).

The run uses every check (`--checks all`) except two built-ins, each replaced here by the same
check less the answers the API gives on purpose and documents. Anything else they would report
is still reported.

- `positive_data_acceptance` expects every schema-valid request to be accepted. The API refuses
  some on rules a JSON schema cannot state, with a 422 whose every error says which:
  - type "domain": a catalog, funnel or clock rule (an item of another restaurant, an unknown
    id, removing more than the cart holds, an event time too far ahead; docs/api.md);
  - type "int_type" on a value sent as a float: integers are strict (a count is `2`, never
    `2.0`, docs/api.md), while JSON Schema counts 2.0 as an integer;
  - a client timestamp outside 2000..2100 (domain/event_time.py RANGE_REASON): `date-time`
    has no range.
- `negative_data_rejection` expects a request with any schema-invalid part to be refused. A
  click batch is validated element by element on purpose (docs/api.md): a valid batch with
  invalid elements is 202, each invalid element reported in `rejected` and kept as a failed
  event. Such an answer is accepted when every element that breaks the element schema is
  reported; a batch invalid at the top level must still be refused.
"""

from typing import Any

import jsonschema_rs
import schemathesis
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from domain.event_time import RANGE_REASON
from entrypoints.api.schemas.clicks import MAX_BATCH_EVENTS, ClickEventIn

BATCH = "POST /api/v1/clicks/batch"
_ELEMENT = jsonschema_rs.validator_for(ClickEventIn.model_json_schema())


@schemathesis.check
def valid_data_accepted_unless_a_documented_rule_refuses(
    ctx: Any, response: Any, case: Any
) -> bool | None:
    if response.status_code == 422 and _documented_refusal(response, case.body):
        return None
    return positive_data_acceptance(ctx, response, case)


@schemathesis.check
def invalid_data_refused_unless_a_batch_reports_it(
    ctx: Any, response: Any, case: Any
) -> bool | None:
    if (
        case.operation.label == BATCH
        and response.status_code == 202
        and _reports_every_invalid_element(response, case.body)
    ):
        return None
    return negative_data_rejection(ctx, response, case)


def _documented_refusal(response: Any, body: Any) -> bool:
    errors = _errors(response)
    return bool(errors) and all(_documented(error, body) for error in errors)


def _documented(error: dict[str, Any], body: Any) -> bool:
    kind, message = error.get("type"), str(error.get("message", ""))
    if kind == "domain":
        return True
    if kind == "int_type":
        return isinstance(_at(body, str(error.get("field", ""))), float)
    return kind == "value_error" and RANGE_REASON in message


def _reports_every_invalid_element(response: Any, body: Any) -> bool:
    if not (isinstance(body, dict) and set(body) == {"events"}):
        return False
    events = body["events"]
    if not (isinstance(events, list) and 1 <= len(events) <= MAX_BATCH_EVENTS):
        return False
    invalid = {i for i, event in enumerate(events) if not _ELEMENT.is_valid(event)}
    answer = response.json()
    reported = {rejection["index"] for rejection in answer["rejected"]}
    stored = answer["accepted"] + answer["duplicates"]
    return invalid <= reported and stored + len(reported) == len(events)


def _errors(response: Any) -> list[dict[str, Any]]:
    try:
        errors = response.json().get("errors")
    except ValueError:
        return []
    return errors if isinstance(errors, list) else []


def _at(body: Any, field: str) -> Any:
    """The value at a dotted field path ("lines.0.quantity") of the request body, if any."""
    value = body
    for part in field.split("."):
        if isinstance(value, dict) and part in value:
            value = value[part]
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return None
    return value
