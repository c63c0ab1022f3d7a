"""What the API answered to the simulated traffic: the client half of data quality."""

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class SendOutcome:
    """Counts by what happened, e.g. `clicks.accepted`, `orders.replayed`, `status.conflict`."""

    counts: Counter[str] = field(default_factory=Counter)
    requests: int = 0
    transport_retries: int = 0

    def add(self, key: str, n: int = 1) -> None:
        self.counts[key] += n

    def merge(self, other: "SendOutcome") -> None:
        self.counts.update(other.counts)
        self.requests += other.requests
        self.transport_retries += other.transport_retries

    def as_dict(self) -> dict[str, int]:
        return dict(sorted(self.counts.items())) | {
            "requests": self.requests,
            "transport_retries": self.transport_retries,
        }
