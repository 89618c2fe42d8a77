"""What a service that handles personal data plugs into its publisher and dispatcher, and the gateway's key
issuing: seal on the way out, open on the way in, mint and erase a subject's key."""

import json
import os
from collections.abc import Sequence

from koos_contracts import Envelope, wrap
from koos_contracts.personal_data import DataKeyIssued
from koos_kit.messaging.records import Record
from koos_kit.privacy.codec import SEALED_MARKER, open_data, seal_envelope, sealed_subjects
from koos_kit.privacy.feed import KeyFeed
from koos_kit.privacy.keyring import KeyRing, KeyWrapper


class PersonalData:
    """A service's key ring with the feed that keeps it current."""

    def __init__(self, ring: KeyRing, feed: KeyFeed | None = None) -> None:
        self.ring = ring
        self.feed = feed

    def seal(self, envelope: Envelope) -> Envelope:
        return seal_envelope(envelope, self.ring)

    async def prepare(self, records: Sequence[Record]) -> None:
        """Read the keys topic to its end when a record is sealed with a key the ring has not seen yet."""
        if self.feed is None:
            return
        for record in records:
            if record.value and SEALED_MARKER in record.value and self._unknown_subjects(record.value):
                await self.feed.catch_up()
                return

    def open(self, envelope: Envelope) -> Envelope:
        if not sealed_subjects(envelope.data):
            return envelope
        return envelope.model_copy(update={"data": open_data(envelope.data, self.ring)})

    def _unknown_subjects(self, value: bytes) -> bool:
        """Whether the record names a subject the ring does not know; a record that cannot be read (bad JSON,
        nested deeper than the parser goes) names none here, and the dispatcher dead-letters it."""
        try:
            return any(not self.ring.knows(s) for s in sealed_subjects(json.loads(value)))
        except (ValueError, RecursionError, TypeError, AttributeError):
            return False


class KeyIssuer:
    """Mints a subject's data key (on the keys topic, wrapped) and erases it (a tombstone): the gateway's job."""

    def __init__(self, ring: KeyRing, wrapper: KeyWrapper, source: str) -> None:
        self._ring = ring
        self._wrapper = wrapper
        self._source = source

    def issued(self, subject: str, organisation_id: str) -> Envelope:
        """The envelope announcing a new key for the subject; the ring has it at once."""
        key = os.urandom(32)
        wrapped, nonce = self._wrapper.wrap(subject, key)
        self._ring.add(subject, key)
        event = DataKeyIssued(subject_id=subject, wrapped_key=wrapped, nonce=nonce, kek_id=self._wrapper.kek_id)
        return wrap(event, source=self._source, organisation_id=organisation_id)

    def withdrawn(self, subject: str) -> None:
        """Forget a key whose announcement was never sent: it was not issued after all."""
        self._ring.withdraw(subject)

    def erased(self, subject: str) -> None:
        """Forget the key here; the caller writes the tombstone (`KafkaPublisher.tombstone`)."""
        self._ring.erase(subject)
