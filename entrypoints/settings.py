"""Configuration: environment variables and `.env`, read once through pydantic-settings."""

import os
from enum import StrEnum
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# Where local services keep their state; parallel workers may point this elsewhere.
LOCAL_DIR = Path(os.environ.get("FLOWGUARD_LOCAL_DIR", PROJECT_ROOT / ".local"))
SERVICES_ENV = LOCAL_DIR / "services.env"


class EventStoreKind(StrEnum):
    MEMORY = "memory"
    SQLITE = "sqlite"
    POSTGRES = "postgres"


class BusKind(StrEnum):
    INPROCESS = "inprocess"
    KAFKA = "kafka"


class WarehouseKind(StrEnum):
    FAKESNOW = "fakesnow"  # in-process fakesnow on a DuckDB directory
    SNOWFLAKE = "snowflake"  # the real connector over the wire: Snowflake, or a fakesnow server


class Settings(BaseSettings):
    """Every knob FlowGuard has. Real environment variables win over `.env`, which wins over
    `.local/services.env` (written by `flowguard services up`)."""

    model_config = SettingsConfigDict(
        env_file=(SERVICES_ENV, PROJECT_ROOT / ".env", ".env"),
        env_file_encoding="utf-8",
        extra="ignore",
    )

    # Port selection: the embedded set is the default.
    event_store: EventStoreKind = Field(EventStoreKind.SQLITE, alias="FLOWGUARD_EVENT_STORE")
    bus: BusKind = Field(BusKind.INPROCESS, alias="FLOWGUARD_BUS")
    warehouse: WarehouseKind = Field(WarehouseKind.FAKESNOW, alias="FLOWGUARD_WAREHOUSE")

    data_dir: Path = Field(LOCAL_DIR / "data", alias="FLOWGUARD_DATA_DIR")
    # Where the batch layer's Parquet and markers live, as a URI the Spark driver and executors
    # both reach: file:// (default: <data dir>/lake), s3a://, gs:// (docs/batch.md).
    lake_location: str | None = Field(None, alias="FLOWGUARD_LAKE_URI")
    catalog_dir: Path = Field(PROJECT_ROOT / "data", alias="FLOWGUARD_CATALOG_DIR")

    # PostgreSQL event store.
    postgres_dsn: SecretStr | None = Field(None, alias="FLOWGUARD_POSTGRES_DSN")

    # Kafka.
    kafka_bootstrap_servers: str | None = Field(None, alias="KAFKA_BOOTSTRAP_SERVERS")
    kafka_security_protocol: str = Field("PLAINTEXT", alias="KAFKA_SECURITY_PROTOCOL")
    kafka_sasl_mechanism: str | None = Field(None, alias="KAFKA_SASL_MECHANISM")
    kafka_sasl_username: str | None = Field(None, alias="KAFKA_SASL_USERNAME")
    kafka_sasl_password: SecretStr | None = Field(None, alias="KAFKA_SASL_PASSWORD")
    kafka_topic_partitions: int = Field(3, alias="KAFKA_TOPIC_PARTITIONS")
    orders_topic: str = Field("raw.orders.v1", alias="FLOWGUARD_ORDERS_TOPIC")
    clicks_topic: str = Field("raw.clicks.v1", alias="FLOWGUARD_CLICKS_TOPIC")
    dead_letter_topic: str = Field("raw.dead-letter.v1", alias="FLOWGUARD_DEAD_LETTER_TOPIC")

    # Snowflake, or a fakesnow server when SNOWFLAKE_HOST points at one.
    snowflake_account: str | None = Field(None, alias="SNOWFLAKE_ACCOUNT")
    snowflake_user: str | None = Field(None, alias="SNOWFLAKE_USER")
    snowflake_password: SecretStr | None = Field(None, alias="SNOWFLAKE_PASSWORD")
    snowflake_database: str = Field("FLOWGUARD", alias="SNOWFLAKE_DATABASE")
    snowflake_warehouse: str | None = Field(None, alias="SNOWFLAKE_WAREHOUSE")
    snowflake_role: str | None = Field(None, alias="SNOWFLAKE_ROLE")
    snowflake_host: str | None = Field(None, alias="SNOWFLAKE_HOST")
    snowflake_port: int | None = Field(None, alias="SNOWFLAKE_PORT")
    snowflake_protocol: str = Field("https", alias="SNOWFLAKE_PROTOCOL")
    fakesnow_db_path: Path | None = Field(None, alias="FAKESNOW_DB_PATH")

    # Batch layer.
    luigi_scheduler_url: str | None = Field(None, alias="LUIGI_SCHEDULER_URL")
    spark_master: str = Field("local[*]", alias="SPARK_MASTER")
    spark_shuffle_partitions: int = Field(4, alias="SPARK_SHUFFLE_PARTITIONS")
    # A JVM size: digits and an optional k, m, g or t unit, as in spark.driver.memory.
    spark_driver_memory: str = Field(
        "3g", alias="SPARK_DRIVER_MEMORY", pattern=r"^[1-9][0-9]*[kmgtKMGT]?$"
    )
    spark_java_home: Path | None = Field(None, alias="SPARK_JAVA_HOME")
    # On a cluster (SPARK_MASTER=spark://...): the address executors reach the driver at, each
    # executor's heap, and the cores one application may take (Spark's default: all of them).
    spark_driver_host: str | None = Field(None, alias="SPARK_DRIVER_HOST")
    spark_executor_memory: str | None = Field(
        None, alias="SPARK_EXECUTOR_MEMORY", pattern=r"^[1-9][0-9]*[kmgtKMGT]?$"
    )
    spark_cores_max: int | None = Field(None, alias="SPARK_CORES_MAX", ge=1)
    # JDK 25+ only: the driver JVM starts from a cache its first run writes (docs/batch.md).
    spark_aot_cache: bool = Field(True, alias="SPARK_AOT_CACHE")
    # Error messages name the Python line of the failing expression; costs planning time.
    spark_python_call_sites: bool = Field(False, alias="SPARK_PYTHON_CALL_SITES")

    # API.
    api_keys: list[str] = Field(default_factory=list, alias="FLOWGUARD_API_KEYS")
    # FastAPI's own OpenTelemetry spans, metrics and logs. Off, a request pays nothing for it;
    # on, even without an OpenTelemetry SDK configured, each request looks the providers up.
    otel_telemetry: bool = Field(False, alias="FLOWGUARD_OTEL_TELEMETRY")
    # HTTP limits of the gateway, per worker process (entrypoints/api/http_limits.py).
    http_max_header_bytes: int = Field(16_384, alias="FLOWGUARD_HTTP_MAX_HEADER_BYTES", ge=1024)
    http_header_timeout: float = Field(10.0, alias="FLOWGUARD_HTTP_HEADER_TIMEOUT", gt=0)
    http_body_timeout: float = Field(30.0, alias="FLOWGUARD_HTTP_BODY_TIMEOUT", gt=0)
    http_keepalive_timeout: float = Field(5.0, alias="FLOWGUARD_HTTP_KEEPALIVE_TIMEOUT", gt=0)
    http_max_connections: int = Field(1_000, alias="FLOWGUARD_HTTP_MAX_CONNECTIONS", ge=1)

    @property
    def fakesnow_path(self) -> Path:
        return self.fakesnow_db_path or self.data_dir / "fakesnow"

    @property
    def sqlite_path(self) -> Path:
        return self.data_dir / "events.sqlite"

    @property
    def lake_uri(self) -> str:
        return self.lake_location or (self.data_dir / "lake").absolute().as_uri()


def load_settings() -> Settings:
    return Settings()
