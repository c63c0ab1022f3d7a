"""Schema changes without data loss: a column added to a declaration reaches a populated table
when init runs again, on fakesnow (in-process and server) and on PostgreSQL; tables made by
the hand-written DDL before the declaration existed are upgraded in place."""

import dataclasses
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import uuid4

import psycopg
import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from adapters.snowflake.bronze_warehouse import SnowflakeBronzeWarehouse
from adapters.snowflake.connection import EmbeddedFakesnow, SnowflakeConfig, connect_snowflake
from adapters.snowflake.schema import init_tables, warehouse_engine
from adapters.snowflake.staging import FakesnowPandasStager, InsertStager, Stager
from adapters.snowflake.tables import SnowflakeTables
from adapters.sql.failed_event_store import SqlFailedEventStore, postgres_engine, sqlite_engine
from adapters.sql.migrate import Change, SchemaEvolutionError, ensure_tables
from adapters.sql.render import render
from application.ports import BronzeRow
from application.results import FailedEvent
from application.tables import DAILY_GMV_METRICS, GATEWAY_FAILED_EVENTS, ORDERS_RAW
from application.tables.declaration import MONEY, VARCHAR, column, required
from domain.errors import FieldError
from entrypoints import cli
from pipelines.jobs.tables import DayRows

D = date(2026, 11, 20)
AT = datetime(2026, 11, 20, 12, 30)
# BRONZE as `flowguard warehouse init` made it before the declaration (no CLIENT_EVENT_ID).
LEGACY_RAW_DDL = """CREATE TABLE BRONZE.ORDERS_RAW (
    INGESTION_ID VARCHAR(36) NOT NULL, EVENT_TYPE VARCHAR(64) NOT NULL,
    AGGREGATE_ID VARCHAR(36) NOT NULL, AGGREGATE_VERSION NUMBER(38,0) NOT NULL,
    EVENT_TIME TIMESTAMP_NTZ NOT NULL, EVENT_DATE DATE NOT NULL, RECEIVED_AT TIMESTAMP_NTZ NOT NULL,
    SCHEMA_VERSION NUMBER(38,0) NOT NULL, PAYLOAD VARCHAR NOT NULL, SOURCE_TOPIC VARCHAR(255),
    SOURCE_PARTITION NUMBER(38,0), SOURCE_OFFSET NUMBER(38,0), INGESTED_AT TIMESTAMP_NTZ NOT NULL
)"""
Target = tuple[Callable[[], Any], Stager]


@pytest.fixture(params=["fakesnow", "fakesnow-server"])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> Target:
    database = f"EVOLVE_{uuid.uuid4().hex[:8].upper()}"
    if request.param == "fakesnow":
        return EmbeddedFakesnow(tmp_path / "fs", database=database).connect, FakesnowPandasStager()
    server: SnowflakeConfig = request.getfixturevalue("fakesnow_server")
    config = dataclasses.replace(server, database=database)
    return (lambda: connect_snowflake(config)), InsertStager()


def _gmv_day(day: date) -> DayRows:
    names = DAILY_GMV_METRICS.column_names
    values = (day, 3, 2, 1, Decimal("30.00"), Decimal("20.00"), Decimal("10.00"), 3, 0.33, 0)
    return DayRows(DAILY_GMV_METRICS.qualified_name, "METRIC_DATE", names,
                   [dict(zip(names, values, strict=True))])  # fmt: skip


