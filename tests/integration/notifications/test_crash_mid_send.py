"""SIGKILL of the notifications service in the middle of an SMTP transaction, at the moments that matter.

An SMTP server of the test's own kills the service while it waits for the reply to its message: after the message
was stored (the sender never learns it got through), while the server stores it, or before. Each way, after the
restart exactly one mail is stored, because the service asks the server's lookup API before sending again.
"""

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import pytest
from aiosmtpd.smtp import SMTP, Envelope, Session

from koos_cli.servers.smtp_api import serve_api
from koos_cli.servers.smtp_main import MaildirHandler
from koos_contracts.notifications import NotificationSent
from koos_contracts.topics import DELIVERIES
from tests.builders import open_course, published
from tests.fixtures.kafka import KafkaProbe, eventually, of_type
from tests.fixtures.servers import free_ports
from tests.fixtures.services import Namespace, ServiceFactory, ServiceProcess
from tests.integration.notifications.mailroom import Mailroom, start_notifications, store_of

pytestmark = pytest.mark.integration


Moment = Literal["after_storing", "while_storing", "before_storing"]


class KillingHandler(MaildirHandler):
    """Stores messages like the dev server, but SIGKILLs `victim` at the first message, before replying.

    aiosmtpd cancels a session's handler when its client goes away, so the kill runs in a task of its own.
    """

    def __init__(self, maildir: Path, moment: Moment) -> None:
        super().__init__(maildir)
        self.moment = moment
        self.victim: ServiceProcess | None = None
        self.killing: asyncio.Future[None] | None = None
        self.killed = asyncio.Event()

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if self.killing is not None or self.victim is None:
            return await super().handle_DATA(server, session, envelope)
        if self.moment == "after_storing":
            await super().handle_DATA(server, session, envelope)
        self.killing = asyncio.ensure_future(asyncio.to_thread(self.victim.kill))
        self.killing.add_done_callback(lambda _: self.killed.set())
        if self.moment == "while_storing":
            self.maildir.add = slowly(self.maildir.add)  # type: ignore[method-assign]
            return await super().handle_DATA(server, session, envelope)
        await asyncio.shield(self.killing)
        return "451 nobody is listening any more"


def slowly(add: Callable[..., str]) -> Callable[..., str]:
    """Storing that takes a second, so that the sender dies (and aiosmtpd cancels the handler) meanwhile."""

    def add_slowly(message: Any) -> str:
        time.sleep(1.0)
        return add(message)

    return add_slowly


@dataclass
class TrapServer:
    """Where the trap listens: SMTP, its lookup API, its Maildir."""

    port: int
    api_port: int
    maildir: Path
    servers: list[Any] = field(default_factory=list)

    async def start(self, handler: KillingHandler) -> None:
        loop = asyncio.get_running_loop()
        self.servers.append(await loop.create_server(lambda: SMTP(handler, enable_SMTPUTF8=True, hostname="trap"),
                                                     "127.0.0.1", self.port))
        self.servers.append(await serve_api(handler.index, "127.0.0.1", self.api_port))


@pytest.fixture
async def trap(tmp_path: Path) -> AsyncIterator[TrapServer]:
    port, api_port = free_ports(2)
    server = TrapServer(port, api_port, tmp_path / "trap-maildir")
    yield server
    for each in server.servers:
        each.close()
        await each.wait_closed()


async def killed_mid_send_then_restarted(moment: Moment, trap: TrapServer, services: ServiceFactory,
                                         kafka_probe: KafkaProbe, mongo_url: str,
                                         namespace: Namespace) -> tuple[Mailroom, dict[str, Any]]:
    """One confirmation mailed through the trap, the service killed and restarted; its stored notification."""
    handler = KillingHandler(trap.maildir, moment)
    await trap.start(handler)
    service = start_notifications(services, smtp_port=str(trap.port), send_lease_seconds="3",
                                  smtp_lookup_url=f"http://127.0.0.1:{trap.api_port}")
    handler.victim = service
    mailroom = Mailroom(kafka_probe, trap.maildir)
    edition = published(open_course())
    await kafka_probe.send(edition)
    await mailroom.confirm(edition, mailroom.person(1, "nb"))
    await asyncio.wait_for(handler.killed.wait(), timeout=60)
    service.start()
    store = store_of(mongo_url, namespace)
    notification = await eventually(lambda: store.notifications.find_one(
        {"kind": "registration_confirmed", "status": "sent"}), timeout=60)
    await asyncio.sleep(1)
    return mailroom, notification


@pytest.mark.parametrize("moment", ["after_storing", "while_storing"])
async def test_a_mail_the_server_stored_is_not_sent_again(
        moment: Moment, trap: TrapServer, services: ServiceFactory, kafka_probe: KafkaProbe, mongo_url: str,
        namespace: Namespace) -> None:
    mailroom, notification = await killed_mid_send_then_restarted(moment, trap, services, kafka_probe, mongo_url,
                                                                  namespace)

    (mail,) = mailroom.mails()
    assert str(mail["Message-ID"]) == f"<{notification['_id']}@koos.example>"
    assert [d["outcome"] for d in notification["deliveries"]] == ["in_doubt", "in_doubt_found_delivered"]
    deliveries = await kafka_probe.envelopes(DELIVERIES, lambda es: bool(of_type(es, NotificationSent)))
    assert {e.subject for e in of_type(deliveries, NotificationSent)} == {notification["_id"]}


async def test_a_mail_lost_with_the_kill_is_sent_again_once(
        trap: TrapServer, services: ServiceFactory, kafka_probe: KafkaProbe, mongo_url: str,
        namespace: Namespace) -> None:
    mailroom, notification = await killed_mid_send_then_restarted("before_storing", trap, services, kafka_probe,
                                                                  mongo_url, namespace)

    (mail,) = mailroom.mails()
    assert str(mail["Message-ID"]) == f"<{notification['_id']}@koos.example>"
    assert [d["outcome"] for d in notification["deliveries"]] == ["in_doubt", "in_doubt_resent", "sent"]
    assert notification["deliveries"][1]["lookup"] == "not_received"
