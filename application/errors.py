"""Every error a use case raises, in one module, so the API maps them to HTTP in one place.

NotFound -> 404, IllegalTransition -> 409, IdempotencyConflict -> 409, Invalid -> 422,
StoreUnavailable -> 503 (with Retry-After).
"""

from domain.errors import DomainError, FieldError, IllegalTransition, Invalid

__all__ = [
    "DomainError",
    "FieldError",
    "IdempotencyConflict",
    "IllegalTransition",
    "Invalid",
    "NotFound",
    "StoreUnavailable",
]


class NotFound(Exception):  # noqa: N818 - names fixed by the API contract
    """The requested order (or other resource) does not exist (HTTP 404)."""


class IdempotencyConflict(Exception):  # noqa: N818 - names fixed by the API contract
    """An idempotency key or event id was reused with a different request body (HTTP 409)."""


class StoreUnavailable(Exception):  # noqa: N818 - names fixed by the API contract
    """The event store could not commit or answer; nothing was stored (HTTP 503).

    `store_down` is False when the store answered but too many writers raced for one
    aggregate: worth a retry, but no reason to treat the store as down."""

    def __init__(self, message: str, *, store_down: bool = True) -> None:
        super().__init__(message)
        self.store_down = store_down
