"""Seeded, realistic multi-day BRONZE rows (docs/contracts.md) for tests, benchmarks and demos:
sessions that browse, click, fill carts and order, with duplicate, invalid and late events mixed in.

    catalog = load_catalog()                                  # data/*.json
    bronze = generate_days(date(2026, 11, 20), 3, catalog, Mix(clicks_per_day=5_000), seed=7)
    bronze.orders, bronze.clicks                              # pyarrow Tables, BRONZE columns

A day's batch holds the events of what started that day, so orders near midnight bring lifecycle
rows dated the next day, as in BRONZE.
"""

import json
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from tests.support import shopping as sim
from tests.support.bronze_render import Mix, Names, render_clicks, render_orders
from tests.support.ids import user_ids, uuids

CATALOG_DIR = Path(__file__).resolve().parents[2] / "data"
US_PER_DAY = 86_400_000_000
EPOCH = date(1970, 1, 1)
EVENTS_PER_SESSION = 7.9  # the simulation's mean, to size sessions from a click budget


@dataclass(frozen=True)
class Catalog:
    restaurants: pa.Table  # RESTAURANT_ID, RESTAURANT_NAME, CITY, CUISINE
    items: pa.Table  # ITEM_ID, RESTAURANT_ID, ITEM_NAME, CATEGORY, CUISINE, IS_VEG, PRICE

    def shop(self) -> tuple[sim.Shop, np.ndarray]:
        """The simulation's view (restaurants that sell something) and their ids."""
        item_shop = self.items["RESTAURANT_ID"].to_numpy(zero_copy_only=False)
        shop_ids, item_restaurant = np.unique(item_shop, return_inverse=True)
        order = np.argsort(item_restaurant, kind="stable")
        assert (order == np.arange(len(order))).all(), "items must be sorted by restaurant"
        counts = np.bincount(item_restaurant)
        cents = pc.multiply(self.items["PRICE"].cast(pa.float64()), 100).to_numpy()
        first = np.concatenate([[0], np.cumsum(counts)[:-1]])
        return sim.Shop(item_restaurant, np.round(cents).astype(np.int64), first, counts), shop_ids


def load_catalog(directory: Path = CATALOG_DIR) -> Catalog:
    shops = json.loads((directory / "restaurants.json").read_text())
    items = sorted(
        json.loads((directory / "food_items.json").read_text()),
        key=lambda item: (item["restaurant_id"], item["item_id"]),
    )
    restaurants = pa.table(
        {
            "RESTAURANT_ID": [s["restaurant_id"] for s in shops],
            "RESTAURANT_NAME": [s["name"] for s in shops],
            "CITY": [s["city"] for s in shops],
            "CUISINE": [s["cuisines"][0] if s["cuisines"] else None for s in shops],
        }
    )
    columns = {"ITEM_ID": "item_id", "RESTAURANT_ID": "restaurant_id", "ITEM_NAME": "name"}
    columns |= {"CATEGORY": "category", "CUISINE": "cuisine", "IS_VEG": "is_veg"}
    table = {upper: [item[lower] for item in items] for upper, lower in columns.items()}
    prices = pa.array([item["price"] for item in items]).cast(pa.decimal128(18, 2))
    return Catalog(restaurants, pa.table({**table, "PRICE": prices}))


@dataclass(frozen=True)
class Bronze:
    orders: pa.Table
    clicks: pa.Table


def generate_days(start: date, days: int, catalog: Catalog, mix: Mix, seed: int) -> Bronze:
    batches = [generate_day(start + timedelta(days=n), catalog, mix, seed) for n in range(days)]
    return Bronze(
        pa.concat_tables([b.orders for b in batches]), pa.concat_tables([b.clicks for b in batches])
    )


def generate_day(day: date, catalog: Catalog, mix: Mix, seed: int) -> Bronze:
    rng = np.random.default_rng([seed, day.toordinal()])
    shop, shop_ids = catalog.shop()
    day_us = (day - EPOCH).days * US_PER_DAY
    sessions = max(1, round(mix.clicks_per_day / EVENTS_PER_SESSION))
    clicks = sim.simulate_clicks(rng, shop, mix.user_pool, day_us, sessions)
    from_sessions = sim.session_orders(rng, clicks, mix.user_pool)
    wanted = round(mix.orders_per_click * len(clicks.session)) - len(from_sessions.user)
    direct = sim.direct_orders(rng, shop, mix.user_pool, day_us, max(0, wanted))
    session_ids = uuids(rng, sessions)
    names = Names(catalog.items, shop.item_cents, pa.array(shop_ids), session_ids)
    orders = render_orders(rng, _merge(from_sessions, direct), names, mix)
    return Bronze(orders, render_clicks(rng, clicks, names, mix))


def prior_first_orders(start: date, mix: Mix, seed: int, share: float = 0.3) -> pa.Table:
    """SILVER.USER_FIRST_ORDERS rows before `start` for a share of the user pool, 1-90 days old."""
    rng = np.random.default_rng([seed, start.toordinal(), 1])
    users = np.flatnonzero(rng.random(mix.user_pool) < share)
    age_days = rng.integers(1, 91, len(users))
    first_date = (start - EPOCH).days - age_days
    first_at = first_date * US_PER_DAY + rng.integers(0, US_PER_DAY, len(users))
    return pa.table(
        {
            "USER_ID": user_ids(users),
            "FIRST_ORDER_ID": uuids(rng, len(users)),
            "FIRST_ORDER_AT": pa.array(first_at, pa.timestamp("us")),
            "FIRST_ORDER_DATE": pa.array(first_date.astype(np.int32), pa.date32()),
        }
    )


def _merge(first: sim.Orders, second: sim.Orders) -> sim.Orders:
    offset = len(first.user)
    fields = list(vars(first))
    merged = {f: np.concatenate([getattr(first, f), getattr(second, f)]) for f in fields}
    merged["line_order"] = np.concatenate([first.line_order, second.line_order + offset])
    return sim.Orders(**merged)
