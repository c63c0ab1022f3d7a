"""`batch status` shows every task of the day, each GOLD table once."""

from pipelines.jobs.gold import GOLD_NAMES
from pipelines.tasks.status import COLUMNS


def test_status_has_a_column_per_task_and_gold_table() -> None:
    assert [family for _, family, _ in COLUMNS].count("GoldTable") == len(GOLD_NAMES)
    assert {table for _, _, table in COLUMNS if table} == set(GOLD_NAMES)
    assert len({title for title, _, _ in COLUMNS}) == len(COLUMNS)
