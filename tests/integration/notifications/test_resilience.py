"""A failing SMTP server, a SIGKILL mid-rush, reminders across a restart: still one mail per event."""

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.smtp import SMTP

from koos_cli.servers.smtp_main import MaildirHandler
from koos_contracts.notifications import NotificationSent
from koos_contracts.topics import DELIVERIES
from tests.builders import open_course, published
from tests.fixtures.kafka import KafkaProbe, eventually, of_type
from tests.fixtures.servers import SmtpEndpoint, free_ports
from tests.fixtures.services import Namespace, ServiceFactory
from tests.integration.notifications.mailroom import Mailroom, edition_soon, start_notifications, store_of

pytestmark = pytest.mark.integration

RUSH = 120


@pytest.fixture
def mailroom(kafka_probe: KafkaProbe, smtp_server: SmtpEndpoint) -> Mailroom:
    return Mailroom(kafka_probe, Path(smtp_server.maildir))


@pytest.fixture
async def late_smtp(tmp_path: Path) -> AsyncIterator[tuple[int, Path, list[Any]]]:
    """A port where no SMTP server listens yet, its future Maildir, and a slot for the server once started."""
    (port,), servers = free_ports(1), list[Any]()
    yield port, tmp_path / "late-maildir", servers
    for server in servers:
        server.close()
        await server.wait_closed()


async def test_a_failing_smtp_server_is_retried_with_back_off_until_it_comes_back(
        services: ServiceFactory, kafka_probe: KafkaProbe, mongo_url: str, namespace: Namespace,
        late_smtp: tuple[int, Path, list[Any]]) -> None:
    port, maildir, servers = late_smtp
    start_notifications(services, smtp_port=str(port), send_max_attempts="30")
    mailroom = Mailroom(kafka_probe, maildir)
    edition = published(open_course())
    await kafka_probe.send(edition)
    await mailroom.confirm(edition, mailroom.person(1, "fi"))
    store = store_of(mongo_url, namespace)
    await eventually(lambda: _deferred_at_least(store, 3), timeout=60)

    handler = MaildirHandler(maildir)
    servers.append(await asyncio.get_running_loop().create_server(
        lambda: SMTP(handler, enable_SMTPUTF8=True, hostname="late-smtp"), "127.0.0.1", port))
    (mail,) = await mailroom.wait_for_mails(1, timeout=30)

    assert mail["Content-Language"] == "fi"
    document = await store.notifications.find_one({"kind": "registration_confirmed"})
    assert document is not None
    outcomes = [d["outcome"] for d in document["deliveries"]]
    assert outcomes[-1] == "sent" and set(outcomes[:-1]) == {"deferred"} and len(outcomes) >= 4
    assert {d["error"] for d in document["deliveries"][:-1]} == {"SMTPConnectError"}
    pauses = [later["at"] - earlier["at"] for earlier, later in zip(document["deliveries"][:3],
                                                                    document["deliveries"][1:4], strict=True)]
    assert pauses[1] > pauses[0] * 1.5


async def test_a_reminder_planned_before_a_sigkill_goes_out_once_after_the_restart(
        services: ServiceFactory, kafka_probe: KafkaProbe, mailroom: Mailroom, mongo_url: str,
        namespace: Namespace) -> None:
    service = start_notifications(services)
    edition = edition_soon(first_session_in=timedelta(seconds=95), offsets=(1,))
    await kafka_probe.send(edition)
    await mailroom.confirm(edition, mailroom.person(1, "en"))
    await mailroom.wait_for_mails(1)
    store = store_of(mongo_url, namespace)
    await eventually(lambda: store.notifications.find_one({"kind": "session_reminder", "status": "pending"}))

    service.kill()
    service.start()
    mails = await mailroom.wait_for_mails(2, timeout=90)
    await asyncio.sleep(3)

    assert len(mailroom.mails()) == 2
    assert str(mails[1]["Subject"]).startswith("Reminder: Introduction to service design")
    reminder = await store.notifications.find_one({"kind": "session_reminder"})
    assert reminder is not None and reminder["status"] == "sent"
    assert [d["outcome"] for d in reminder["deliveries"]] == ["sent"]


async def test_a_sigkill_mid_rush_leaves_exactly_one_mail_per_event_and_recipient(
        services: ServiceFactory, kafka_probe: KafkaProbe, mailroom: Mailroom, mongo_url: str,
        namespace: Namespace) -> None:
    service = start_notifications(services, send_lease_seconds="3")
    edition = published(open_course())
    await kafka_probe.send(edition)
    for n in range(RUSH // 2):
        await mailroom.confirm(edition, mailroom.person(n, ("et", "fi", "nb", "en")[n % 4]))
    await mailroom.wait_for_mails(RUSH // 10)
    service.kill()
    killed_at = len(mailroom.mails())
    for n in range(RUSH // 2, RUSH):
        await mailroom.confirm(edition, mailroom.person(n, ("et", "fi", "nb", "en")[n % 4]))
    service.start()

    store = store_of(mongo_url, namespace)
    await eventually(lambda: _all_sent(store), timeout=120)
    await asyncio.sleep(1)
    mails = mailroom.mails()
    doubts = {outcome: await _count_outcome(store, outcome)
              for outcome in ("in_doubt", "in_doubt_found_delivered", "in_doubt_resent")}
    print(f"rush of {RUSH}: killed after {killed_at} mails; {len(mails)} stored; in doubt: {doubts}")
    assert killed_at <= RUSH // 2
    assert Counter(str(m["Message-ID"]) for m in mails).most_common(1)[0][1] == 1
    assert sorted(str(m["X-Koos-Envelope-To"]) for m in mails) == sorted(
        mailroom.person(n).email for n in range(RUSH))
    assert await store.notifications.count_documents({"deliveries.lookup": "unknown"}) == 0
    deliveries = await kafka_probe.envelopes(DELIVERIES, lambda es: len({e.subject for e in es}) >= RUSH)
    assert len({e.subject for e in of_type(deliveries, NotificationSent)}) == RUSH


async def _count_outcome(store: Any, outcome: str) -> int:
    return int(await store.notifications.count_documents({"deliveries.outcome": outcome}))


async def _deferred_at_least(store: Any, count: int) -> bool:
    document = await store.notifications.find_one({"kind": "registration_confirmed"})
    return document is not None and sum(d["outcome"] == "deferred" for d in document["deliveries"]) >= count


async def _all_sent(store: Any) -> bool:
    sent = await store.notifications.count_documents({"kind": "registration_confirmed", "status": "sent"})
    return bool(sent == RUSH)
