"""A decided batch as the offer document carries it: one compressed BSON value instead of a nested document.

A batch of a rush holds hundreds of registrations and events (hundreds of kilobytes as nested documents). The
Mongo-wire server parses, stores and re-serialises a nested document field by field on every write; one binary
value of a few tens of kilobytes costs it next to nothing. The value is BSON (so every type the registrations
hold survives unchanged) compressed with zlib at its fastest level. Offers written before the batch was packed
(`pending` and `events` as plain fields) are still read.
"""

import zlib
from collections.abc import Sequence
from typing import Any

import bson
from bson.binary import Binary

from koos_contracts import Envelope

Document = dict[str, Any]
LEVEL = 1


def pack(pending: Document, envelopes: Sequence[Envelope]) -> Binary:
    """The batch's changes and events as one value."""
    batch = {"pending": pending, "events": [e.model_dump(mode="json") for e in envelopes]}
    return Binary(zlib.compress(bson.encode(batch), LEVEL))


def unpack(offer: Document) -> tuple[Document, list[Document]]:
    """The changes and events of the last batch an offer document carries."""
    packed = offer.get("batch")
    if packed is None:
        return offer.get("pending") or {}, offer.get("events") or []
    batch = bson.decode(zlib.decompress(packed))
    return batch["pending"], batch["events"]
