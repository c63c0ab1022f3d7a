"""The HTTP floor for the gateway benchmark: a trivial FastAPI `def` route taking the same click
body and storing nothing. What it costs per request is what FastAPI and uvicorn cost."""

from typing import Any

from fastapi import FastAPI

from entrypoints.api.schemas.clicks import ClickEventIn

app = FastAPI()


@app.post("/api/v1/clicks", status_code=202)
def accept(body: ClickEventIn) -> dict[str, Any]:
    return {"event_id": body.event_id, "duplicate": False}


@app.get("/readyz")
def readyz() -> dict[str, str]:
    return {"status": "ready"}
