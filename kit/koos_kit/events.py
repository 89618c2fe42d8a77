"""Envelopes for the events a service emits, with ids derived from their cause so a redo repeats them."""

from collections.abc import Sequence
from datetime import datetime
from uuid import NAMESPACE_URL, uuid5

from koos_contracts import Envelope, Message, wrap


class EventFactory:
    """Wraps a service's events: correlation and causation follow the message that caused them."""

    def __init__(self, source: str) -> None:
        self._source = source

    def caused_by(self, cause: Envelope, events: Sequence[Message], time: datetime | None = None) -> list[Envelope]:
        """Envelopes for events caused by a consumed message; the same cause gives the same ids."""
        return [
            wrap(event, source=self._source, organisation_id=cause.organisationid,
                 correlation_id=cause.correlationid, causation_id=cause.id,
                 event_id=_derived_id(cause.id, index, event), time=time)
            for index, event in enumerate(events)
        ]

    def on_schedule(self, organisation_id: str, reason: str, events: Sequence[Message],
                    time: datetime | None = None) -> list[Envelope]:
        """Envelopes for events caused by the passing of time; `reason` names the occasion uniquely."""
        return [
            wrap(event, source=self._source, organisation_id=organisation_id,
                 event_id=_derived_id(reason, index, event), time=time)
            for index, event in enumerate(events)
        ]


def _derived_id(cause: str, index: int, event: Message) -> str:
    return str(uuid5(NAMESPACE_URL, f"koos:{cause}:{index}:{event.ce_type()}:{event.subject()}"))
