"""Test harness for the streaming e2e and fault tests: an isolated pipeline on the real services
(a fresh PostgreSQL database, fresh Kafka topics, a fresh warehouse database), its processes,
and the checker that compares the event store with BRONZE.

Ids: every stored event's `event_id` is the server's (BRONZE's INGESTION_ID, the MERGE key);
the id a client sent is kept beside it as `client_event_id` (BRONZE's CLIENT_EVENT_ID). The
checker compares the store and BRONZE by the server's ids, and the client ids a test had
acknowledged against CLIENT_EVENT_ID."""

import os
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
from confluent_kafka.admin import AdminClient, NewTopic
from eventsourcing.application import Application

from adapters.postgres.event_store import postgres_event_store_env
from adapters.snowflake.connection import SnowflakeConfig, connect_snowflake
from application.codec import is_published
from application.codec.envelopes import envelope_dict

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable


def fresh_database(dsn: str, prefix: str) -> str:
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(dsn, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    parts = urlsplit(dsn)
    return urlunsplit(parts._replace(path=f"/{name}"))


def drop_database(dsn: str, database_dsn: str) -> None:
    name = urlsplit(database_dsn).path.lstrip("/")
    with psycopg.connect(dsn, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def create_topics(bootstrap: str, names: list[str], partitions: int = 3) -> None:
    admin = AdminClient({"bootstrap.servers": bootstrap})
    for future in admin.create_topics([NewTopic(n, partitions, 1) for n in names]).values():
        future.result(30)


@dataclass
class Pipeline:
    """Environment for the gateway, relay and consumer processes of one test."""

    dsn: str
    bootstrap: str
    snowflake_host: str
    snowflake_port: int
    workdir: Path
    suffix: str = field(default_factory=lambda: uuid.uuid4().hex[:8])
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    partitions: int = 3

    def __post_init__(self) -> None:
        self.database = fresh_database(self.dsn, "fg_stream")
        self.topics = [f"{t}.{self.suffix}" for t in ("orders", "clicks", "dead")]
        create_topics(self.bootstrap, self.topics, self.partitions)
        self.warehouse_db = f"FG_{self.suffix.upper()}"
        self.workdir.mkdir(parents=True, exist_ok=True)

    def env(self, **extra: str) -> dict[str, str]:
        return {
            **os.environ,
            "FLOWGUARD_LOCAL_DIR": str(self.workdir),
            "FLOWGUARD_EVENT_STORE": "postgres",
            "FLOWGUARD_POSTGRES_DSN": self.database,
            "FLOWGUARD_BUS": "kafka",
            "KAFKA_BOOTSTRAP_SERVERS": self.bootstrap,
            "FLOWGUARD_ORDERS_TOPIC": self.topics[0],
            "FLOWGUARD_CLICKS_TOPIC": self.topics[1],
            "FLOWGUARD_DEAD_LETTER_TOPIC": self.topics[2],
            "FLOWGUARD_WAREHOUSE": "snowflake",
            "SNOWFLAKE_HOST": self.snowflake_host,
            "SNOWFLAKE_PORT": str(self.snowflake_port),
            "SNOWFLAKE_PROTOCOL": "http",
            "SNOWFLAKE_DATABASE": self.warehouse_db,
            "FLOWGUARD_CONSUMER_BATCH_WAIT": "0.3",
            "FLOWGUARD_CONSUMER_GROUP": f"bronze-{self.suffix}",
            **extra,
        }

    def start(self, name: str, *args: str, **extra: str) -> subprocess.Popen[bytes]:
        log = (self.workdir / f"{name}.log").open("ab")
        process = subprocess.Popen(
            [PYTHON, "-m", *args], cwd=ROOT, env=self.env(**extra), stdout=log, stderr=log
        )
        self.processes.append(process)
        return process

    def start_relay(self, *args: str, name: str = "relay", **extra: str) -> subprocess.Popen[bytes]:
        return self.start(name, "entrypoints.cli", "relay", *args, **extra)

    def start_consumer(
        self, *args: str, name: str = "consumer", **extra: str
    ) -> subprocess.Popen[bytes]:
        return self.start(name, "entrypoints.cli", "consume", *args, **extra)

    def start_killed_once(self, role: str, marker: Path) -> subprocess.Popen[bytes]:
        """`relay` or `consume` that SIGKILLs itself at its hook (tests/faults/hooked.py)."""
        name = "relay" if role == "relay" else "consumer"
        return self.start(name, "tests.faults.hooked", role, str(marker))

    def delete_topics(self) -> None:
        """The broker keeps its data across restarts now: leave no test topics behind."""
        admin = AdminClient({"bootstrap.servers": self.bootstrap})
        for future in admin.delete_topics(self.topics, operation_timeout=30).values():
            future.result(30)

    def log(self, name: str) -> str:
        path = self.workdir / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    # --- the two sides the checker compares --------------------------------------------------

    def stored_envelopes(self) -> list[dict[str, Any]]:
        """Every published event in the event store, as the relay would send it."""
        app_class = type("FlowGuardApp", (Application,), {"name": "FlowGuardApp"})
        app = app_class(env=postgres_event_store_env(self.database))
        try:
            notifications = app.recorder.select_notifications(start=1, limit=10_000_000)
            events = (app.mapper.to_domain_event(n) for n in notifications)
            return [envelope_dict(e) for e in events if is_published(e)]
        finally:
            app.close()

    def bronze_rows(self) -> list[tuple[Any, ...]]:
        config = SnowflakeConfig(
            database=self.warehouse_db,
            host=self.snowflake_host,
            port=self.snowflake_port,
            protocol="http",
        )
        connection = connect_snowflake(config)
        try:
            cursor = connection.cursor()
            cursor.execute("CREATE SCHEMA IF NOT EXISTS BRONZE")
            rows: list[tuple[Any, ...]] = []
            for table in ("ORDERS_RAW", "CLICKS_RAW"):
                cursor.execute(
                    "SELECT INGESTION_ID, EVENT_TYPE, AGGREGATE_ID, AGGREGATE_VERSION, "
                    f"SOURCE_PARTITION, SOURCE_OFFSET, CLIENT_EVENT_ID FROM BRONZE.{table}"
                )
                rows.extend(cursor.fetchall())
            return rows
        except Exception as error:
            if "does not exist" in str(error):
                return []
            raise
        finally:
            connection.close()

    def failed_events(self) -> list[tuple[Any, ...]]:
        config = SnowflakeConfig(
            database=self.warehouse_db, host=self.snowflake_host, port=self.snowflake_port,
            protocol="http",
        )  # fmt: skip
        connection = connect_snowflake(config)
        try:
            cursor = connection.cursor()
            cursor.execute("SELECT FAILED_ID, ERROR FROM BRONZE.FAILED_EVENTS")
            return list(cursor.fetchall())
        finally:
            connection.close()


@dataclass(frozen=True)
class Verdict:
    expected: int
    loaded_ids: int
    rows: int
    missing: list[str]  # server ids in the store, not in BRONZE
    unexpected: list[str]  # server ids in BRONZE, not in the store
    duplicate_rows: int
    order_violations: list[str]
    counts_by_type: dict[str, int]
    expected_by_type: dict[str, int]
    # BRONZE rows whose CLIENT_EVENT_ID is not the stored event's client_event_id
    client_id_mismatches: list[str] = field(default_factory=list)
    # client ids the test had acknowledged: not in BRONZE, or in more than one row
    acknowledged_lost: list[str] = field(default_factory=list)
    acknowledged_repeated: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (
            self.missing
            or self.unexpected
            or self.duplicate_rows
            or self.order_violations
            or self.client_id_mismatches
            or self.acknowledged_lost
            or self.acknowledged_repeated
        )


def check(
    expected: list[dict[str, Any]], rows: list[tuple[Any, ...]], acknowledged: Iterable[str] = ()
) -> Verdict:
    """BRONZE holds exactly the stored events (by the server's ids), once each, per aggregate
    the versions in partition-offset order, each with its stored client id; and every client id
    in `acknowledged` (the ids of events the API or the app acknowledged) in exactly one row."""
    ids = Counter(str(r[0]) for r in rows)
    by_aggregate: dict[str, list[tuple[Any, ...]]] = {}
    for row in rows:
        by_aggregate.setdefault(str(row[2]), []).append(row)
    violations = [agg for agg, rs in by_aggregate.items() if not _in_order(rs)]
    stored = {e["event_id"]: e["client_event_id"] for e in expected}
    client_ids = Counter(str(r[6]) for r in rows if r[6] is not None)
    acked = set(acknowledged)
    return Verdict(
        expected=len(expected),
        loaded_ids=len(ids),
        rows=len(rows),
        missing=[e["event_id"] for e in expected if e["event_id"] not in ids],
        unexpected=[i for i in ids if i not in stored],
        duplicate_rows=sum(n - 1 for n in ids.values()),
        order_violations=violations,
        counts_by_type=dict(Counter(str(r[1]) for r in rows)),
        expected_by_type=dict(Counter(e["event_type"] for e in expected)),
        client_id_mismatches=[
            str(r[0]) for r in rows if str(r[0]) in stored and r[6] != stored[str(r[0])]
        ],
        acknowledged_lost=sorted(c for c in acked if not client_ids[c]),
        acknowledged_repeated=sorted(c for c in acked if client_ids[c] > 1),
    )


def _in_order(rows: list[tuple[Any, ...]]) -> bool:
    ordered = sorted(rows, key=lambda r: int(r[3]))
    partitions = {int(r[4]) for r in rows}
    offsets = [int(r[5]) for r in ordered]
    return len(partitions) == 1 and offsets == sorted(offsets)


def wait_until(
    condition: Callable[[], bool],
    timeout: float,
    what: str,
    poll: float = 0.5,
    diagnose: Callable[[], str] = str,
) -> None:
    """Poll `condition`; on timeout fail with `diagnose()` (say, a process log) in the message."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}\n{diagnose()}")
        time.sleep(poll)


def wait_for_quiescence(pipeline: Pipeline, expected: int, timeout: float = 60.0) -> None:
    """Until BRONZE holds at least `expected` distinct ids and stops changing."""
    last: list[int] = [-1]

    def settled() -> bool:
        count = len({r[0] for r in pipeline.bronze_rows()})
        done = count >= expected and count == last[0]
        last[0] = count
        return done

    def tails() -> str:
        return "\n".join(
            f"--- {name}.log (last lines) ---\n" + "\n".join(pipeline.log(name).splitlines()[-25:])
            for name in ("relay", "consumer")
        )

    wait_until(settled, timeout, f"{expected} events in BRONZE", poll=0.5, diagnose=tails)
