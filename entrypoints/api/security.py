"""Driving adapter, authentication: X-API-Key on write endpoints when keys are configured."""

import hmac
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader

from entrypoints.api.problems import ProblemError

# auto_error=False: a missing key is our 401 problem, not FastAPI's default 403.
_api_key_header = APIKeyHeader(
    name="X-API-Key",
    auto_error=False,
    description="Required on write endpoints when FLOWGUARD_API_KEYS is set; open otherwise.",
)


async def require_api_key(
    request: Request, api_key: Annotated[str | None, Depends(_api_key_header)]
) -> None:
    keys: tuple[str, ...] = request.app.state.api_keys
    if not keys:
        return
    if not api_key:
        raise ProblemError(401, "Send the X-API-Key header.")
    # Compare against every key in constant time, so timing reveals nothing about them.
    if not any(hmac.compare_digest(api_key.encode(), key.encode()) for key in keys):
        raise ProblemError(403, "The X-API-Key is not valid.")


WriteAccess = Depends(require_api_key)
