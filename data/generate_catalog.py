"""Generates the catalog reference data (restaurants.json, food_items.json) deterministically.

Run `python data/generate_catalog.py`; the output is committed, so this only matters when the
catalog should change. Same seed, same files.
"""

import json
import random
from decimal import Decimal
from pathlib import Path

SEED = 20261125
HERE = Path(__file__).resolve().parent
CITIES = ["Bengaluru", "Mumbai", "Delhi", "Hyderabad", "Chennai", "Pune"]
# cuisine -> [(name, category, is_veg, base price in INR)]
MENUS: dict[str, list[tuple[str, str, bool, int]]] = {
    "North Indian": [
        ("Paneer Butter Masala", "Mains", True, 260),
        ("Dal Makhani", "Mains", True, 220),
        ("Butter Chicken", "Mains", False, 320),
        ("Chicken Tikka", "Starters", False, 280),
        ("Paneer Tikka", "Starters", True, 250),
        ("Butter Naan", "Breads", True, 50),
        ("Garlic Naan", "Breads", True, 60),
        ("Tandoori Roti", "Breads", True, 30),
        ("Jeera Rice", "Rice", True, 150),
        ("Rogan Josh", "Mains", False, 380),
        ("Chole Bhature", "Mains", True, 180),
        ("Gulab Jamun", "Desserts", True, 90),
        ("Sweet Lassi", "Beverages", True, 80),
        ("Kadai Chicken", "Mains", False, 310),
    ],
    "South Indian": [
        ("Masala Dosa", "Mains", True, 120),
        ("Plain Dosa", "Mains", True, 90),
        ("Idli Sambar", "Mains", True, 70),
        ("Medu Vada", "Starters", True, 60),
        ("Rava Dosa", "Mains", True, 130),
        ("Uttapam", "Mains", True, 110),
        ("Chicken Chettinad", "Mains", False, 290),
        ("Curd Rice", "Rice", True, 100),
        ("Lemon Rice", "Rice", True, 100),
        ("Appam with Stew", "Mains", True, 160),
        ("Filter Coffee", "Beverages", True, 40),
        ("Payasam", "Desserts", True, 80),
        ("Fish Fry", "Starters", False, 260),
        ("Pongal", "Mains", True, 90),
    ],
    "Biryani": [
        ("Hyderabadi Chicken Biryani", "Rice", False, 300),
        ("Mutton Dum Biryani", "Rice", False, 380),
        ("Veg Dum Biryani", "Rice", True, 220),
        ("Egg Biryani", "Rice", False, 230),
        ("Paneer Biryani", "Rice", True, 250),
        ("Chicken 65", "Starters", False, 240),
        ("Mirchi ka Salan", "Mains", True, 120),
        ("Raita", "Sides", True, 50),
        ("Double ka Meetha", "Desserts", True, 110),
        ("Haleem", "Mains", False, 280),
        ("Apollo Fish", "Starters", False, 290),
        ("Irani Chai", "Beverages", True, 30),
        ("Qubani ka Meetha", "Desserts", True, 130),
        ("Prawn Biryani", "Rice", False, 360),
    ],
    "Indo-Chinese": [
        ("Veg Hakka Noodles", "Mains", True, 180),
        ("Chicken Hakka Noodles", "Mains", False, 220),
        ("Gobi Manchurian", "Starters", True, 170),
        ("Chilli Chicken", "Starters", False, 240),
        ("Veg Fried Rice", "Rice", True, 170),
        ("Schezwan Fried Rice", "Rice", True, 190),
        ("Chilli Paneer", "Starters", True, 220),
        ("Veg Momos", "Starters", True, 120),
        ("Chicken Momos", "Starters", False, 150),
        ("Manchow Soup", "Soups", True, 120),
        ("Hot and Sour Soup", "Soups", True, 120),
        ("Dragon Chicken", "Starters", False, 260),
        ("Honey Chilli Potato", "Starters", True, 160),
        ("Darsaan", "Desserts", True, 130),
    ],
    "Street Food": [
        ("Pav Bhaji", "Mains", True, 140),
        ("Vada Pav", "Snacks", True, 40),
        ("Pani Puri", "Snacks", True, 60),
        ("Sev Puri", "Snacks", True, 70),
        ("Dahi Puri", "Snacks", True, 80),
        ("Bhel Puri", "Snacks", True, 60),
        ("Misal Pav", "Mains", True, 120),
        ("Kathi Roll Chicken", "Rolls", False, 150),
        ("Paneer Kathi Roll", "Rolls", True, 140),
        ("Egg Roll", "Rolls", False, 110),
        ("Samosa", "Snacks", True, 30),
        ("Aloo Tikki Chaat", "Snacks", True, 90),
        ("Masala Chai", "Beverages", True, 25),
        ("Kulfi", "Desserts", True, 70),
    ],
    "Desserts": [
        ("Rasmalai", "Desserts", True, 120),
        ("Kaju Katli", "Desserts", True, 180),
        ("Jalebi", "Desserts", True, 80),
        ("Rasgulla", "Desserts", True, 90),
        ("Gajar ka Halwa", "Desserts", True, 140),
        ("Mysore Pak", "Desserts", True, 110),
        ("Chocolate Brownie", "Desserts", True, 150),
        ("Falooda", "Beverages", True, 160),
        ("Mango Lassi", "Beverages", True, 110),
        ("Shrikhand", "Desserts", True, 120),
        ("Malpua", "Desserts", True, 130),
        ("Phirni", "Desserts", True, 100),
        ("Cold Coffee", "Beverages", True, 130),
        ("Kesar Pista Kulfi", "Desserts", True, 120),
    ],
}
PREFIXES = [
    "Spice",
    "Royal",
    "Annapurna",
    "Saravana",
    "Punjab",
    "Bombay",
    "Paradise",
    "Madras",
    "Golden",
    "Udupi",
    "Dilli",
    "Nawab",
    "Sagar",
    "Chowpatty",
    "Mithai",
    "Zaika",
]
SUFFIXES = {
    "North Indian": "Dhaba",
    "South Indian": "Bhavan",
    "Biryani": "Biryani House",
    "Indo-Chinese": "Wok",
    "Street Food": "Chaat Corner",
    "Desserts": "Sweets",
}
RESTAURANTS_PER_CITY = 4


def generate() -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    rng = random.Random(SEED)
    cuisines = list(MENUS)
    restaurants, items = [], []
    for n in range(len(CITIES) * RESTAURANTS_PER_CITY):
        city, cuisine = CITIES[n // RESTAURANTS_PER_CITY], cuisines[n % len(cuisines)]
        rid = f"rst_{n + 1:03d}"
        name = f"{rng.choice(PREFIXES)} {SUFFIXES[cuisine]} {city}"
        rating = f"{rng.randint(35, 49) / 10:.1f}"
        restaurants.append(
            {
                "restaurant_id": rid,
                "name": name,
                "city": city,
                "cuisines": [cuisine],
                "rating": rating,
            }
        )
        for dish, category, veg, base in MENUS[cuisine]:
            price = Decimal(round(base * rng.uniform(0.85, 1.25))).quantize(Decimal("1"))
            items.append(
                {
                    "item_id": f"itm_{len(items) + 1:04d}",
                    "restaurant_id": rid,
                    "name": dish,
                    "category": category,
                    "cuisine": cuisine,
                    "is_veg": veg,
                    "price": f"{price}.00",
                }
            )
    return restaurants, items


def main() -> None:
    restaurants, items = generate()
    for name, rows in (("restaurants.json", restaurants), ("food_items.json", items)):
        (HERE / name).write_text(json.dumps(rows, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
