"""Local services: the Luigi central scheduler (luigid), shared by every pipeline worker."""

import sys
from collections.abc import Mapping
from typing import ClassVar

from entrypoints.services.base import Service, ServiceError

URL_VAR = "LUIGI_SCHEDULER_URL"


class LuigidService(Service):
    name = "luigid"
    external_vars: ClassVar[tuple[str, ...]] = (URL_VAR,)

    def launch(self) -> tuple[list[str], dict[str, str]]:
        port = self.port("http")
        (self.home / "logs").mkdir(parents=True, exist_ok=True)
        command = [
            sys.executable, "-c", "from luigi.cmdline import luigid; luigid()",
            "--address", "127.0.0.1", "--port", str(port),
            "--state-path", str(self.home / "state.pickle"),
            "--logdir", str(self.home / "logs"),
        ]  # fmt: skip
        return command, {URL_VAR: f"http://127.0.0.1:{port}/"}

    def check(self, env: Mapping[str, str]) -> None:
        import httpx

        url = env[URL_VAR].rstrip("/") + "/api/task_list"
        reply = httpx.get(url, params={"data": '{"status": "PENDING"}'}, timeout=5)
        reply.raise_for_status()
        if "response" not in reply.json():
            raise ServiceError(f"luigid: unexpected answer from {url}: {reply.text[:200]}")
