"""A privacy request that cannot be read reaches every holder (each reads the topic in its own group): the gateway
dead-letters it, the others skip it, so it is dead-lettered once; readable requests are handled by all."""

from datetime import UTC, datetime
from typing import Any

import pytest

from koos_contracts import to_record, wrap
from koos_contracts.personal_data import ExportPersonalData
from koos_contracts.topics import PRIVACY_REQUESTS
from koos_kit.events import EventFactory
from koos_kit.messaging.dispatcher import Dispatcher
from koos_kit.messaging.records import Record
from koos_kit.messaging.retry import RetryPolicy
from koos_kit.privacy.requests import PersonalDataHolder, PrivacyPorts, requests_subscription
from tests.fakes import FixedClock, RecordingPublisher, RecordingReplies

TOPIC = PRIVACY_REQUESTS.name
HOLDERS = ("gateway", "registration", "evaluation", "notifications")


class _Holder(PersonalDataHolder):
    def __init__(self) -> None:
        self.exported: list[str] = []

    async def export(self, subject_id: str, organisation_id: str) -> dict[str, Any]:
        self.exported.append(subject_id)
        return {}

    async def erase(self, subject_id: str, organisation_id: str) -> dict[str, int]:
        return {}


def _records() -> list[Record]:
    request = ExportPersonalData(request_id="r1", subject_id="p1", requested_by="participant")
    key, value, headers = to_record(wrap(request, source="/gateway", organisation_id="org"))
    return [
        Record(TOPIC, 0, 0, b"k", b"{not json", [("ce_type", ExportPersonalData.ce_type().encode())]),
        Record(TOPIC, 0, 1, b"k", b"\xff\xfe", []),
        Record(TOPIC, 0, 2, key, value, headers),
    ]


@pytest.mark.parametrize("service", HOLDERS)
async def test_only_the_gateway_dead_letters_an_unreadable_request_and_every_holder_answers_a_good_one(
        service: str) -> None:
    holder = _Holder()
    published = RecordingPublisher()
    ports = PrivacyPorts(service, holder, published, RecordingReplies(), EventFactory(f"/{service}"),
                         FixedClock(datetime(2027, 1, 4, tzinfo=UTC)))
    dispatcher = Dispatcher(requests_subscription(ports), service=service, attempts=1, backoff_seconds=0,
                            retry=RetryPolicy(0, 1))

    report = await dispatcher.dispatch_batch(_records())

    dead = [s.record.offset for s in report.dead_letters()]
    assert dead == ([0, 1] if service == "gateway" else [])
    assert report.done == {(TOPIC, 0): 3}
    assert holder.exported == ["p1"] and len(published.envelopes) == 1
