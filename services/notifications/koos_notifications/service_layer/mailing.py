"""What the send loop needs to turn a notification into a mail and hand it over, at a bounded rate."""

import abc
import asyncio
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from koos_kit.participant_tokens import ParticipantTokenSigner
from koos_notifications.domain.delivery import Failure
from koos_notifications.domain.mail import OutgoingMail, RenderedText


class MailNotSent(Exception):
    """The SMTP server did not take the mail."""

    def __init__(self, failure: Failure) -> None:
        super().__init__(failure.describe())
        self.failure = failure


class Mailer(abc.ABC):
    """Hands mails to an SMTP server."""

    @abc.abstractmethod
    async def send(self, mail: OutgoingMail) -> int:
        """Send a mail; return the server's reply code, or raise MailNotSent."""

    async def close(self) -> None:  # noqa: B027 - most mailers hold nothing open
        """Let go of open connections (at shutdown)."""


class SendRate(abc.ABC):
    """How fast mails may be handed over, so that a rush's mails go out behind the work that caused them."""

    @abc.abstractmethod
    async def turn(self) -> None:
        """Wait until the next mail may go."""


class Unlimited(SendRate):
    """No limit: every mail may go at once."""

    async def turn(self) -> None:
        return None


class Paced(SendRate):
    """At most `per_second` mails a second, evenly spaced: each takes the next free slot, `1 / per_second` after the
    one before (a slot in the past is now), and waits for it."""

    def __init__(self, per_second: float) -> None:
        self._gap = 1 / per_second
        self._next = 0.0

    async def turn(self) -> None:
        now = time.monotonic()
        slot = max(self._next, now)
        self._next = slot + self._gap
        if slot > now:
            await asyncio.sleep(slot - now)


class DeliveryLookup(abc.ABC):
    """Asks the mail provider whether it holds a message, as SES, Postmark and Mailgun let a sender do."""

    @abc.abstractmethod
    async def was_received(self, message_id: str) -> bool | None:
        """True if the provider took a message with this Message-ID, False if not, None if it cannot tell."""


class MailRenderer(abc.ABC):
    """Turns a kind of notification and its facts into subject and bodies in a language."""

    @abc.abstractmethod
    def language_for(self, kind: str, language: str) -> str:
        """The language a mail of this kind will be written in: the asked one if a template exists, else English."""

    @abc.abstractmethod
    def render(self, kind: str, language: str, context: Mapping[str, Any]) -> RenderedText: ...


@dataclass(frozen=True)
class MailSettings:
    """Who mails come from, where their links point (the web front end), and how their personal tokens are signed."""

    sender: str
    message_id_domain: str
    public_base_url: str
    participant_tokens: ParticipantTokenSigner = field(repr=False)
    web_base_url: str = "http://127.0.0.1:8080"
