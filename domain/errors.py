"""Domain errors: the rules an aggregate or value object refuses to break."""

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldError:
    """One broken rule, pointing at the request field that broke it (dotted path)."""

    field: str
    reason: str


class DomainError(Exception):
    """Base class of every rule the domain enforces."""


class IllegalTransition(DomainError):  # noqa: N818 - names fixed by the API contract
    """An order cannot move from its current status to the requested one (HTTP 409)."""

    def __init__(self, current: str, requested: str) -> None:
        super().__init__(f"cannot change order status from {current!r} to {requested!r}")
        self.current = current
        self.requested = requested


class Invalid(DomainError):  # noqa: N818 - names fixed by the API contract
    """The content breaks a rule; `errors` says which fields and why (HTTP 422)."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("; ".join(f"{e.field}: {e.reason}" for e in errors))
        self.errors = errors

    @classmethod
    def of(cls, field: str, reason: str) -> "Invalid":
        return cls([FieldError(field, reason)])
