"""Runs the traffic driver in a child process. The demo process already runs the API, relay and
consumer threads, which share one interpreter lock; the driver gets the second core instead.

The child is spawned, so it imports the parent's main module: scripts that call the demo must
guard their entry with `if __name__ == "__main__"` (the `flowguard` CLI and pytest do)."""

import multiprocessing
import queue
from collections.abc import Callable
from datetime import date
from typing import Any

from entrypoints.simulator.events import DayPlan
from entrypoints.simulator.outcome import SendOutcome
from entrypoints.simulator.plan import TrafficConfig
from entrypoints.simulator.run import Hooks, simulate

PlanTotals = Callable[[list[tuple[date, int]]], None]
DayProgress = Callable[[date, int], None]


def drive_in_child(
    url: str, traffic: TrafficConfig, on_plan: PlanTotals, on_progress: DayProgress,
    on_day_sent: Callable[[date], None] = lambda _day: None,
) -> tuple[SendOutcome, list[str]]:  # fmt: skip
    """Simulate against `url` from a spawned process; returns what the API answered."""
    context = multiprocessing.get_context("spawn")
    messages: Any = context.Queue()
    child = context.Process(target=_child, args=(url, traffic, messages), daemon=True)
    child.start()
    try:
        return _follow(child, messages, on_plan, on_progress, on_day_sent)
    finally:
        child.join(timeout=10)
        if child.is_alive():
            child.terminate()


def _follow(
    child: Any, messages: Any, on_plan: PlanTotals, on_progress: DayProgress,
    on_day_sent: Callable[[date], None],
) -> tuple[SendOutcome, list[str]]:  # fmt: skip
    while True:
        try:
            kind, *body = messages.get(timeout=1)
        except queue.Empty:
            if not child.is_alive():
                raise RuntimeError(
                    f"the simulator process died (exit code {child.exitcode})"
                ) from None
            continue
        if kind == "plan":
            on_plan(body[0])
        elif kind == "progress":
            on_progress(body[0], body[1])
        elif kind == "sent":
            on_day_sent(body[0])
        elif kind == "done":
            outcome: SendOutcome = body[0]
            return outcome, list(body[1])
        else:
            raise RuntimeError(f"the simulator failed: {body[0]}")


def _child(url: str, traffic: TrafficConfig, messages: Any) -> None:
    def planned(plans: list[DayPlan]) -> None:
        messages.put(("plan", [(p.day, _size(p)) for p in plans]))

    def progressed(plan: DayPlan, n: int) -> None:
        messages.put(("progress", plan.day, n))

    def sent(plan: DayPlan) -> None:
        messages.put(("sent", plan.day))

    try:
        simulation = simulate(url, traffic, hooks=Hooks(planned, progressed, sent))
        messages.put(("done", simulation.outcome, simulation.errors))
    except BaseException as error:  # reported to the parent, which raises it there
        messages.put(("failed", f"{type(error).__name__}: {error}"))


def _size(plan: DayPlan) -> int:
    return len(plan.clicks()) + len(plan.orders) + len(plan.status_changes())
