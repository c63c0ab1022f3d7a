"""The systemd units of infra/deploy/ (docs/deploy.md) are valid and run commands that exist.

`systemd-analyze verify` checks them where it is installed (any warning fails the test); a small
parser checks the rest everywhere: sections, restart policy, and that each ExecStart names a real
`flowguard` command with real options."""

import configparser
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
import typer

from entrypoints import cli

ROOT = Path(__file__).resolve().parents[3]
DEPLOY = ROOT / "infra" / "deploy"
INSTALLED_BIN = "/opt/flowguard/.venv/bin/"
UNITS = sorted([*DEPLOY.glob("*.service"), *DEPLOY.glob("*.timer")])
RESTARTS = {"no", "on-success", "on-failure", "on-abnormal", "on-watchdog", "on-abort", "always"}


def _parse(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=True, interpolation=None, delimiters=("=",))
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(path)
    return parser


def test_there_is_a_unit_for_every_long_running_process_and_the_schedule() -> None:
    names = {unit.name for unit in UNITS}
    wanted = {"flowguard-api.service", "flowguard-relay.service", "flowguard-consumer@.service",
              "flowguard-batch.service", "flowguard-batch.timer", "luigid.service"}  # fmt: skip
    assert wanted <= names


@pytest.mark.parametrize("unit", UNITS, ids=lambda p: p.name)
def test_each_unit_has_the_sections_and_settings_a_supervisor_needs(unit: Path) -> None:
    parsed = _parse(unit)
    assert parsed["Unit"]["Description"]
    if unit.suffix == ".timer":
        assert parsed["Timer"]["OnCalendar"].endswith("UTC")
        assert (DEPLOY / unit.name.replace(".timer", ".service")).exists()
        return
    service = parsed["Service"]
    assert service["ExecStart"].startswith(INSTALLED_BIN)
    assert service["User"] == "flowguard"
    if service.get("Type") != "oneshot":
        assert service["Restart"] in RESTARTS
        assert parsed["Install"]["WantedBy"] == "multi-user.target"


def _command(unit: Path) -> list[str]:
    exec_start = _parse(unit)["Service"]["ExecStart"].replace("%i", "1")
    return shlex.split(exec_start)


FLOWGUARD_UNITS = [u for u in UNITS if u.suffix == ".service" and "flowguard" in u.name]


@pytest.mark.parametrize("unit", FLOWGUARD_UNITS, ids=lambda p: p.name)
def test_each_unit_runs_a_flowguard_command_with_options_that_exist(unit: Path) -> None:
    binary, *words = _command(unit)
    assert binary == INSTALLED_BIN + "flowguard"
    command = typer.main.get_command(cli.app)
    while words and not words[0].startswith("-"):
        command = command.commands[words.pop(0)]  # type: ignore[attr-defined]
    known = {opt for param in command.params for opt in param.opts}
    assert {word for word in words if word.startswith("--")} <= known, unit.name


def test_systemd_accepts_every_unit_without_a_warning(tmp_path: Path) -> None:
    # infra/system-deps.sh (run by `make test`) installs it: missing is a broken setup.
    assert shutil.which("systemd-analyze"), "systemd-analyze missing: run infra/system-deps.sh"
    venv_bin = Path(__import__("sys").executable).parent
    for unit in UNITS:
        text = unit.read_text().replace(INSTALLED_BIN, f"{venv_bin}/")
        (tmp_path / unit.name).write_text(text)
    instance = tmp_path / "flowguard-consumer@1.service"
    instance.write_text((tmp_path / "flowguard-consumer@.service").read_text())
    units = sorted(str(p) for p in tmp_path.iterdir() if p.name != "flowguard-consumer@.service")
    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *units],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert not result.stderr.strip(), result.stderr
