"""Driving adapter, wire format shared by every resource: problem details and field errors."""

from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime, BaseModel, Field, StringConstraints


class FieldProblem(BaseModel):
    """One broken rule, pointing at the request field (dotted path) that broke it."""

    field: str = Field(examples=["lines.0.quantity"])
    message: str = Field(examples=["must be between 1 and 50"])
    type: str = Field(examples=["less_than_equal"])


class Problem(BaseModel):
    """RFC 9457 problem details (media type application/problem+json)."""

    type: str = Field(examples=["https://flowguard.dev/problems/unprocessable-content"])
    title: str = Field(examples=["Unprocessable Content"])
    status: int = Field(examples=[422])
    detail: str | None = None
    instance: str | None = Field(None, examples=["/api/v1/orders"])
    errors: list[FieldProblem] | None = None


# Identifiers: no whitespace and no control characters (PostgreSQL text cannot even hold NUL).
Id = Annotated[
    str, StringConstraints(min_length=1, max_length=64, pattern=r"^[^\s\x00-\x1f\x7f]+$")
]
# Free text: anything printable.
Text = Annotated[str, StringConstraints(max_length=500, pattern=r"^[^\x00-\x1f\x7f]*$")]

EARLIEST, LATEST = datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC)


def _plausible(moment: datetime) -> datetime:
    # Clock-skew arithmetic on year-1 or year-9999 stamps overflows; no device clock is there.
    if not EARLIEST <= moment < LATEST:
        raise ValueError("must be between 2000-01-01 and 2100-01-01 (UTC)")
    return moment


# A client timestamp (`occurred_at`, `sent_at`): ISO-8601 with a UTC offset.
Timestamp = Annotated[AwareDatetime, AfterValidator(_plausible)]
