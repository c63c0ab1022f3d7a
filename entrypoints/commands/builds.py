"""Where `flowguard batch` builds: in the running `flowguard up` of the same data directory (over
HTTP: it owns the embedded warehouse and has a warm Spark session), or in this process."""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any, Protocol

from entrypoints.commands.errors import Refusal
from entrypoints.commands.running import Running, find_running

POLL_S = 0.5


class Builds(Protocol):
    where: str

    def submit(self, days: list[date], force: bool) -> dict[str, Any]: ...

    def get(self, build_id: str) -> dict[str, Any]: ...

    def status(self, days: int) -> dict[str, Any]: ...


class RemoteBuilds:
    """The builder of a running `flowguard up`, through its /api/v1/batch endpoints."""

    def __init__(self, running: Running, api_key: str | None) -> None:
        import httpx

        headers = {"X-API-Key": api_key} if api_key else {}
        self.where = running.describe()
        self.client = httpx.Client(base_url=running.url, headers=headers, timeout=60)

    def submit(self, days: list[date], force: bool) -> dict[str, Any]:
        body = {"days": [day.isoformat() for day in days], "force": force}
        return self._answer(self.client.post("/api/v1/batch/builds", json=body))

    def get(self, build_id: str) -> dict[str, Any]:
        return self._answer(self.client.get(f"/api/v1/batch/builds/{build_id}"))

    def status(self, days: int) -> dict[str, Any]:
        return self._answer(self.client.get("/api/v1/batch/status", params={"days": days}))

    def _answer(self, response: Any) -> dict[str, Any]:
        if response.status_code >= 400:
            try:
                detail = response.json().get("detail") or response.text
            except ValueError:
                detail = response.text
            raise Refusal(f"{self.where} answered {response.status_code}: {detail}")
        return response.json()  # type: ignore[no-any-return]

    def close(self) -> None:
        self.client.close()


class LocalBuilds:
    """A builder thread in this process, on the configured container."""

    where = "this process"

    def __init__(self, container: Any, workers: int, scheduler_url: str | None) -> None:
        from entrypoints.demo.builder import Builder

        self.container = container
        self.builder = Builder(container, workers, scheduler_url).start()

    def submit(self, days: list[date], force: bool) -> dict[str, Any]:
        return self.builder.submit(days, force, requested_by="cli").as_json()

    def get(self, build_id: str) -> dict[str, Any]:
        build = self.builder.get(build_id)
        assert build is not None, build_id
        return build.as_json()

    def status(self, days: int) -> dict[str, Any]:
        from entrypoints.commands.batch_status import status_answer

        return status_answer(self.builder, days)

    def close(self) -> None:
        self.builder.stop()
        self.container.shutdown_resources()


@contextmanager
def builds(workers: int = 1, scheduler_url: str | None = None) -> Iterator[Builds]:
    """The running `up`'s builder when there is one for this data directory, else a local one."""
    from entrypoints.bootstrap import create_container

    settings = _settings()
    running = find_running(settings.data_dir)
    chosen: Any
    if running is not None:
        chosen = RemoteBuilds(running, settings.api_keys[0] if settings.api_keys else None)
    else:
        from entrypoints.commands.noise import quiet_spark
        from entrypoints.commands.preflight import warehouse_answers

        container = create_container(settings)
        quiet_spark(container)
        warehouse_answers(container)  # e.g. the embedded one held by another process: one line
        chosen = LocalBuilds(container, workers, scheduler_url)
    try:
        yield chosen
    finally:
        chosen.close()


def follow(builds: Builds, build: dict[str, Any], on_change: Any) -> dict[str, Any]:
    """Poll until the build has finished; `on_change(build)` after each poll."""
    while build["state"] not in ("succeeded", "failed"):
        time.sleep(POLL_S)
        build = builds.get(build["id"])
        on_change(build)
    return build


def _settings() -> Any:
    from entrypoints.settings import load_settings

    return load_settings()
