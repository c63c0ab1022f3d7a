"""The shoppers: a seeded pool of users with a home city, a loyalty weight and a device clock."""

import random
from dataclasses import dataclass
from datetime import timedelta

from entrypoints.simulator.catalog import SimCatalog
from entrypoints.simulator.events import NO_SKEW


@dataclass(frozen=True)
class Shopper:
    user_id: str
    city: str
    weight: float  # how often this shopper comes back; heavy-tailed, so some are loyal
    skew: timedelta  # device clock error; most devices are right


def shoppers(catalog: SimCatalog, count: int, seed: int, skewed_share: float) -> list[Shopper]:
    rng = random.Random(f"{seed}:shoppers")
    cities = [c for c in catalog.cities() if catalog.restaurants_in(c)]
    return [
        Shopper(
            user_id=f"user-{seed}-{n:06d}",
            city=rng.choice(cities),
            weight=rng.paretovariate(1.5),
            skew=_device_skew(rng) if rng.random() < skewed_share else NO_SKEW,
        )
        for n in range(count)
    ]


def _device_skew(rng: random.Random) -> timedelta:
    # Minutes to hours either way, as phones with a wrong time zone or a drifting clock report.
    return timedelta(seconds=rng.choice((-1, 1)) * rng.randint(120, 3 * 3600))
