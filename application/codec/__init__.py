"""The event codec: stored events and envelopes, derived from the domain's event classes.

One table per event class (`layout.py`), read off its dataclass fields and their types, drives
both directions of the hot paths: the stored-event encoding the gateway writes (`stored.py`,
the same bytes as eventsourcing's mapper) and the envelope the relay builds from stored rows
(`envelopes.py`, the same bytes as building it from the mapper's domain event). Adding a field
to an event class is one change: both follow. A class whose fields the table cannot describe
goes through the library's mapper instead (tests/unit/codec list every event class and fail if
one does).
"""

from application.codec.envelopes import (
    ENVELOPE_FIELDS,
    SCHEMA_VERSION,
    Envelope,
    InvalidEnvelopeError,
    LogRow,
    StoredEnvelopes,
    envelope_bytes,
    format_timestamp,
    is_published,
    read_envelope,
)
from application.codec.layout import Kind, Layout, layout_of
from application.codec.stored import StoredEventCodec

__all__ = [
    "ENVELOPE_FIELDS",
    "SCHEMA_VERSION",
    "Envelope",
    "InvalidEnvelopeError",
    "Kind",
    "Layout",
    "LogRow",
    "StoredEnvelopes",
    "StoredEventCodec",
    "envelope_bytes",
    "format_timestamp",
    "is_published",
    "layout_of",
    "read_envelope",
]
