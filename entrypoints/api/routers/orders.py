"""Driving adapter, orders: place an order, move it along its lifecycle, read it back.

The write routes are `async def`: they await the group commit in the event loop. The reads are
plain `def`: they block on the event store, so they run in the threadpool.
"""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response

from entrypoints.api.deps import GatewayDep, IdempotencyKey, IngestDep
from entrypoints.api.openapi import WRITE, problem_responses
from entrypoints.api.routers import API_PREFIX
from entrypoints.api.routing import EdgeRoute
from entrypoints.api.schemas.common import Id
from entrypoints.api.schemas.orders import (
    OrderListOut,
    OrderOut,
    OrderReceiptOut,
    PlaceOrderIn,
    StatusChangeIn,
)

router = APIRouter(prefix=f"{API_PREFIX}/orders", tags=["orders"], route_class=EdgeRoute)


@router.post(
    "",
    status_code=201,
    responses={
        200: {
            "description": "An idempotent retry: the original receipt, nothing new stored.",
            "model": OrderReceiptOut,
        },
        **problem_responses(*WRITE, 409),
    },
)
async def place_order(
    body: PlaceOrderIn,
    response: Response,
    ingest: IngestDep,
    idempotency_key: IdempotencyKey = None,
) -> OrderReceiptOut:
    """Place an order; the server prices it from the catalog. 201 once it is durably stored."""
    command = body.to_command(ingest.received_at, idempotency_key, ingest.caller)
    receipt = await ingest.gateway.place_order_async(command)
    response.status_code = 200 if receipt.replayed else 201
    # Appended raw: a new Response has no Location, and setting it through MutableHeaders
    # scans and rebuilds the header list (~2 us per order).
    location = f"{router.prefix}/{receipt.order_id}"
    response.raw_headers.append((b"location", location.encode("latin-1")))
    return OrderReceiptOut.of(receipt)


@router.post("/{order_id}/status", responses=problem_responses(*WRITE, 404, 409))
async def change_order_status(
    order_id: UUID,
    body: StatusChangeIn,
    ingest: IngestDep,
    idempotency_key: IdempotencyKey = None,
) -> OrderReceiptOut:
    """Move the order to `status`; 409 when its lifecycle does not allow it."""
    command = body.to_command(order_id, ingest.received_at, idempotency_key, ingest.caller)
    return OrderReceiptOut.of(await ingest.gateway.change_order_status_async(command))


@router.get("/{order_id}", responses=problem_responses(404, 422, 503))
def get_order(order_id: UUID, gateway: GatewayDep) -> OrderOut:
    """The order's current state and its whole event history."""
    return OrderOut.of(gateway.get_order(order_id))


@router.get("", responses=problem_responses(422, 503))
def list_orders(user_id: Annotated[Id, Query()], gateway: GatewayDep) -> OrderListOut:
    """A user's orders."""
    orders = [OrderOut.of(view) for view in gateway.list_orders(user_id)]
    return OrderListOut(user_id=user_id, orders=orders)
