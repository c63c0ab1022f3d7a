"""Local services: one service's lifecycle (start, readiness, check, stop) and its state files."""

import json
import signal
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import ClassVar

from entrypoints.services import process
from entrypoints.settings import PROJECT_ROOT

INFRA_DIR = PROJECT_ROOT / "infra"
LOG_ROTATE_BYTES = 20 * 1024 * 1024  # one older log is kept beside it as <name>.log.1


class ServiceError(RuntimeError):
    """A service did not start, answer or stop; the message names it and points at its log."""


class Service(ABC):
    """A process we run under `<local dir>/<name>/`, or an external one named by the environment.

    Files: `<name>.pid` (the process-group leader), `env.json` (the variables clients need),
    `<name>.log` (everything the process printed)."""

    name: ClassVar[str]
    # Any of these set in the environment means an external service replaces ours.
    external_vars: ClassVar[tuple[str, ...]]
    ready_timeout: ClassVar[float] = 45.0
    stop_signal: ClassVar[signal.Signals] = signal.SIGTERM
    stop_grace: ClassVar[float] = 8.0
    # Started only when named (`services up spark`), not by a bare `services up`.
    on_demand: ClassVar[bool] = False

    def __init__(self, local_dir: Path) -> None:
        self.local_dir = local_dir
        self.home = local_dir / self.name
        self.log = self.home / f"{self.name}.log"
        self.pid_file = self.home / f"{self.name}.pid"
        self.env_file = self.home / "env.json"

    # --- what each service provides ---------------------------------------------------------

    @abstractmethod
    def launch(self) -> tuple[list[str], dict[str, str]]:
        """Prepare the state directory; return the command to run and the clients' variables."""

    @abstractmethod
    def check(self, env: Mapping[str, str]) -> None:
        """One real request against the service; raises when it does not answer."""

    def probe(self, env: Mapping[str, str]) -> None:
        """Readiness of a process we started, before `prepare` (defaults to `check`)."""
        self.check(env)

    def prepare(self, env: Mapping[str, str]) -> None:
        """Create what clients expect (databases, topics); must be idempotent."""
        return

    def prepare_external(self, env: Mapping[str, str]) -> None:
        """What `prepare` does for an external service; by default nothing (it is not ours)."""
        return

    def external_env(self, environ: Mapping[str, str]) -> dict[str, str]:
        """The clients' variables when an external service is used."""
        return {key: environ[key] for key in self.external_vars if environ.get(key)}

    # --- lifecycle ----------------------------------------------------------------------------

    def is_external(self, environ: Mapping[str, str]) -> bool:
        # Our own variables, exported from services.env into a shell, do not make us external.
        values = self.external_env(environ)
        return bool(values) and values != self.recorded_env()

    def up(self, environ: Mapping[str, str]) -> dict[str, str]:
        if self.is_external(environ):
            env = self.external_env(environ)
            self._attempt(f"external {self.name}", lambda: self._prepare_external(env))
            return env
        pid = self.pid()
        if pid is not None:
            env = self.recorded_env()
            self._attempt(f"{self.name} (pid {pid})", lambda: self.check(env))
            return env
        return self._start()

    def _prepare_and_check(self, env: Mapping[str, str]) -> None:
        self.prepare(env)
        self.check(env)

    def _prepare_external(self, env: Mapping[str, str]) -> None:
        self.prepare_external(env)
        self.check(env)

    def _start(self) -> dict[str, str]:
        self.home.mkdir(parents=True, exist_ok=True)
        self._open_log()
        command, env = self.launch()
        pid = process.spawn(command, self.log, cwd=self.home)
        self.pid_file.write_text(f"{pid}\n")
        self.env_file.write_text(json.dumps(env, indent=2))
        try:
            self._await_ready(pid, env)
            self._prepare_and_check(env)
        except BaseException as error:
            self.down()
            if isinstance(error, ServiceError):
                raise
            raise self._failure(f"did not become usable: {error}") from error
        return env

    def _open_log(self) -> None:
        """Keep what earlier runs printed: append, after rotating a log grown past its limit."""
        if self.log.exists() and self.log.stat().st_size > LOG_ROTATE_BYTES:
            self.log.replace(self.log.with_name(self.log.name + ".1"))
        stamp = time.strftime("%Y-%m-%d %H:%M:%S %z")
        with self.log.open("ab") as log:
            log.write(f"--- flowguard services: starting {self.name} at {stamp} ---\n".encode())

    def _await_ready(self, pid: int, env: Mapping[str, str]) -> None:
        deadline = time.monotonic() + self.ready_timeout
        last_error: Exception | None = None
        while time.monotonic() < deadline:
            if not process.is_alive(pid):
                raise self._failure("exited during start-up")
            try:
                self.probe(env)
                return
            except Exception as error:  # any failure means "not ready yet"; the last one is shown
                last_error = error
                time.sleep(0.5)
        raise self._failure(f"not ready after {self.ready_timeout:.0f}s (last error: {last_error})")

    def _attempt(self, what: str, action: Callable[[], None]) -> None:
        try:
            action()
        except Exception as error:  # reported with the service's name, never swallowed
            raise self._failure(f"{what} does not answer: {error}") from error

    def _failure(self, reason: str) -> ServiceError:
        tail = self.log.read_text(errors="replace").splitlines()[-15:] if self.log.exists() else []
        lines = [f"{self.name}: {reason}", f"  log: {self.log}", *("  | " + line for line in tail)]
        return ServiceError("\n".join(lines))

    def down(self) -> None:
        """Stop the process group and anything else of ours left under the state directory."""
        pid = self._read_pid()
        if pid is not None and process.is_alive(pid):
            process.stop_group(pid, self.stop_signal, self.stop_grace)
        for stray in self._strays():
            process.kill_and_wait(stray)
        left = self._strays()
        if left:
            raise ServiceError(f"{self.name}: processes {left} are still running after stop")
        # env.json stays: variables of ours still exported in a shell must not look external.
        self.pid_file.unlink(missing_ok=True)

    def state_dirs(self) -> list[Path]:
        """Where this service's processes work: any process found there is ours."""
        return [self.home]

    def _strays(self) -> list[int]:
        return [pid for d in self.state_dirs() for pid in process.processes_with_cwd_under(d)]

    def status(self, environ: Mapping[str, str]) -> tuple[str, str]:
        """(state, detail): state is running, stopped, external or unhealthy."""
        external = self.is_external(environ)
        if not external and self.pid() is None:
            return "stopped", ""
        env = self.external_env(environ) if external else self.recorded_env()
        try:
            self.check(env)
        except Exception as error:  # a status report, not a failure
            return "unhealthy", f"{error} (log: {self.log})"
        return ("external" if external else "running"), " ".join(f"{k}={v}" for k, v in env.items())

    def port(self, role: str) -> int:
        """A free port for `role`, the same as last time when possible, so that a restarted
        service keeps its address and variables exported earlier stay valid."""
        ports_file = self.home / "ports.json"
        try:
            ports = dict(json.loads(ports_file.read_text()))
        except (OSError, ValueError):
            ports = {}
        ports[role] = process.free_port(ports.get(role))
        ports_file.write_text(json.dumps(ports))
        return int(ports[role])

    # --- state files --------------------------------------------------------------------------

    def pid(self) -> int | None:
        """The leader's pid when it is alive."""
        pid = self._read_pid()
        return pid if pid is not None and process.is_alive(pid) else None

    def _read_pid(self) -> int | None:
        try:
            return int(self.pid_file.read_text().strip())
        except (OSError, ValueError):
            return None

    def recorded_env(self) -> dict[str, str]:
        try:
            return dict(json.loads(self.env_file.read_text()))
        except (OSError, ValueError):
            return {}
