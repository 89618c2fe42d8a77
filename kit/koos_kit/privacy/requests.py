"""Every holder of personal data answers export and erasure requests the same way; only what it holds differs.

A service implements `PersonalDataHolder` over its stores (an adapter) and consumes `koos.privacy.requests.v1`
with `requests_subscription`. An export changes nothing, so its part goes out at once (a redo sends the same
event id again, which the gateway drops); an erasure is idempotent (erasing again finds nothing) and its
confirmation is kept in the service's replies outbox, so each request is confirmed once.

Every holder reads the requests in its own group, so a request that cannot be read reaches each of them: the
gateway (which writes the requests, and holds some data itself) dead-letters it, the others skip it, and the
dead letter is written once.
"""

import abc
import json
from dataclasses import dataclass
from typing import Any

from koos_contracts import Envelope
from koos_contracts.personal_data import ErasePersonalData, ExportPersonalData, PersonalDataErased, PersonalDataExported
from koos_contracts.topics import PRIVACY_REQUESTS
from koos_kit.clock import Clock
from koos_kit.events import EventFactory
from koos_kit.logging import get_logger
from koos_kit.messaging.subscription import Subscription, bind
from koos_kit.ports import Publisher, Replies

log = get_logger("koos.privacy")


class PersonalDataHolder(abc.ABC):
    """What one service holds about a person, by subject id within an organisation."""

    @abc.abstractmethod
    async def export(self, subject_id: str, organisation_id: str) -> dict[str, Any]:
        """Everything held about the person, as JSON-ready data."""

    @abc.abstractmethod
    async def erase(self, subject_id: str, organisation_id: str) -> dict[str, int]:
        """Erase or anonymise it (aggregates stay true); how many of each kind were changed."""


@dataclass(frozen=True)
class PrivacyPorts:
    """What answering a request needs."""

    service: str
    holder: PersonalDataHolder
    publisher: Publisher
    replies: Replies
    factory: EventFactory
    clock: Clock


async def export_personal_data(command: ExportPersonalData, envelope: Envelope, ports: PrivacyPorts) -> None:
    document = await ports.holder.export(command.subject_id, envelope.organisationid)
    part = PersonalDataExported(request_id=command.request_id, subject_id=command.subject_id, service=ports.service,
                                document=json.dumps(document, ensure_ascii=False, sort_keys=True, default=str),
                                exported_at=ports.clock.now())
    await ports.publisher.publish(ports.factory.caused_by(envelope, [part]))


async def erase_personal_data(command: ErasePersonalData, envelope: Envelope, ports: PrivacyPorts) -> None:
    erased = await ports.holder.erase(command.subject_id, envelope.organisationid)
    log.info("personal data erased", service=ports.service, kinds=len(erased))
    confirmation = PersonalDataErased(request_id=command.request_id, subject_id=command.subject_id,
                                      service=ports.service, erased=erased, erased_at=ports.clock.now())
    await ports.replies.reply(envelope, ports.factory.caused_by(envelope, [confirmation]))


DEAD_LETTERED_BY = "gateway"
"""The one holder that dead-letters a request that cannot be read."""


def requests_subscription(ports: PrivacyPorts) -> Subscription:
    """Export and erasure requests; other records on the topic are the gateway's to dead-letter."""
    writes_dead_letters = ports.service == DEAD_LETTERED_BY
    return Subscription(
        topics=(PRIVACY_REQUESTS.name,),
        handlers={ExportPersonalData.ce_type(): bind(export_personal_data, ports),
                  ErasePersonalData.ce_type(): bind(erase_personal_data, ports)},
        dead_letter_unhandled=writes_dead_letters, dead_letter_poison=writes_dead_letters,
    )
