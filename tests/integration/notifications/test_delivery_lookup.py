"""The SMTP dev server's lookup by Message-ID, as the notifications service asks it: every copy counts, restarts too."""

import smtplib
from email.message import EmailMessage
from pathlib import Path

import httpx
import pytest

from koos_cli.servers import Servers, list_messages
from koos_notifications.adapters.lookup import HttpDeliveryLookup
from koos_notifications.adapters.smtp import SmtpMailer
from tests.fixtures.servers import SmtpEndpoint, free_ports, isolated_settings
from tests.integration.notifications.mailroom import mail, new_message_id

pytestmark = pytest.mark.integration


def plain_message(message_id: str) -> EmailMessage:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "a@koos.example", "b@kommune.example", "Hei"
    message["Message-ID"] = message_id
    message.set_content("Hei!")
    return message


async def test_a_mail_the_server_took_is_found_by_its_message_id(smtp_server: SmtpEndpoint) -> None:
    message_id = new_message_id()
    await SmtpMailer(smtp_server.host, smtp_server.port).send(mail(message_id))
    lookup = HttpDeliveryLookup(smtp_server.api_url)

    assert await lookup.was_received(message_id) is True
    assert await lookup.was_received(new_message_id()) is False


def test_the_server_keeps_and_counts_every_copy_of_a_message(smtp_server: SmtpEndpoint) -> None:
    message_id = new_message_id()
    with smtplib.SMTP(smtp_server.host, smtp_server.port, timeout=10) as client:
        client.send_message(plain_message(message_id))
        client.send_message(plain_message(message_id))

    answer = httpx.get(f"{smtp_server.api_url}/messages", params={"message_id": message_id.strip("<>")}).json()
    assert answer == {"message_id": message_id, "count": 2}
    assert [m.message_id for m in list_messages(smtp_server.maildir)].count(message_id) == 2


async def test_what_the_server_stored_is_still_found_after_it_was_killed(tmp_path: Path) -> None:
    smtp = Servers(isolated_settings(tmp_path / "state")).smtp
    try:
        smtp.start()
        message_id = new_message_id()
        await SmtpMailer(smtp.host, smtp.port).send(mail(message_id))
        smtp.kill9()
        smtp.start()

        assert await HttpDeliveryLookup(smtp.api_url).was_received(message_id) is True
    finally:
        smtp.stop()


async def test_a_provider_that_does_not_answer_cannot_tell() -> None:
    (port,) = free_ports(1)

    assert await HttpDeliveryLookup(f"http://127.0.0.1:{port}", timeout=1).was_received(new_message_id()) is None


def test_the_lookup_api_refuses_what_it_does_not_serve(smtp_server: SmtpEndpoint) -> None:
    assert httpx.get(f"{smtp_server.api_url}/messages").status_code == 400
    assert httpx.get(f"{smtp_server.api_url}/nothing").status_code == 404
    assert httpx.post(f"{smtp_server.api_url}/messages", params={"message_id": "x"}).status_code == 405


def test_a_malformed_message_id_is_stored_and_counted_as_written(smtp_server: SmtpEndpoint) -> None:
    def count(message_id: str) -> int:
        answer = httpx.get(f"{smtp_server.api_url}/messages", params={"message_id": message_id})
        return int(answer.json()["count"])

    before, well_formed = count("<>"), new_message_id()
    raw = "From: a@koos.example\r\nTo: b@kommune.example\r\nSubject: Hei\r\nMessage-ID: <>\r\n\r\nHei!\r\n"
    with smtplib.SMTP(smtp_server.host, smtp_server.port, timeout=10) as client:
        client.sendmail("a@koos.example", ["b@kommune.example"], raw)
        client.send_message(plain_message(well_formed))

    assert count("<>") == before + 1
    assert count(well_formed) == 1
    assert "<>" in [m.message_id for m in list_messages(smtp_server.maildir)]
