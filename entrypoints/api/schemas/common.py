"""Driving adapter, wire format shared by every resource: problem details and field errors."""

import re
from datetime import date, datetime
from typing import Annotated

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    Field,
    StrictInt,
    StringConstraints,
)

from domain.event_time import EARLIEST, LATEST, RANGE_REASON


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


# Control characters (C0, DEL, C1) and every Unicode space, separator and invisible format
# character, spelled out: `\s` means different sets to different regex engines.
_INVISIBLE = (
    r"\x00-\x20\x7f-\xa0\xad\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\ufeff"
)
# Identifiers: printable, no spaces (PostgreSQL text cannot even hold NUL).
Id = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=f"^[^{_INVISIBLE}]+$")]
# Free text: anything printable, spaces included.
Text = Annotated[
    str, StringConstraints(max_length=500, pattern=r"^[^\x00-\x1f\x7f-\x9f\u2028\u2029]*$")
]
# A count or position: an integer in JSON, never a string, a boolean or a float.
Count = StrictInt


def _plausible(moment: datetime) -> datetime:
    # Clock-skew arithmetic on year-1 or year-9999 stamps overflows; no device clock is there.
    if not EARLIEST <= moment < LATEST:
        raise ValueError(RANGE_REASON)
    return moment


# A client timestamp (`occurred_at`, `sent_at`): ISO-8601 with a UTC offset.
Timestamp = Annotated[AwareDatetime, AfterValidator(_plausible)]


def _iso_day(value: object) -> object:
    # A day in a URL is YYYY-MM-DD: pydantic would also take 0 as 1970-01-01.
    if isinstance(value, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("must be a date as YYYY-MM-DD")
    if isinstance(value, int | float):
        raise ValueError("must be a date as YYYY-MM-DD")
    return value


# A UTC day, as YYYY-MM-DD.
Day = Annotated[date, BeforeValidator(_iso_day)]