def test_init_adds_the_column_a_declaration_gained_and_keeps_every_row(target: Target) -> None:
    tables = SnowflakeTables(*target)
    tables.init_schema()
    for day in (D, date(2026, 11, 21)):
        tables.publish(day, [_gmv_day(day)], [])
    grown = DAILY_GMV_METRICS.with_columns(column("REFUNDS", MONEY, "refunded amount"))

    engine = warehouse_engine(target[0])
    with engine.connect() as connection:
        assert init_tables(connection, [grown]) == [
            Change("GOLD.DAILY_GMV_METRICS", "added column REFUNDS")
        ]
        assert init_tables(connection, [grown]) == []  # idempotent
        rendered = render([grown]).tables["GOLD.DAILY_GMV_METRICS"]
        rows = connection.execute(sa.select(rendered).order_by(rendered.c.METRIC_DATE)).all()
    engine.dispose()

    assert [(r.METRIC_DATE, r.TOTAL_ORDERS, r.REFUNDS) for r in rows] == [
        (D, 3, None), (date(2026, 11, 21), 3, None)
    ]  # fmt: skip
    assert tables.init_schema() == []  # the declared tables are all there; the extra stays


def test_a_required_column_added_to_a_populated_table_is_refused_clearly(target: Target) -> None:
    tables = SnowflakeTables(*target)
    tables.publish(D, [_gmv_day(D)], [])
    grown = DAILY_GMV_METRICS.with_columns(required("REGION", VARCHAR, "where"))
    engine = warehouse_engine(target[0])
    with engine.connect() as connection, pytest.raises(SchemaEvolutionError, match="REGION"):
        init_tables(connection, [grown])
    engine.dispose()
    assert len(tables.read_rows("GOLD.DAILY_GMV_METRICS", "METRIC_DATE", D, D)) == 1


def _legacy_bronze(connect: Callable[[], Any]) -> list[str]:
    connection = connect()
    cursor = connection.cursor()
    cursor.execute("CREATE SCHEMA IF NOT EXISTS BRONZE")
    cursor.execute(LEGACY_RAW_DDL)
    ids = [str(uuid4()) for _ in range(3)]
    for n, ingestion_id in enumerate(ids):
        cursor.execute(
            "INSERT INTO BRONZE.ORDERS_RAW VALUES (%s, 'order.placed', 'a', 1, %s, %s, %s, 1,"
            " '{}', 'raw.orders.v1', 0, %s, %s)",
            (ingestion_id, AT, D, AT, n, AT),
        )
    connection.close()
    return ids


def test_a_bronze_made_before_client_event_id_gains_it_on_init_with_rows_kept(
    target: Target,
) -> None:
    legacy = _legacy_bronze(target[0])
    warehouse = SnowflakeBronzeWarehouse(*target)
    warehouse.create_schema()
    fresh = BronzeRow(str(uuid4()), "order.placed", "b", 1, AT, D, AT, 1, "{}",
                      "raw.orders.v1", 0, 9, AT, client_event_id="client-1")  # fmt: skip
    assert warehouse.merge_rows("ORDERS_RAW", [fresh]) == 1
    warehouse.close()

    window = SnowflakeTables(*target).bronze_window("ORDERS_RAW", D, D)
    kept = {r["INGESTION_ID"]: r["CLIENT_EVENT_ID"] for r in window.to_pylist()}
    assert kept == {**dict.fromkeys(legacy), fresh.ingestion_id: "client-1"}
    assert window.column_names == list(ORDERS_RAW.column_names)


