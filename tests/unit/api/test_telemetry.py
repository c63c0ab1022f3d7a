"""FastAPI's own OpenTelemetry instrumentation runs only when FLOWGUARD_OTEL_TELEMETRY asks for
it: off, a request does not even look the providers up."""

import pytest
from fastapi.testclient import TestClient
from opentelemetry import trace

from entrypoints.api.app import create_app
from entrypoints.settings import Settings
from tests.unit.api.fakes import FakeContainer


@pytest.mark.parametrize("enabled", [False, True])
def test_fastapis_telemetry_follows_the_setting(
    enabled: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    looked_up: list[trace.TracerProvider] = []

    def get_tracer_provider() -> trace.TracerProvider:
        looked_up.append(trace.NoOpTracerProvider())
        return looked_up[-1]

    monkeypatch.setattr(trace, "get_tracer_provider", get_tracer_provider)
    container = FakeContainer()
    container._settings = Settings.model_validate({"FLOWGUARD_OTEL_TELEMETRY": enabled})
    with TestClient(create_app(container)) as client:
        assert client.get("/healthz").status_code == 200
    assert bool(looked_up) is enabled
