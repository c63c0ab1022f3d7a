"""Local services: a Spark standalone cluster (a master and two workers) from the installed PySpark.

On demand only: `flowguard services up spark`. Its SPARK_MASTER in services.env moves every batch
build of this directory onto the cluster, so a bare `services up` (and `make test`) leaves it off.
"""

import json
import socket
from collections.abc import Mapping
from pathlib import Path
from typing import ClassVar
from urllib.parse import urlsplit

from entrypoints.services.base import INFRA_DIR, Service, ServiceError

MASTER_VAR = "SPARK_MASTER"
DRIVER_HOST_VAR = "SPARK_DRIVER_HOST"
WORKERS = 2
# Per worker, for its executors. Two workers of one core fill this 2-core machine; 2g per
# executor holds a 1M-event day's largest stage (benchmarks/batch.py --master).
WORKER_CORES = 1
WORKER_MEMORY = "2g"


def spark_home() -> Path:
    """The Spark distribution PySpark ships (bin/spark-class, jars/), unless SPARK_HOME is set."""
    from pyspark.find_spark_home import _find_spark_home

    return Path(_find_spark_home())


class SparkService(Service):
    name = "spark"
    external_vars: ClassVar[tuple[str, ...]] = (MASTER_VAR,)
    on_demand = True
    # Three JVMs starting at once on a busy 2-core machine took over a minute (load 11).
    ready_timeout = 180.0
    stop_grace = 15.0  # workers stop their executors first

    def launch(self) -> tuple[list[str], dict[str, str]]:
        port, ui_port = self.port("master"), self.port("master-ui")
        script = INFRA_DIR / "spark" / "start-spark.sh"
        command = [
            "env", f"SPARK_HOME={spark_home()}", "bash", str(script), str(self.home),
            str(port), str(ui_port), str(WORKERS), str(WORKER_CORES), WORKER_MEMORY,
        ]  # fmt: skip
        # Executors connect back to the driver: on this machine, over the loopback.
        return command, {MASTER_VAR: f"spark://127.0.0.1:{port}", DRIVER_HOST_VAR: "127.0.0.1"}

    def external_env(self, environ: Mapping[str, str]) -> dict[str, str]:
        # local[*] is a mode, not a cluster: only a cluster URL replaces ours.
        master = environ.get(MASTER_VAR, "")
        if not master or master.startswith("local"):
            return {}
        driver_host = environ.get(DRIVER_HOST_VAR)
        return {MASTER_VAR: master, **({DRIVER_HOST_VAR: driver_host} if driver_host else {})}

    def probe(self, env: Mapping[str, str]) -> None:
        self._check_workers()

    def check(self, env: Mapping[str, str]) -> None:
        """Our cluster: every worker alive at the master. An external one: its master listens."""
        if dict(env) == self.recorded_env() and self.pid() is not None:
            self._check_workers()
            return
        address = urlsplit(env[MASTER_VAR].split(",")[0])
        if address.scheme != "spark" or address.hostname is None:
            raise ServiceError(f"spark: {env[MASTER_VAR]} is not a spark://host:port URL")
        with socket.create_connection((address.hostname, address.port or 7077), timeout=5):
            pass

    def _check_workers(self) -> None:
        import httpx

        ui_port = json.loads((self.home / "ports.json").read_text())["master-ui"]
        state = httpx.get(f"http://127.0.0.1:{ui_port}/json/", timeout=5).json()
        alive = int(state.get("aliveworkers", 0))
        if state.get("status") != "ALIVE" or alive < WORKERS:
            raise ServiceError(f"spark: master {state.get('status')}, {alive}/{WORKERS} workers")