def test_the_warehouse_init_command_upgrades_a_deployed_warehouse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fakesnow = tmp_path / "fakesnow"
    legacy = _legacy_bronze(EmbeddedFakesnow(fakesnow).connect)
    monkeypatch.setenv("FLOWGUARD_WAREHOUSE", "fakesnow")
    monkeypatch.setenv("FLOWGUARD_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("FAKESNOW_DB_PATH", str(fakesnow))

    first = CliRunner().invoke(cli.app, ["warehouse", "init"])
    again = CliRunner().invoke(cli.app, ["warehouse", "init"])

    assert first.exit_code == 0, first.output
    assert "BRONZE.ORDERS_RAW: added column CLIENT_EVENT_ID" in first.output
    assert "BRONZE.CLICKS_RAW: created" in first.output
    assert "added" not in again.output
    assert "created" not in again.output
    rows = SnowflakeTables(EmbeddedFakesnow(fakesnow).connect, FakesnowPandasStager())
    assert sorted(rows.bronze_window("ORDERS_RAW", D, D)["INGESTION_ID"].to_pylist()) == sorted(
        legacy
    )


# --- The gateway's failed events, in the event store's database ------------------------------


def _event(n: int) -> FailedEvent:
    return FailedEvent(uuid4(), "click", {"n": n, "s": "nul\x00"}, [FieldError("s", "bad")],
                       datetime(2026, 11, 20, 12, n, tzinfo=UTC))  # fmt: skip


@pytest.fixture
def postgres(fresh_postgres_database: Callable[[], str]) -> Iterator[str]:
    return fresh_postgres_database()


def test_postgres_failed_events_gain_a_declared_column_with_every_row_kept(postgres: str) -> None:
    store = SqlFailedEventStore(postgres_engine(postgres))
    events = [_event(n) for n in range(3)]
    store.add(events)
    grown = render([GATEWAY_FAILED_EVENTS.with_columns(column("note", VARCHAR, "a note"))])

    engine = postgres_engine(postgres)
    with engine.begin() as connection:
        changes = ensure_tables(connection, grown.tables.values())
        assert ensure_tables(connection, grown.tables.values()) == []
    engine.dispose()

    assert changes == [Change("flowguard_failed_events", "added column note")]
    assert store.list() == events[::-1]
    store.add([events[0], _event(9)])  # the old adapter's table shape still takes writes
    assert store.count() == 4
    store.close()


def test_a_postgres_failed_events_table_with_jsonb_payloads_is_converted_in_place(
    postgres: str,
) -> None:
    kept = uuid4()
    with psycopg.connect(postgres) as connection:
        connection.execute("""CREATE TABLE flowguard_failed_events (
            seq BIGSERIAL PRIMARY KEY, failed_id UUID NOT NULL UNIQUE, kind TEXT NOT NULL,
            payload JSONB NOT NULL, errors JSONB NOT NULL, received_at TIMESTAMPTZ NOT NULL)""")
        connection.execute(
            "INSERT INTO flowguard_failed_events (failed_id, kind, payload, errors, received_at)"
            " VALUES (%s, 'click', '{\"big\": 18446744073709551615, \"a\": [1, 2.5]}',"
            " '[{\"field\": \"a\", \"reason\": \"r\"}]', %s)",
            (kept, datetime(2026, 11, 20, tzinfo=UTC)),
        )

    store = SqlFailedEventStore(postgres_engine(postgres))
    fresh = _event(1)
    store.add([fresh])

    old = store.list()[1]
    assert (old.failed_id, old.payload) == (kept, {"big": 18446744073709551615, "a": [1, 2.5]})
    assert store.list()[0] == fresh
    store.close()


def test_an_sqlite_failed_events_file_from_the_old_adapter_is_read_on(tmp_path: Path) -> None:
    path = tmp_path / "failed_events.sqlite"
    kept = uuid4()
    engine = sqlite_engine(path)
    with engine.begin() as connection:
        connection.exec_driver_sql("""CREATE TABLE failed_events (
            seq INTEGER PRIMARY KEY AUTOINCREMENT, failed_id TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL, payload TEXT NOT NULL, errors TEXT NOT NULL,
            received_at TEXT NOT NULL)""")
        connection.exec_driver_sql(
            "INSERT INTO failed_events (failed_id, kind, payload, errors, received_at) VALUES"
            " (?, 'click', '{\"a\": \"\\ufffd\"}', '[]', '2026-11-20T00:00:00+00:00')",
            (str(kept),),
        )
    engine.dispose()

    store = SqlFailedEventStore(sqlite_engine(path))
    store.add([_event(1)])

    [fresh, old] = store.list()
    assert (old.failed_id, old.payload, old.received_at) == (
        kept, {"a": "\ufffd"}, datetime(2026, 11, 20, tzinfo=UTC)
    )  # fmt: skip
    assert fresh.payload == {"n": 1, "s": "nul\x00"}
    store.close()
