"""What a report shows, gathered into plain data: GOLD rows, data-quality counts, reconciliation."""

from dataclasses import dataclass, field
from typing import Any

from entrypoints.web.gold import GOLD_TABLES, Connect, read_gold


@dataclass(frozen=True)
class QualityFigure:
    """One data-quality count, e.g. ('API', 'click retries answered as duplicates', 384)."""

    stage: str
    label: str
    value: int


@dataclass(frozen=True)
class ReconciledDay:
    """One day counted from the event store and read from GOLD.DAILY_GMV_METRICS."""

    day: str
    source: dict[str, str]  # orders, delivered, gmv: as text, so money compares exactly
    gold: dict[str, str]

    @property
    def matches(self) -> bool:
        return self.source == self.gold


@dataclass
class ReportData:
    title: str
    gold: dict[str, list[dict[str, Any]]]
    quality: list[QualityFigure] = field(default_factory=list)
    reconciliation: list[ReconciledDay] = field(default_factory=list)
    facts: dict[str, str] = field(default_factory=dict)  # run parameters, paths, timings
    restaurants: dict[str, str] = field(default_factory=dict)  # id -> name, for item labels

    def as_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "gold": self.gold,
            "quality": [vars(q) for q in self.quality],
            "reconciliation": [vars(r) | {"matches": r.matches} for r in self.reconciliation],
            "facts": self.facts,
            "restaurants": self.restaurants,
        }


def read_all_gold(connect: Connect) -> dict[str, list[dict[str, Any]]]:
    """Every GOLD table, all days (the demo's few days are small)."""
    return {table: read_gold(connect, table, limit=100_000) for table in GOLD_TABLES}
