"""Local services: the Luigi central scheduler (luigid), shared by every pipeline worker."""

import sys
from collections.abc import Mapping
from typing import ClassVar

from entrypoints.services.base import Service, ServiceError

URL_VAR = "LUIGI_SCHEDULER_URL"
# A worker silent this long is dead: luigid fails its running task, and a peer rebuilds the day
# (pipelines/tasks/runner.py). Luigi's default is 60 s, checked once a minute; ours is checked
# whenever a worker asks for work. Pings come every second, so 20 s spares a busy live worker.
SCHEDULER_CONFIG = """[scheduler]
worker_disconnect_delay = 20
prune_on_get_work = true
"""


class LuigidService(Service):
    name = "luigid"
    external_vars: ClassVar[tuple[str, ...]] = (URL_VAR,)

    def launch(self) -> tuple[list[str], dict[str, str]]:
        port = self.port("http")
        (self.home / "logs").mkdir(parents=True, exist_ok=True)
        config = self.home / "luigi.cfg"
        config.write_text(SCHEDULER_CONFIG)
        command = [
            "env", f"LUIGI_CONFIG_PATH={config}",
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
