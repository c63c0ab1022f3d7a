"""Runs the traffic model against a target URL: fetch the catalog, plan, send day by day."""

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

from entrypoints.simulator.driver import ApiDriver
from entrypoints.simulator.events import DayPlan
from entrypoints.simulator.outcome import SendOutcome
from entrypoints.simulator.plan import TrafficConfig, plan_traffic

# (day plan, events sent so far in it)
DayProgress = Callable[[DayPlan, int], None]


@dataclass
class Simulation:
    plans: list[DayPlan]
    outcome: SendOutcome
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Hooks:
    """Callbacks for progress display: the plans once made, then events sent per day."""

    on_plan: Callable[[list[DayPlan]], None] = lambda _: None
    on_progress: DayProgress = lambda _plan, _n: None
    on_day_sent: Callable[[DayPlan], None] = lambda _plan: None


def simulate(
    base_url: str, config: TrafficConfig, *, concurrency: int = 16, hooks: Hooks = Hooks(),
    api_key: str | None = None,
) -> Simulation:  # fmt: skip
    headers = {"X-API-Key": api_key} if api_key else {}
    return asyncio.run(_simulate(base_url, config, concurrency, hooks, headers))


async def _simulate(
    base_url: str, config: TrafficConfig, concurrency: int, hooks: Hooks, headers: dict[str, str]
) -> Simulation:
    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(
        base_url=base_url, headers=headers, timeout=60, limits=limits
    ) as client:
        driver = ApiDriver(client, concurrency)
        plans = plan_traffic(await driver.fetch_catalog(), config)
        hooks.on_plan(plans)
        for plan in plans:
            await driver.send_day(plan, lambda n, plan=plan: hooks.on_progress(plan, n))  # type: ignore[misc]
            hooks.on_day_sent(plan)
        return Simulation(plans, driver.outcome, driver.errors)
