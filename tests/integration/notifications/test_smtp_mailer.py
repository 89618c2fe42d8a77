"""The SMTP adapter against misbehaving servers: which failures are certain and which leave the mail in doubt."""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from aiosmtpd.smtp import SMTP, Envelope, Session

from koos_notifications.adapters.smtp import SmtpMailer
from koos_notifications.domain.delivery import Failure
from koos_notifications.service_layer.mailing import MailNotSent
from tests.fixtures.servers import free_ports
from tests.integration.notifications.mailroom import mail, new_message_id

pytestmark = pytest.mark.integration

Serve = Callable[[Any], Awaitable[int]]


class Refusing:
    """Refuses every recipient for good."""

    async def handle_RCPT(self, server: SMTP, session: Session, envelope: Envelope, address: str,
                          rcpt_options: list[str]) -> str:
        return "550 no such mailbox here"


class Hanging:
    """Takes the data, then never answers."""

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        await asyncio.sleep(30)
        return "250 too late"


@pytest.fixture
async def serve() -> AsyncIterator[Serve]:
    """Starts an SMTP server with a given handler on a free port; stops it after the test."""
    servers: list[asyncio.Server] = []

    async def start(handler: Any) -> int:
        (port,) = free_ports(1)
        servers.append(await asyncio.get_running_loop().create_server(lambda: SMTP(handler), "127.0.0.1", port))
        return port

    yield start
    for server in servers:
        server.close()


@pytest.fixture
async def serve_closing() -> AsyncIterator[Serve]:
    """Like `serve`, but the server drops a connection idle for a second."""
    servers: list[asyncio.Server] = []

    async def start(handler: Any) -> int:
        (port,) = free_ports(1)
        servers.append(await asyncio.get_running_loop().create_server(lambda: SMTP(handler, timeout=1.0),
                                                                      "127.0.0.1", port))
        return port

    yield start
    for server in servers:
        server.close()


async def failure_of(port: int) -> Failure:
    with pytest.raises(MailNotSent) as refused:
        await SmtpMailer("127.0.0.1", port, timeout=1.0, deadline=2.0).send(mail(new_message_id()))
    return refused.value.failure


async def test_no_server_listening_is_a_certain_failure_worth_retrying() -> None:
    (port,) = free_ports(1)

    failure = await failure_of(port)
    assert not failure.uncertain and not failure.permanent and failure.error_class == "SMTPConnectError"


async def test_a_refused_recipient_is_a_certain_and_permanent_failure(serve: Serve) -> None:
    failure = await failure_of(await serve(Refusing()))

    assert failure.code == 550 and failure.permanent and not failure.uncertain


async def test_a_server_silent_after_the_data_leaves_the_mail_in_doubt(serve: Serve) -> None:
    failure = await failure_of(await serve(Hanging()))

    assert failure.uncertain and not failure.permanent


class Counting:
    """Takes every mail, and notes each connection's EHLO name."""

    def __init__(self) -> None:
        self.greetings: list[str] = []
        self.mails = 0

    async def handle_EHLO(self, server: SMTP, session: Session, envelope: Envelope, hostname: str,
                          responses: list[str]) -> list[str]:
        self.greetings.append(hostname)
        session.host_name = hostname
        return responses

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.mails += 1
        return "250 OK"


async def test_consecutive_mails_go_over_one_connection_greeted_by_the_configured_name(serve: Serve) -> None:
    counting = Counting()
    mailer = SmtpMailer("127.0.0.1", await serve(counting), timeout=2.0, local_hostname="koos.example")

    for _ in range(5):
        assert await mailer.send(mail(new_message_id())) == 250
    await mailer.close()
    assert counting.mails == 5 and counting.greetings == ["koos.example"]


async def test_a_kept_connection_the_server_dropped_is_replaced_and_the_mail_still_goes(serve_closing: Serve) -> None:
    counting = Counting()
    mailer = SmtpMailer("127.0.0.1", await serve_closing(counting), timeout=2.0, local_hostname="koos.example")

    await mailer.send(mail(new_message_id()))
    await asyncio.sleep(1.5)
    assert await mailer.send(mail(new_message_id())) == 250
    assert counting.mails == 2 and len(counting.greetings) == 2
