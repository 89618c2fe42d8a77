"""Sending mails with aiosmtplib: one connection per mail, closed after the mail is recorded as sent."""

import asyncio
from datetime import UTC, datetime
from email.errors import MessageError
from email.message import EmailMessage

import aiosmtplib

from koos_notifications.adapters.messages import email_message
from koos_notifications.domain.delivery import Failure
from koos_notifications.domain.mail import OutgoingMail
from koos_notifications.service_layer.mailing import Mailer, MailNotSent

ACCEPTED = 250
DEADLINE_EXCEEDED = Failure(code=None, error_class="SendDeadlineExceeded", uncertain=True)
NOT_BUILDABLE = Failure(code=None, error_class="MailNotBuildable", permanent=True)


class SmtpMailer(Mailer):
    """Hands each mail to the configured SMTP server within `deadline` seconds, then says goodbye in the background.

    A failure before the server could have taken the mail (no connection, a refusal with a reply code) is
    certain; a broken link or the deadline after connecting is `uncertain`: the server may hold the mail.
    """

    def __init__(self, host: str, port: int, *, timeout: float = 15.0, deadline: float | None = None,
                 starttls: bool = False) -> None:
        self._host = host
        self._port = port
        self._timeout = timeout
        self._deadline = deadline or 4 * timeout
        self._starttls = starttls
        self._closing: set[asyncio.Task[None]] = set()

    async def send(self, mail: OutgoingMail) -> int:
        message = _message(mail)
        client = aiosmtplib.SMTP(hostname=self._host, port=self._port, timeout=self._timeout,
                                 start_tls=self._starttls)
        try:
            async with asyncio.timeout(self._deadline):
                await _connect(client)
                await _hand_over(client, message)
        except MailNotSent:
            client.close()
            raise
        except TimeoutError as error:
            client.close()
            raise MailNotSent(DEADLINE_EXCEEDED) from error
        self._quit_later(client)
        return ACCEPTED

    def _quit_later(self, client: aiosmtplib.SMTP) -> None:
        """The server has the mail; closing politely must not widen the gap before it is marked sent."""
        task = asyncio.create_task(_quit(client))
        self._closing.add(task)
        task.add_done_callback(self._closing.discard)


async def _connect(client: aiosmtplib.SMTP) -> None:
    try:
        await client.connect()
    except (aiosmtplib.SMTPException, OSError) as error:
        raise MailNotSent(_failure(error, uncertain=False)) from error


def _message(mail: OutgoingMail) -> EmailMessage:
    """The MIME message, built before connecting: one that cannot be built (a line break in a header) fails
    for good, and is never tried again."""
    try:
        return email_message(mail, datetime.now(UTC))
    except (ValueError, TypeError, MessageError) as error:
        raise MailNotSent(NOT_BUILDABLE) from error


async def _hand_over(client: aiosmtplib.SMTP, message: EmailMessage) -> None:
    try:
        await client.send_message(message)
    except (aiosmtplib.SMTPException, OSError) as error:
        raise MailNotSent(_failure(error, uncertain=_reply_code(error) is None)) from error


async def _quit(client: aiosmtplib.SMTP) -> None:
    try:
        await client.quit()
    except (aiosmtplib.SMTPException, OSError):
        client.close()


def _failure(error: Exception, *, uncertain: bool) -> Failure:
    code = _reply_code(error)
    return Failure(code=code, error_class=type(error).__name__, permanent=code is not None and 500 <= code < 600,
                   uncertain=uncertain)


def _reply_code(error: Exception) -> int | None:
    if isinstance(error, aiosmtplib.SMTPRecipientsRefused) and error.recipients:
        return int(error.recipients[0].code)
    if isinstance(error, aiosmtplib.SMTPResponseException):
        return int(error.code)
    return None
