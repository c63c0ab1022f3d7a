"""The composition root: the one place that knows which adapter serves which port.

Each port has a `Selector` keyed by configuration; the embedded set is the default.
Tests override providers (`container.x.override(...)`) instead of patching.
"""

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from functools import partial
from pathlib import Path

from dependency_injector import containers, providers

from adapters.catalog.file_catalog import FileCatalog
from adapters.kafka.config import KafkaConnection
from adapters.kafka.dead_letter_sink import KafkaDeadLetterSink
from adapters.kafka.event_publisher import KafkaEventPublisher
from adapters.kafka.message_source import KafkaMessageSource
from adapters.memory.event_publisher import (
    InProcessBus,
    InProcessDeadLetterSink,
    InProcessMessageSource,
)
from adapters.memory.event_store import memory_event_store_env
from adapters.memory.failed_event_store import MemoryFailedEventStore
from adapters.postgres.event_store import postgres_event_store_env
from adapters.postgres.event_store import schema_lock as postgres_schema_lock
from adapters.postgres.notification_log import PostgresNotificationLog
from adapters.postgres.relay_lease import PostgresRelayLease
from adapters.snowflake.bronze_warehouse import SnowflakeBronzeWarehouse
from adapters.snowflake.connection import EmbeddedFakesnow, SnowflakeConfig, connect_snowflake
from adapters.snowflake.staging import FakesnowPandasStager, InsertStager, SnowflakePandasStager
from adapters.snowflake.tables import SnowflakeTables
from adapters.spark.session import SparkConfig, spark_session
from adapters.sql.failed_event_store import SqlFailedEventStore, postgres_engine, sqlite_engine
from adapters.sqlite.event_store import schema_lock as sqlite_schema_lock
from adapters.sqlite.event_store import sqlite_event_store_env
from adapters.sqlite.notification_log import SqliteNotificationLog
from adapters.sqlite.relay_lease import SqliteRelayLease
from application.app import FlowGuardApp
from application.relay import FreeLease, OutboxRelay, Topics
from entrypoints.settings import Settings, load_settings


def _snowflake_config(settings: Settings) -> SnowflakeConfig:
    password = settings.snowflake_password
    return SnowflakeConfig(
        database=settings.snowflake_database,
        account=settings.snowflake_account,
        user=settings.snowflake_user,
        password=password.get_secret_value() if password else None,
        warehouse=settings.snowflake_warehouse,
        role=settings.snowflake_role,
        host=settings.snowflake_host,
        port=settings.snowflake_port,
        protocol=settings.snowflake_protocol,
    )


# --- Event store and application helpers (issue 3) ----------------------------------------
def _dsn(settings: Settings) -> str:
    if settings.postgres_dsn is None:
        raise ValueError("FLOWGUARD_EVENT_STORE=postgres needs FLOWGUARD_POSTGRES_DSN")
    return settings.postgres_dsn.get_secret_value()


def _postgres_env(settings: Settings) -> dict[str, str]:
    return postgres_event_store_env(_dsn(settings))


def _failed_path(settings: Settings) -> Path:
    return settings.sqlite_path.with_name("failed_events.sqlite")


def _app_env(store_env: dict[str, str]) -> dict[str, str]:
    # Cached aggregates are fast-forwarded from the store on every read, so they are never stale.
    return {**store_env, "AGGREGATE_CACHE_MAXSIZE": "10000"}


def _spark_config(settings: Settings) -> SparkConfig:
    return SparkConfig(
        master=settings.spark_master,
        shuffle_partitions=settings.spark_shuffle_partitions,
        driver_memory=settings.spark_driver_memory,
        java_home=settings.spark_java_home,
        aot_cache_dir=settings.data_dir / "jvm" if settings.spark_aot_cache else None,
        python_call_sites=settings.spark_python_call_sites,
        driver_host=settings.spark_driver_host,
        executor_memory=settings.spark_executor_memory,
        cores_max=settings.spark_cores_max,
    )


