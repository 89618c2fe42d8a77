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
