"""The table of one event class: its stored fields in order, and how each one is written."""

import dataclasses
import types
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import Enum
from typing import Any, Union, get_args, get_origin, get_type_hints
from uuid import UUID

from eventsourcing.utils import get_topic


class Kind(Enum):
    PLAIN = "plain"  # str, int, bool: JSON as they are
    UUID = "uuid"
    DATETIME = "datetime"
    DECIMAL = "decimal"
    NESTED = "nested"  # lists and dicts (an order's lines): walked value by value


# The mapper keeps these out of the stored state: they are the store's own columns.
KEY_ATTRIBUTES = frozenset({"originator_id", "originator_version"})
_SCALARS: dict[Any, Kind] = {
    str: Kind.PLAIN,
    int: Kind.PLAIN,
    bool: Kind.PLAIN,
    UUID: Kind.UUID,
    datetime: Kind.DATETIME,
    Decimal: Kind.DECIMAL,
    Any: Kind.NESTED,
}


@dataclass(frozen=True)
class Layout:
    topic: str
    fields: tuple[tuple[str, Kind], ...]  # in the dataclass's order, key attributes left out
    kinds: dict[str, Kind]  # the same, by name
    class_version: int


def layout_of(event_class: type) -> Layout | None:
    """The class's table, or None when a field's type is one the table cannot describe."""
    hints = get_type_hints(event_class)
    fields: list[tuple[str, Kind]] = []
    for field in dataclasses.fields(event_class):
        if field.name in KEY_ATTRIBUTES:
            continue
        kind = _kind(hints[field.name])
        if kind is None:
            return None
        fields.append((field.name, kind))
    return Layout(
        topic=get_topic(event_class),
        fields=tuple(fields),
        kinds=dict(fields),
        class_version=getattr(event_class, "class_version", 1),
    )


def _kind(hint: Any) -> Kind | None:
    if get_origin(hint) in (Union, types.UnionType):
        kinds = {_kind(arg) for arg in get_args(hint) if arg is not type(None)}
        return kinds.pop() if len(kinds) == 1 else None
    if get_origin(hint) in (list, dict, tuple):
        return Kind.NESTED
    return _SCALARS.get(hint)
