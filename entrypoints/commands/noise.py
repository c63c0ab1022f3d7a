"""What the terminal shows: our own messages by default; library logs and warnings (Spark's
log4j, fakesnow, Kafka, setuptools) only with `--verbose`, tracebacks only with `--debug`."""

import logging
import os
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path

SPARK_CONF = Path(__file__).with_name("spark_conf")
QUIET_LOGGERS = ("luigi", "luigi-interface", "py4j", "snowflake", "fakesnow", "uvicorn.error")


@dataclass
class CliOptions:
    debug: bool = False
    verbose: bool = False


def configure_output(options: CliOptions) -> None:
    """Set once per command, before any library is imported."""
    if options.debug:
        os.environ["FLOWGUARD_DEBUG"] = "1"
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
    # Spark's JVM reads its log4j configuration from SPARK_CONF_DIR: ours sends WARN and below
    # nowhere (errors still reach the terminal). A user's own SPARK_CONF_DIR is kept.
    os.environ.setdefault("SPARK_CONF_DIR", str(SPARK_CONF))


def debugging() -> bool:
    return os.environ.get("FLOWGUARD_DEBUG") == "1"
