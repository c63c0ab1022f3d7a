"""What a job reports back to its task for the run log."""

from dataclasses import dataclass


@dataclass(frozen=True)
class JobResult:
    rows_in: int
    rows_out: int
