"""Local services: start, stop and report several services, and publish their variables."""

import fcntl
import os
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from dotenv import dotenv_values

from entrypoints.services.base import Service, ServiceError
from entrypoints.services.fakesnow import FakesnowService
from entrypoints.services.kafka import KafkaService
from entrypoints.services.luigid import LuigidService
from entrypoints.services.postgres import PostgresService
from entrypoints.services.spark import SparkService
from entrypoints.settings import PROJECT_ROOT

SERVICE_TYPES: dict[str, type[Service]] = {
    cls.name: cls
    for cls in (PostgresService, KafkaService, FakesnowService, LuigidService, SparkService)
}


class ServiceManager:
    """The services under one local directory; `services.env` lists what clients should use."""

    def __init__(self, local_dir: Path, environ: Mapping[str, str] | None = None) -> None:
        self.local_dir = local_dir
        self.environ = configured_environ() if environ is None else dict(environ)
        self.services = {name: cls(local_dir) for name, cls in SERVICE_TYPES.items()}

    def select(self, names: Iterable[str], everything: bool = False) -> list[Service]:
        """The named services; by default those not on demand, and on-demand ones running."""
        names = list(names) or [
            name
            for name, service in self.services.items()
            if everything or not service.on_demand or service.pid() is not None
        ]
        unknown = sorted(set(names) - set(self.services))
        if unknown:
            raise ServiceError(f"unknown services {unknown}; known: {sorted(self.services)}")
        return [self.services[name] for name in names]

    def up(self, names: Iterable[str] = ()) -> dict[str, str]:
        """Start (or reuse, or check the external replacement of) each service, all at once:
        Kafka's start-up dominates, the others fit inside it."""
        selected = self.select(names)
        with self._locked(), ThreadPoolExecutor(max_workers=len(selected)) as pool:
            futures = {service.name: pool.submit(service.up, self.environ) for service in selected}
        errors = [_described(name, f.exception()) for name, f in futures.items() if f.exception()]
        self.write_env_file()
        if errors:
            raise ServiceError("\n".join(errors))
        return self.client_env()

    def down(self, names: Iterable[str] = ()) -> None:
        errors = []
        with self._locked():
            for service in reversed(self.select(names, everything=True)):
                try:
                    service.down()
                except (ServiceError, OSError, RuntimeError) as error:  # stop the rest, then report
                    errors.append(_described(service.name, error))
        self.write_env_file()
        if errors:
            raise ServiceError("\n".join(errors))

    def status(self, names: Iterable[str] = ()) -> list[tuple[str, str, str]]:
        return [(s.name, *s.status(self.environ)) for s in self.select(names)]

    def client_env(self) -> dict[str, str]:
        """The variables of every service that is ours and running, or external."""
        env: dict[str, str] = {}
        for service in self.services.values():
            if service.is_external(self.environ):
                env.update(service.external_env(self.environ))
            elif service.pid() is not None:
                env.update(service.recorded_env())
        return env

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """One `up` or `down` at a time per local directory: two would start two copies."""
        self.local_dir.mkdir(parents=True, exist_ok=True)
        with (self.local_dir / "services.lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            yield

    @property
    def env_file(self) -> Path:
        return self.local_dir / "services.env"

    def write_env_file(self) -> None:
        self.local_dir.mkdir(parents=True, exist_ok=True)
        lines = ["# Written by `flowguard services up`: how to reach the running services."]
        lines += [f"{key}={value}" for key, value in sorted(self.client_env().items())]
        self.env_file.write_text("\n".join(lines) + "\n")


def configured_environ() -> dict[str, str]:
    """The variables that may name external services: `.env` files overlaid by the real
    environment, in the precedence Settings uses (services.env is our output, not an input)."""
    merged: dict[str, str] = {}
    for path in (PROJECT_ROOT / ".env", Path.cwd() / ".env"):
        if path.is_file():
            merged |= {k: v for k, v in dotenv_values(path).items() if v is not None}
    return merged | dict(os.environ)


def _described(name: str, error: BaseException | None) -> str:
    if isinstance(error, ServiceError):
        return str(error)  # already names the service and its log
    return f"{name}: {type(error).__name__}: {error}"
