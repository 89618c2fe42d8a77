"""Crypto-shredding: personal fields sealed with a per-person key on the wire, opened in memory.

`KeyRing` holds the data keys a service knows (from `koos.privacy.keys.v1`); `codec` seals an envelope's
personal fields for publishing and opens them after consuming; `feed` keeps a ring current from the topic
and `issuer` (the gateway) mints and erases keys.
"""

from koos_kit.privacy.codec import open_data, seal_envelope
from koos_kit.privacy.keyring import ERASED_NAME, KeyRing, KeyWrapper, erased_address, is_erased_address

__all__ = ["ERASED_NAME", "KeyRing", "KeyWrapper", "erased_address", "is_erased_address", "open_data",
           "seal_envelope"]
