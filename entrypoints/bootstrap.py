"""The composition root: the one place that knows which adapter serves which port.

Each port has a `Selector` keyed by configuration; the embedded set is the default.
Tests override providers (`container.x.override(...)`) instead of patching.
"""

from functools import partial

from dependency_injector import containers, providers

from adapters.snowflake.connection import EmbeddedFakesnow, SnowflakeConfig, connect_snowflake
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
        fakesnow_db_path=None if settings.snowflake_account else settings.fakesnow_db_path,
    )


class Container(containers.DeclarativeContainer):
    settings = providers.Singleton(load_settings)
    config = providers.Configuration()

    # --- Warehouse (Snowflake / fakesnow) -------------------------------------------------
    snowflake_config = providers.Singleton(_snowflake_config, settings)
    embedded_fakesnow = providers.Singleton(
        EmbeddedFakesnow, db_path=settings.provided.fakesnow_path, database=settings.provided.snowflake_database
    )
    # A zero-argument callable returning a new DB-API connection to the warehouse.
    warehouse_connect = providers.Selector(
        config.warehouse,
        fakesnow=providers.Callable(lambda fs: fs.connect, embedded_fakesnow),
        snowflake=providers.Callable(lambda cfg: partial(connect_snowflake, cfg), snowflake_config),
    )

    # --- Event store and application (issue 3) --------------------------------------------

    # --- Bus, relay and bronze consumer (issue 4) -----------------------------------------

    # --- Batch layer (issue 5) ------------------------------------------------------------


def create_container(settings: Settings | None = None) -> Container:
    """Build the container from settings (environment and `.env` when none are given)."""
    settings = settings or load_settings()
    container = Container()
    container.settings.override(providers.Object(settings))
    container.config.from_dict(settings.model_dump(mode="json"))
    return container
