"""Schemathesis over the OpenAPI document, `st run --checks all` against the served gateway: no
5xx, every answer within the document, invalid input refused, valid input accepted, writes
refused without the key, 405 with a true Allow. It must report nothing but the findings that
tests/support/fuzz_checks.py documents as intended."""

import os
import re
import subprocess
import sys
from pathlib import Path

from tests.integration.api_fixtures import LiveServer, api_database, postgres_app, wait_ready

__all__ = ["api_database"]
ROOT = Path(__file__).resolve().parents[2]
EXAMPLES_PER_OPERATION = 30
KEY = "fuzz-key"  # with a key configured, the `ignored_auth` check sends writes without it
# The two built-ins that fuzz_checks.py replaces with themselves less the intended answers.
REPLACED = "positive_data_acceptance,negative_data_rejection"
HOOKS = "tests.support.fuzz_checks"
CONFIG = """
[cache]
enabled = false  # every run on its own: no replay of an earlier run's findings

[warnings]
# A part of the document the fuzzer could not use is a finding: it went untested.
fail-on = [
    "missing_auth",
    "missing_deserializer",
    "unresolvable_reference",
    "unsupported_regex",
    "method_not_allowed",
]
"""


def test_every_operation_answers_generated_requests_within_its_description(
    api_database: str, tmp_path: Path
) -> None:
    config = tmp_path / "schemathesis.toml"
    config.write_text(CONFIG)
    with LiveServer(postgres_app(api_database, api_keys=[KEY])) as url:
        wait_ready(url)
        run = subprocess.run(
            st_run(config, f"{url}/openapi.json"),
            check=False,  # the exit status is asserted below, with the report
            cwd=tmp_path,
            env={**os.environ, "PYTHONPATH": str(ROOT), "SCHEMATHESIS_HOOKS": HOOKS},
            capture_output=True,
            text=True,
        )
    assert run.returncode == 0, run.stdout + run.stderr
    selected = re.search(r"Operations:\s+(\d+) selected / (\d+) total", run.stdout)
    assert selected, run.stdout
    assert int(selected[1]) == int(selected[2]) >= 12, run.stdout


def st_run(config: Path, document: str) -> list[str]:
    """`st run` with every check and every phase: examples, coverage (boundaries and each kind
    of invalid value), fuzzing and stateful (links between operations).
    `object_level_authorization` needs two callers' credentials (a WFC auth file with peers)
    and does not run: API keys guard the writes only, reads are open to every caller."""
    return [
        sys.executable, "-m", "schemathesis.cli", "--config-file", str(config), "--no-color",
        "run", document, "--checks", "all", "--exclude-checks", REPLACED,
        "--header", f"X-API-Key: {KEY}", "--max-examples", str(EXAMPLES_PER_OPERATION),
        # No shrinking: a failure still prints a curl line to reproduce, and the run stays short.
        "--no-shrink", "--output-truncate", "false",
        # Hypothesis' health checks judge the generator (slow, filtered), not the API.
        "--suppress-health-check", "all",
    ]  # fmt: skip
