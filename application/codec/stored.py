"""Stored events written from their class's table: the bytes of eventsourcing's mapper.

`Mapper.to_stored_event` hands an event's attributes to `JSONTranscoder`, whose stdlib encoder
calls back into Python for every UUID, datetime and Decimal: several microseconds per event,
a fifth of a click batch's CPU. Here each event class gets an encoder generated from its table:
one function that reads every field once and tags it as its declared type says, with the
transcoder's own transcoding names, in one dict display that orjson writes. (Walking the table
field by field at run time cost three times as much: ~13 lookups and branches per event.) The
bytes are the mapper's (tests/unit/codec/test_stored.py); whatever an encoder cannot write that
way (another transcoder, a cipher or compressor, a value of an unexpected type) goes to the
mapper.
"""

from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

import orjson
from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import (
    DatetimeAsISO,
    DecimalAsStr,
    JSONTranscoder,
    Mapper,
    StoredEvent,
    Transcoding,
    UUIDAsHex,
)

from application.codec.layout import Kind, Layout, layout_of

# The transcodings whose written form this codec knows (tests hold it to their encode()).
STANDARD = {UUID: UUIDAsHex, datetime: DatetimeAsISO, Decimal: DecimalAsStr}
Tags = tuple[str, str, str]  # the UUID, datetime and Decimal transcodings' names
Encoder = Callable[[dict[str, Any]], dict[str, Any]]
PLAIN_TYPES = (str, int, bool)
# How each kind of field is written: {v} is its value, {u}, {d}, {c} the three tags.
_EXPRESSIONS = {
    Kind.PLAIN: "{v} if type({v}) in PLAIN_TYPES or {v} is None else nested({v})",
    Kind.UUID: 'None if {v} is None else {{"_type_": {u!r}, "_data_": {v}.hex}}',
    # orjson writes an aware UTC datetime exactly as isoformat() does, in C.
    Kind.DATETIME: (
        'None if {v} is None else {{"_type_": {d!r}, '
        '"_data_": {v} if {v}.tzinfo is UTC else {v}.isoformat()}}'
    ),
    Kind.DECIMAL: (
        'nested({v}) if type({v}) is not Decimal else {{"_type_": {c!r}, "_data_": str({v})}}'
    ),
    Kind.NESTED: "nested({v})",
}


class _NotTabledError(Exception):
    """A value the encoders do not write as the mapper would: use the mapper."""


class StoredEventCodec:
    def __init__(self, mapper: Mapper[Any]) -> None:
        self._mapper = mapper
        self._tags = standard_tags(mapper)
        self._encoders: dict[type, tuple[Layout, Encoder] | None] = {}

    def takes(self, event_class: type) -> bool:
        """Whether events of this class are written by their generated encoder."""
        return self._encoder(event_class) is not None

    def to_stored(self, event: DomainEventProtocol[Any]) -> StoredEvent:
        encoder = self._encoder(type(event))
        if encoder is not None:
            layout, encode = encoder
            values = event.__dict__
            try:
                state = orjson.dumps(encode(values))
            except (_NotTabledError, TypeError, AttributeError, KeyError):
                pass
            else:
                return _stored(values["originator_id"], values["originator_version"], layout, state)
        return self._mapper.to_stored_event(event)

    def _encoder(self, event_class: type) -> tuple[Layout, Encoder] | None:
        if event_class not in self._encoders:
            layout = layout_of(event_class) if self._tags is not None else None
            self._encoders[event_class] = (
                None if layout is None else (layout, self._compile(layout))
            )
        return self._encoders[event_class]

    def _compile(self, layout: Layout) -> Encoder:
        assert self._tags is not None
        u, d, c = self._tags
        reads = [f"    v{n} = values[{name!r}]" for n, (name, _) in enumerate(layout.fields)]
        writes = [
            f"        {name!r}: " + _EXPRESSIONS[kind].format(v=f"v{n}", u=u, d=d, c=c) + ","
            for n, (name, kind) in enumerate(layout.fields)
        ]
        if layout.class_version != 1:  # the mapper writes it last
            writes.append(f"        'class_version': {layout.class_version},")
        source = "\n".join(["def encode(values):", *reads, "    return {", *writes, "    }"])
        namespace: dict[str, Any] = {
            "PLAIN_TYPES": PLAIN_TYPES,
            "Decimal": Decimal,
            "nested": self._nested,
            "UTC": UTC,
        }
        exec(compile(source, f"<encoder of {layout.topic}>", "exec"), namespace)
        encode: Encoder = namespace["encode"]
        return encode

    def _nested(self, value: Any) -> Any:
        """A value inside a list or dict, tagged by its runtime type as the transcoder does."""
        kind = type(value)
        if value is None or kind is str or kind is int or kind is bool:
            return value
        if kind is dict:
            return {key: self._nested(item) for key, item in value.items()}
        if kind is list or kind is tuple:
            return [self._nested(item) for item in value]
        assert self._tags is not None
        if kind is UUID:
            return {"_type_": self._tags[0], "_data_": value.hex}
        if kind is datetime:
            return {"_type_": self._tags[1], "_data_": _datetime_data(value)}
        if kind is Decimal:
            return {"_type_": self._tags[2], "_data_": str(value)}
        raise _NotTabledError(kind)  # floats included: orjson and json spell some differently


def _stored(originator_id: Any, version: int, layout: Layout, state: bytes) -> StoredEvent:
    # The frozen dataclass's fields set in one go: its __init__ sets them one object.__setattr__
    # at a time, which cost a third of writing a click. Equal to StoredEvent(...) (the tests
    # compare the two).
    stored = object.__new__(StoredEvent)
    stored.__dict__.update(
        originator_id=originator_id, originator_version=version, topic=layout.topic, state=state
    )
    return stored


def _datetime_data(value: datetime) -> Any:
    # orjson writes an aware UTC datetime exactly as isoformat() does, in C.
    return value if value.tzinfo is UTC else value.isoformat()


def standard_tags(mapper: Mapper[Any]) -> Tags | None:
    """The names of the UUID, datetime and Decimal transcodings, when the mapper writes plain
    JSON with exactly the standard ones (and no transcoding for containers)."""
    transcoder = mapper.transcoder
    if type(transcoder) is not JSONTranscoder or mapper.cipher or mapper.compressor:
        return None
    types: dict[type, Transcoding] = transcoder.types
    if dict in types or list in types:
        return None
    if any(type(types.get(kind)) is not codec for kind, codec in STANDARD.items()):
        return None
    return types[UUID].name, types[datetime].name, types[Decimal].name
