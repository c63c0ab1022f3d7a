"""What the terminal shows: our own messages by default; library logs and warnings (Spark's
log4j, fakesnow, Kafka, setuptools) only with `--verbose`, tracebacks only with `--debug`."""

import logging
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

LOG4J = Path(__file__).with_name("log4j2-quiet.properties")
QUIET_LOGGERS = ("luigi", "luigi-interface", "py4j", "snowflake", "fakesnow", "uvicorn.error")


@dataclass
class CliOptions:
    debug: bool = False
    verbose: bool = False


_quiet = {"spark": False}


def configure_output(options: CliOptions) -> None:
    """Set once per command, before any library is imported."""
    level = logging.DEBUG if options.debug else logging.INFO if options.verbose else logging.WARNING
    logging.basicConfig(
        level=level, stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger().setLevel(level)
    if options.verbose or options.debug:
        return
    warnings.filterwarnings("ignore")
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.ERROR)
    _quiet["spark"] = True


def quiet_spark(container: Any) -> None:
    """Spark's driver JVM logs errors only (our log4j file), unless `--verbose`. Through
    `spark.driver.defaultJavaOptions`, which Spark puts before the pipeline's own JVM options;
    not SPARK_CONF_DIR, whose directory on the classpath would stop the JVM's AOT cache."""
    if not _quiet["spark"]:
        return
    from dataclasses import replace

    from dependency_injector import providers

    config = container.spark_config()
    option = {"spark.driver.defaultJavaOptions": f"-Dlog4j2.configurationFile=file:{LOG4J}"}
    quiet = replace(config, options={**config.options, **option})
    container.spark_config.override(providers.Object(quiet))

