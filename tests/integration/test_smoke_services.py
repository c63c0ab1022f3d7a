"""Smoke test of the service manager itself: idempotent start, clean stop, loud failure, and
an external service used instead of our own. Runs luigid and PostgreSQL in a scratch directory."""

import shutil
import sys
from pathlib import Path

import pytest

from entrypoints.services import process
from entrypoints.services.base import ServiceError
from entrypoints.services.luigid import LuigidService
from entrypoints.services.manager import ServiceManager


class CrashingLuigid(LuigidService):
    """A luigid whose process dies at once, as a broken install would."""

    def launch(self) -> tuple[list[str], dict[str, str]]:
        _, env = super().launch()
        return [sys.executable, "-c", "print('cannot bind'); raise SystemExit(3)"], env


def test_up_is_idempotent_and_down_leaves_no_process(tmp_path: Path) -> None:
    manager = ServiceManager(tmp_path, environ={})
    try:
        first = manager.up(["postgres", "luigid"])
        pids = {name: manager.services[name].pid() for name in ("postgres", "luigid")}
        again = manager.up(["postgres", "luigid"])
        assert again == first
        assert {name: manager.services[name].pid() for name in pids} == pids
        assert "FLOWGUARD_POSTGRES_DSN=" in manager.env_file.read_text()
    finally:
        manager.down(["postgres", "luigid"])
        # As root under pytest's private tmp dir the cluster lives in the system temp dir.
        shutil.rmtree(manager.services["postgres"].state_dirs()[-1], ignore_errors=True)

    for name, pid in pids.items():
        assert pid is not None
        assert not process.is_alive(pid), name
        assert process.processes_with_cwd_under(tmp_path / name) == []
    assert "LUIGI_SCHEDULER_URL" not in manager.env_file.read_text()


def test_restarted_service_keeps_its_address(tmp_path: Path) -> None:
    service = LuigidService(tmp_path)
    try:
        before = service.up({})
        service.down()
        after = service.up({})
    finally:
        service.down()

    assert after == before


def test_failed_start_names_the_service_and_its_log(tmp_path: Path) -> None:
    service = CrashingLuigid(tmp_path)

    with pytest.raises(ServiceError) as failure:
        service.up({})

    message = str(failure.value)
    assert message.startswith("luigid: exited during start-up")
    assert str(tmp_path / "luigid" / "luigid.log") in message
    assert "cannot bind" in message
    assert service.pid() is None


def test_external_service_is_checked_not_started(tmp_path: Path, luigi_scheduler_url: str) -> None:
    manager = ServiceManager(tmp_path, environ={"LUIGI_SCHEDULER_URL": luigi_scheduler_url})

    manager.up(["luigid"])

    assert manager.services["luigid"].pid() is None
    assert f"LUIGI_SCHEDULER_URL={luigi_scheduler_url}" in manager.env_file.read_text()
    assert manager.status(["luigid"])[0][1] == "external"


def test_unreachable_external_service_fails_up(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{process.free_port()}/"
    manager = ServiceManager(tmp_path, environ={"LUIGI_SCHEDULER_URL": url})

    with pytest.raises(ServiceError, match="external luigid does not answer"):
        manager.up(["luigid"])
