"""What integration tests need around the notifications service: people, editions and the Maildir."""

import asyncio
import mailbox
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

from icalendar import Calendar
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from koos_contracts.identity import registration_id_for
from koos_contracts.registration import RegistrationConfirmed, RegistrationWaitlisted
from koos_contracts.scheduling import EditionPublished, ScheduledSession
from koos_contracts.values import Participant
from koos_notifications.domain.mail import OutgoingMail, RenderedText
from koos_notifications.domain.participant import Recipient
from tests.builders import CITY_HALL, open_course, published
from tests.fixtures.kafka import KafkaProbe
from tests.fixtures.services import Namespace, ServiceFactory, ServiceProcess
from tests.tokens import PARTICIPANT_PRIVATE_KEY

NAMES = {"et": "Jüri Õunapuu", "fi": "Päivi Hämäläinen", "nb": "Åse Ødegård", "en": "Šarlote Žukova"}


@dataclass
class Mailroom:
    """People with addresses unique to one test, the events about them, and the mails they got."""

    probe: KafkaProbe
    maildir: Path
    tag: str = field(default_factory=lambda: uuid.uuid4().hex[:10])

    def person(self, n: int, language: str = "nb") -> Participant:
        return Participant(person_id=f"{self.tag}-{n}", email=f"{self.tag}.{n}@kommune.example",
                           name=f"{NAMES[language]} {n}", language=language)

    async def confirm(self, edition: EditionPublished, person: Participant) -> None:
        await self.probe.send(RegistrationConfirmed(
            registration_id=registration_id_for(edition.edition_id, person.email), edition_id=edition.edition_id,
            participant=person, confirmed_at=datetime.now(UTC)))

    async def waitlist(self, edition: EditionPublished, person: Participant, position: int) -> None:
        await self.probe.send(RegistrationWaitlisted(
            registration_id=registration_id_for(edition.edition_id, person.email), edition_id=edition.edition_id,
            participant=person, queue_number=position, position=position, waitlisted_at=datetime.now(UTC)))

    def mails(self) -> list[EmailMessage]:
        """Every stored mail to this test's people, oldest first."""
        if not (self.maildir / "new").is_dir():
            return []
        box = mailbox.Maildir(self.maildir, create=False)
        parsed = [BytesParser(policy=policy.default).parsebytes(box.get_bytes(key)) for key in box.iterkeys()]
        mine = [m for m in parsed if self.tag in str(m["X-Koos-Envelope-To"])]
        return sorted(mine, key=lambda m: str(m["X-Koos-Received-At"]))

    async def wait_for_mails(self, count: int, timeout: float = 60.0) -> list[EmailMessage]:
        """The mails once at least `count` arrived; fails after the timeout."""
        deadline = time.monotonic() + timeout
        found = self.mails()
        while len(found) < count and time.monotonic() < deadline:
            await asyncio.sleep(0.2)
            found = self.mails()
        assert len(found) >= count, f"{len(found)} of {count} mails arrived in {timeout:.0f} s"
        return found


def edition_soon(first_session_in: timedelta, offsets: tuple[int, ...]) -> EditionPublished:
    """An Oslo edition whose first session starts after `first_session_in`, to see reminders go out."""
    start = (datetime.now(UTC) + first_session_in).replace(microsecond=0)
    session = ScheduledSession(session_id="s1", starts_at=start, ends_at=start + timedelta(hours=3), venue=CITY_HALL)
    return published(open_course()).model_copy(update={"sessions": (session,), "reminder_offsets_minutes": offsets})


def text_of(mail: EmailMessage) -> str:
    body = mail.get_body(("plain",))
    assert body is not None
    return str(body.get_content()).replace("\r\n", "\n")


def calendar_of(mail: EmailMessage) -> Calendar:
    (attachment,) = [part for part in mail.iter_attachments() if part.get_content_type() == "text/calendar"]
    payload = attachment.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return Calendar.from_ical(payload)


def start_notifications(services: ServiceFactory, **settings: str) -> ServiceProcess:
    """The service as a process, polling and retrying fast enough for a test."""
    defaults = {"send_poll_seconds": "0.2", "send_backoff_seconds": "0.5", "send_backoff_max_seconds": "2",
                "participant_token_private_key": PARTICIPANT_PRIVATE_KEY}
    return services("notifications", **{**defaults, **settings}).start()


def store_of(mongo_url: str, namespace: Namespace) -> AsyncDatabase[Any]:
    """The service's own database, read directly to check its delivery log."""
    client: AsyncMongoClient[Any] = AsyncMongoClient(mongo_url, tz_aware=True, uuidRepresentation="standard")
    return client[namespace.database("notifications")]


def new_message_id() -> str:
    """A Message-ID no other mail has."""
    return f"<{uuid.uuid4()}@koos.example>"


def mail(message_id: str) -> OutgoingMail:
    """A small Norwegian mail to an address no other test uses."""
    recipient = Recipient(person_id="p-1", email=f"{uuid.uuid4().hex[:8]}@kommune.example", name="Åse Ødegård",
                          language="nb")
    content = RenderedText(subject="Plassen din er bekreftet", text="Hei!\n", html=None, language="nb")
    return OutgoingMail(notification_id="n-1", message_id=message_id, sender="Koos <no-reply@koos.example>",
                        recipient=recipient, content=content)