# --- Bus, relay and bronze consumer helpers (issue 4) --------------------------------------
def _kafka_connection(settings: Settings) -> KafkaConnection:
    if not settings.kafka_bootstrap_servers:
        raise ValueError("FLOWGUARD_BUS=kafka needs KAFKA_BOOTSTRAP_SERVERS")
    password = settings.kafka_sasl_password
    return KafkaConnection(
        bootstrap_servers=settings.kafka_bootstrap_servers,
        security_protocol=settings.kafka_security_protocol,
        sasl_mechanism=settings.kafka_sasl_mechanism,
        sasl_username=settings.kafka_sasl_username,
        sasl_password=password.get_secret_value() if password else None,
    )


def _remote_stager(settings: Settings) -> InsertStager | SnowflakePandasStager:
    # A fakesnow server (host set, no account) has no stages, so no write_pandas.
    return SnowflakePandasStager() if settings.snowflake_account else InsertStager()


SchemaLock = Callable[[], AbstractContextManager[object]]


def _postgres_schema_lock(settings: Settings) -> SchemaLock:
    return partial(postgres_schema_lock, _dsn(settings))


def _sqlite_schema_lock(settings: Settings) -> SchemaLock:
    return partial(sqlite_schema_lock, settings.sqlite_path)


def _flowguard_app(schema_guard: SchemaLock, **kwargs: object) -> FlowGuardApp:
    with schema_guard():  # the constructor creates the event store's tables
        return FlowGuardApp(**kwargs)  # type: ignore[arg-type]


def _tracking_recorder(app: FlowGuardApp, schema_guard: SchemaLock) -> object:
    # The relay's position lives in the event store's own database.
    with schema_guard():
        return app.factory.tracking_recorder()


