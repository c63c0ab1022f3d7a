"""Smoke test: luigid answers, and a trivial Luigi task runs through it."""

from pathlib import Path
from uuid import uuid4

import httpx
import luigi

from tests.fixtures.services import scheduler_address


class SmokeMarker(luigi.Task):
    """Writes one marker file: the smallest task a worker can run against the scheduler."""

    path = luigi.Parameter()

    def output(self) -> luigi.LocalTarget:
        return luigi.LocalTarget(self.path)

    def run(self) -> None:
        with self.output().open("w") as marker:
            marker.write("done\n")


def _task_list(url: str, status: str) -> dict[str, dict[str, object]]:
    reply = httpx.get(
        f"{url.rstrip('/')}/api/task_list", params={"data": f'{{"status": "{status}"}}'}
    )
    reply.raise_for_status()
    return reply.json()["response"]


def test_luigid_answers_its_api(luigi_scheduler_url: str) -> None:
    assert isinstance(_task_list(luigi_scheduler_url, "PENDING"), dict)


def test_task_runs_against_luigid_and_is_listed_done(
    luigi_scheduler_url: str, tmp_path: Path
) -> None:
    task = SmokeMarker(path=str(tmp_path / f"marker-{uuid4().hex}.txt"))

    result = luigi.build(
        [task],
        detailed_summary=True,
        local_scheduler=False,
        **scheduler_address(luigi_scheduler_url),
    )

    assert result.status == luigi.execution_summary.LuigiStatusCode.SUCCESS
    assert Path(task.path).read_text() == "done\n"
    assert task.task_id in _task_list(luigi_scheduler_url, "DONE")
