"""Identity: the server mints every id it stores; what a client sends is a token in its scope.

A client's `order_id`, `event_id` and Idempotency-Key identify a request for deduplication,
within the scope of whoever sent it: the authenticated caller when the API checks keys, else
the user the request speaks for. The same token in another scope is another request. Stored
ids are derived from (scope, token) in a namespace per kind of record, or drawn at random, so
no client can choose one (see docs/domain.md).
"""

from typing import Any
from uuid import UUID, uuid5

import orjson

from application.commands import PlaceOrder

# Fixed forever: the same scoped token maps to the same id after any restart.
STATUS_REQUEST_NAMESPACE = UUID("8d1c3a52-6e0b-5f47-a2c9-0e7b4d9f1a36")
CLICK_KEY_NAMESPACE = UUID("c4e9b2a7-3f15-5d08-8b6e-1a2f7c9d0e43")
FAILED_EVENT_NAMESPACE = UUID("5a7f0d2e-91c4-5b3a-8e6d-2c4b9a1f7e05")


def owner(caller: str | None, user_id: str | None) -> str:
    """The scope of a request's tokens."""
    return f"caller:{caller}" if caller else f"user:{user_id or ''}"


def order_token(cmd: PlaceOrder) -> str | None:
    """What identifies a placement for its retries, if the client sent anything."""
    if cmd.order_id is not None:
        return f"order_id:{cmd.order_id}"
    if cmd.idempotency_key is not None:
        return f"key:{cmd.idempotency_key}"
    if cmd.event_id is not None:
        return f"event_id:{cmd.event_id}"
    return None


def status_request_id(scope: str, key: str | None, event_id: UUID | None) -> UUID | None:
    """The scoped token of a status change, kept on the order to recognise its retries."""
    token = f"key:{key}" if key is not None else f"event_id:{event_id}" if event_id else None
    return None if token is None else uuid5(STATUS_REQUEST_NAMESPACE, f"{scope}\n{token}")


def click_key_event_id(key: str) -> UUID:
    """A single click sent with an Idempotency-Key and no event_id: the key stands for the
    client's event id (uuid5 of this namespace and the key, so the client can work it out)."""
    return uuid5(CLICK_KEY_NAMESPACE, key)


def failed_event_id(scope: str, kind: str, index: int, payload: Any) -> UUID:
    """The id of a refused element: the same for the same element of a retried request, so
    keeping it again stores nothing twice."""
    content = orjson.dumps([scope, kind, index, payload], option=orjson.OPT_SORT_KEYS)
    return uuid5(FAILED_EVENT_NAMESPACE, content.decode())
