"""Local services: a throwaway PostgreSQL cluster for the event store (infra/postgres)."""

import hashlib
import os
import signal
import stat
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar
from urllib.parse import urlsplit

from entrypoints.services.base import INFRA_DIR, Service

if TYPE_CHECKING:
    import psycopg

DATABASE = "flowguard"
USER = "flowguard"
# A local, loopback-only, throwaway cluster: a fixed password keeps the DSN stable across restarts.
PASSWORD = "flowguard"
DSN_VAR = "FLOWGUARD_POSTGRES_DSN"


class PostgresService(Service):
    name = "postgres"
    external_vars: ClassVar[tuple[str, ...]] = (DSN_VAR,)
    stop_signal = signal.SIGINT  # PostgreSQL's "fast" shutdown

    def launch(self) -> tuple[list[str], dict[str, str]]:
        port = self.port("sql")
        script = INFRA_DIR / "postgres" / "start-postgres.sh"
        command = ["bash", str(script), str(self.cluster_dir), str(port)]
        return command, {DSN_VAR: f"postgresql://{USER}:{PASSWORD}@127.0.0.1:{port}/{DATABASE}"}

    @property
    def cluster_dir(self) -> Path:
        """The data and socket directory. As root the server runs as `postgres`, which must be
        able to reach it: a state directory under a private home (/root/...) is not, so the
        cluster then lives in the system temp directory instead, named after the state dir."""
        if os.geteuid() != 0 or _others_can_reach(self.home):
            return self.home
        digest = hashlib.sha256(str(self.home.resolve()).encode()).hexdigest()[:12]
        return Path(tempfile.gettempdir()) / f"flowguard-postgres-{digest}"

    def state_dirs(self) -> list[Path]:
        return [self.home, self.cluster_dir]

    def probe(self, env: Mapping[str, str]) -> None:
        with self._superuser(env) as conn:
            conn.execute("SELECT 1")

    def prepare(self, env: Mapping[str, str]) -> None:
        with self._superuser(env) as conn:
            exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (USER,)).fetchone()
            verb = "ALTER" if exists else "CREATE"
            conn.execute(f"{verb} ROLE {USER} LOGIN CREATEDB PASSWORD '{PASSWORD}'")
            # Tests and benchmarks drop their databases WITH (FORCE); an autovacuum worker
            # in one made that fail ("must be a member of pg_signal_backend") now and then.
            conn.execute(f"GRANT pg_signal_backend TO {USER}")
            found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE,))
            if not found.fetchone():
                conn.execute(f"CREATE DATABASE {DATABASE} OWNER {USER}")

    def check(self, env: Mapping[str, str]) -> None:
        import psycopg

        with psycopg.connect(env[DSN_VAR], connect_timeout=3) as conn:
            conn.execute("SELECT 1").fetchone()

    def _superuser(self, env: Mapping[str, str]) -> "psycopg.Connection[tuple[object, ...]]":
        import psycopg

        port = urlsplit(env[DSN_VAR]).port
        return psycopg.connect(
            host=str(self.cluster_dir / "run"),
            port=port,
            user="postgres",
            dbname="postgres",
            autocommit=True,
            connect_timeout=3,
        )


def _others_can_reach(path: Path) -> bool:
    """Whether every existing ancestor of `path` lets other users through (o+x)."""
    for parent in path.resolve().parents:
        if parent.exists() and not parent.stat().st_mode & stat.S_IXOTH:
            return False
    return True
