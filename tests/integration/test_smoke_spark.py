"""Smoke test of the Spark standalone service in a scratch directory: on demand only, a master
with both workers alive, idempotent, and nothing of it left after `down`."""

from pathlib import Path

from entrypoints.services import process
from entrypoints.services.manager import ServiceManager
from entrypoints.services.spark import MASTER_VAR, WORKERS


def _java_under(directory: Path) -> list[int]:
    return process.processes_with_cwd_under(directory)


def test_the_cluster_starts_only_when_named_and_stops_without_leftovers(tmp_path: Path) -> None:
    manager = ServiceManager(tmp_path, environ={})
    assert "spark" not in [service.name for service in manager.select([])]
    try:
        env = manager.up(["spark"])
        spark = manager.services["spark"]
        leader = spark.pid()
        assert env[MASTER_VAR].startswith("spark://127.0.0.1:")
        assert manager.up(["spark"]) == env  # idempotent
        assert spark.pid() == leader
        assert "spark" in [service.name for service in manager.select([])]  # running: listed
        (state,) = [row for row in manager.status([]) if row[0] == "spark"]
        assert state[1] == "running"
        # The master and each worker are JVMs working under the service's directory.
        assert len(_java_under(tmp_path / "spark")) >= 1 + WORKERS
        assert f"{MASTER_VAR}=" in manager.env_file.read_text()
    finally:
        manager.down()

    assert leader is not None
    assert not process.is_alive(leader)
    assert _java_under(tmp_path / "spark") == []
    assert MASTER_VAR not in manager.env_file.read_text()
    assert manager.status(["spark"])[0][1] == "stopped"
