"""Deterministic, vectorised UUID-shaped ids and JSON text helpers for the BRONZE data generator."""

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

_HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
_DASHES = (8, 13, 18, 23)


def uuids(rng: np.random.Generator, count: int) -> pa.Array:
    """`count` random version-4 UUID strings drawn from `rng`, without a Python loop."""
    raw = rng.integers(0, 256, size=(count, 16), dtype=np.uint8)
    raw[:, 6] = (raw[:, 6] & 0x0F) | 0x40
    raw[:, 8] = (raw[:, 8] & 0x3F) | 0x80
    nibbles = np.empty((count, 32), dtype=np.uint8)
    nibbles[:, 0::2], nibbles[:, 1::2] = _HEX[raw >> 4], _HEX[raw & 0x0F]
    text = np.full((count, 36), ord("-"), dtype=np.uint8)
    keep = [i for i in range(36) if i not in _DASHES]
    text[:, keep] = nibbles
    ids = pa.array(text.view("S36").ravel())
    # pyarrow chunks large numpy byte-string conversions; callers want one flat array.
    flat = ids.combine_chunks() if isinstance(ids, pa.ChunkedArray) else ids
    return flat.cast(pa.string())


def text(values: np.ndarray | pa.Array) -> pa.Array:
    return pc.cast(pa.array(values) if isinstance(values, np.ndarray) else values, pa.string())


def quoted(values: pa.Array) -> pa.Array:
    """A JSON string literal, or `null` for a missing value (ids and names carry no quotes)."""
    return pc.if_else(pc.is_null(values), "null", concat('"', values, '"'))


def money(cents: np.ndarray) -> pa.Array:
    """Cents as a 2-place decimal string, e.g. 12345 -> "123.45"."""
    sign = np.where(cents < 0, "-", "")
    whole, fraction = np.abs(cents) // 100, np.abs(cents) % 100
    return concat(text(sign), text(whole), ".", pc.utf8_lpad(text(fraction), 2, "0"))


def concat(*parts: pa.Array | str) -> pa.Array:
    return pc.binary_join_element_wise(*parts, "")


def user_ids(index: np.ndarray) -> pa.Array:
    return concat("usr_", pc.utf8_lpad(text(index), 6, "0"))