class Container(containers.DeclarativeContainer):
    # The one source of configuration: the Selectors below are keyed on its fields.
    settings = providers.Singleton(load_settings)
    warehouse_kind = settings.provided.warehouse
    event_store_kind = settings.provided.event_store
    bus_kind = settings.provided.bus

    # --- Warehouse (Snowflake / fakesnow) -------------------------------------------------
    snowflake_config = providers.Singleton(_snowflake_config, settings)
    embedded_fakesnow = providers.Singleton(
        EmbeddedFakesnow,
        db_path=settings.provided.fakesnow_path,
        database=settings.provided.snowflake_database,
    )
    # A zero-argument callable returning a new DB-API connection to the warehouse.
    warehouse_connect = providers.Selector(
        warehouse_kind,
        fakesnow=providers.Callable(lambda fs: fs.connect, embedded_fakesnow),
        snowflake=providers.Callable(lambda cfg: partial(connect_snowflake, cfg), snowflake_config),
    )

    # --- Event store and application (issue 3) --------------------------------------------
    catalog = providers.Singleton(FileCatalog, settings.provided.catalog_dir)
    # eventsourcing configuration (PERSISTENCE_MODULE, ...) for FlowGuardApp and the relay.
    event_store_env = providers.Selector(
        event_store_kind,
        memory=providers.Callable(memory_event_store_env),
        sqlite=providers.Callable(sqlite_event_store_env, settings.provided.sqlite_path),
        postgres=providers.Callable(_postgres_env, settings),
    )
    # Held while a process creates tables, so processes starting together do not race.
    schema_guard = providers.Selector(
        event_store_kind,
        memory=providers.Object(nullcontext),
        sqlite=providers.Callable(_sqlite_schema_lock, settings),
        postgres=providers.Callable(_postgres_schema_lock, settings),
    )
    # One SQLAlchemy adapter on SQLite or PostgreSQL; creating or evolving its table holds the
    # schema guard.
    failed_event_store = providers.Selector(
        event_store_kind,
        memory=providers.Singleton(MemoryFailedEventStore),
        sqlite=providers.Singleton(
            SqlFailedEventStore,
            providers.Callable(sqlite_engine, providers.Callable(_failed_path, settings)),
            schema_guard,
        ),
        postgres=providers.Singleton(
            SqlFailedEventStore,
            providers.Callable(postgres_engine, providers.Callable(_dsn, settings)),
            schema_guard,
        ),
    )
    # One per process; call `.close()` on shutdown to stop the group-commit writer.
    flowguard_app = providers.Singleton(
        _flowguard_app,
        schema_guard,
        env=providers.Callable(_app_env, event_store_env),
        catalog=catalog,
        failed_events=failed_event_store,
    )

    # --- Bus, relay and bronze consumer (issue 4) -----------------------------------------
    kafka_connection = providers.Singleton(_kafka_connection, settings)
    in_process_bus = providers.Singleton(InProcessBus, settings.provided.kafka_topic_partitions)
    event_publisher = providers.Selector(
        bus_kind,
        inprocess=in_process_bus,
        kafka=providers.Singleton(KafkaEventPublisher, kafka_connection),
    )
    topics = providers.Singleton(
        Topics, orders=settings.provided.orders_topic, clicks=settings.provided.clicks_topic
    )
    # One relay publishes per event store; on PostgreSQL others stand by (entrypoints/relay.py).
    relay_lease = providers.Selector(
        event_store_kind,
        memory=providers.Singleton(FreeLease),
        sqlite=providers.Singleton(SqliteRelayLease, settings.provided.sqlite_path),
        postgres=providers.Singleton(PostgresRelayLease, providers.Callable(_dsn, settings)),
    )
    relay = providers.Factory(
        OutboxRelay,
        name="relay",
        recorder=flowguard_app.provided.recorder,
        mapper=flowguard_app.provided.mapper,
        tracking=providers.Callable(_tracking_recorder, flowguard_app, schema_guard),
        publisher=event_publisher,
        topics=topics,
        lease=relay_lease,
        bus=providers.Selector(bus_kind, inprocess=providers.Object(None), kafka=event_publisher),
        # Raw rows from the store's own tables; in memory, the recorder's notifications.
        log=providers.Selector(
            event_store_kind,
            memory=providers.Object(None),
            sqlite=providers.Factory(SqliteNotificationLog, flowguard_app.provided.recorder),
            postgres=providers.Factory(PostgresNotificationLog, flowguard_app.provided.recorder),
        ),
    )
    consumer_group = providers.Object("flowguard-bronze")
    message_source = providers.Selector(
        bus_kind,
        inprocess=providers.Factory(
            InProcessMessageSource, in_process_bus, consumer_group, topics.provided.names.call()
        ),
        kafka=providers.Factory(
            KafkaMessageSource, kafka_connection, consumer_group, topics.provided.names.call()
        ),
    )
    dead_letter_sink = providers.Selector(
        bus_kind,
        inprocess=providers.Singleton(
            InProcessDeadLetterSink, in_process_bus, settings.provided.dead_letter_topic
        ),
        kafka=providers.Singleton(
            KafkaDeadLetterSink, kafka_connection, settings.provided.dead_letter_topic
        ),
    )
    bronze_stager = providers.Selector(
        warehouse_kind,
        fakesnow=providers.Singleton(FakesnowPandasStager),
        snowflake=providers.Callable(_remote_stager, settings),
    )
    bronze_warehouse = providers.Factory(
        SnowflakeBronzeWarehouse, connect=warehouse_connect, stager=bronze_stager
    )

    # --- Batch layer (issue 5) ------------------------------------------------------------
    spark_config = providers.Singleton(_spark_config, settings)
    # Stopped by container.shutdown_resources().
    spark = providers.Resource(spark_session, spark_config)
    # Stages in bulk the way BRONZE loading does, then swaps a day in one transaction.
    batch_tables = providers.Singleton(SnowflakeTables, warehouse_connect, stager=bronze_stager)


def create_container(settings: Settings | None = None) -> Container:
    """Build the container from settings (environment and `.env` when none are given)."""
    settings = settings or load_settings()
    container = Container()
    container.settings.override(providers.Object(settings))
    return container
