"""Sending mails with aiosmtplib over kept connections: a connection that worked carries the next mail too.

Each mail takes a kept connection (or opens one; at most one per sender, as the send loop sends side by side)
and gives it back once the server accepted the mail; a failure closes it, and one idle for `IDLE_SECONDS` is
closed politely. The EHLO name is worked out once (`local_hostname`), not looked up for every connection.

The message is built before connecting: one that cannot be built (a line break in a header, from data written
before names were checked) fails for good, and is never tried again. The envelope (MAIL FROM, RCPT TO) goes
before the data: a failure there is certain (the server cannot hold the
mail), and on a kept connection that the server closed meanwhile the mail is tried once more on a new one. Once
the data went out, a failure with a reply code is certain too, and one without (a broken link, the deadline) is
`uncertain`: the server may hold the mail.
"""

import asyncio
import socket
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.errors import MessageError

import aiosmtplib

from koos_kit.tracing import SpanKind, span
from koos_notifications.adapters.messages import needs_smtputf8, sender_address, wire_bytes
from koos_notifications.domain.delivery import Failure
from koos_notifications.domain.mail import OutgoingMail
from koos_notifications.service_layer.mailing import Mailer, MailNotSent

ACCEPTED = 250
IDLE_SECONDS = 30.0
DEADLINE_BEFORE_DATA = Failure(code=None, error_class="SendDeadlineExceeded")
DEADLINE_EXCEEDED = Failure(code=None, error_class="SendDeadlineExceeded", uncertain=True)
NOT_BUILDABLE = Failure(code=None, error_class="MailNotBuildable", permanent=True)


@dataclass
class _Transaction:
    """One mail on its way: the bytes, the connection carrying it, whether the data went out yet."""

    mail: OutgoingMail
    raw: bytes
    client: aiosmtplib.SMTP | None = None
    data_sent: bool = False
    options: list[str] = field(default_factory=list)


class SmtpMailer(Mailer):
    """Hands each mail to the configured SMTP server within `deadline` seconds, over a kept connection if one is."""

    def __init__(self, host: str, port: int, *, timeout: float = 15.0, deadline: float | None = None,
                 starttls: bool = False, local_hostname: str = "") -> None:
        self._host = host
        self._port = port
        self._timeout = timeout
        self._deadline = deadline or 4 * timeout
        self._starttls = starttls
        self._local_hostname = local_hostname or socket.getfqdn()
        self._idle: list[tuple[aiosmtplib.SMTP, float]] = []

    async def send(self, mail: OutgoingMail) -> int:
        transaction = _Transaction(mail, _built(mail), options=["SMTPUTF8"] if needs_smtputf8(mail) else [])
        server = {"server.address": self._host, "server.port": self._port, "network.protocol.name": "smtp"}
        with span("smtp send", kind=SpanKind.CLIENT, attributes=server):
            return await self._sent(transaction)

    async def _sent(self, transaction: _Transaction) -> int:
        try:
            async with asyncio.timeout(self._deadline):
                await self._deliver(transaction)
        except TimeoutError as error:
            _discard(transaction.client)
            raise MailNotSent(DEADLINE_EXCEEDED if transaction.data_sent else DEADLINE_BEFORE_DATA) from error
        except MailNotSent:
            _discard(transaction.client)
            raise
        self._keep(transaction.client)
        return ACCEPTED

    async def close(self) -> None:
        idle, self._idle = self._idle, []
        await asyncio.gather(*(_quit(client) for client, _ in idle))

    async def _deliver(self, transaction: _Transaction) -> None:
        kept = await self._kept()
        if kept is not None:
            transaction.client = kept
            try:
                await _envelope(kept, transaction)
            except MailNotSent as refused:
                if refused.failure.code is not None:
                    raise
                _discard(kept)
                transaction.client = None
        if transaction.client is None:
            transaction.client = await self._connect()
            await _envelope(transaction.client, transaction)
        await _data(transaction.client, transaction)

    async def _kept(self) -> aiosmtplib.SMTP | None:
        """The connection used last, if still fresh; older ones are closed."""
        while self._idle:
            client, since = self._idle.pop()
            if client.is_connected and time.monotonic() - since < IDLE_SECONDS:
                return client
            await _quit(client)
        return None

    def _keep(self, client: aiosmtplib.SMTP | None) -> None:
        if client is not None and client.is_connected:
            self._idle.append((client, time.monotonic()))

    async def _connect(self) -> aiosmtplib.SMTP:
        client = aiosmtplib.SMTP(hostname=self._host, port=self._port, timeout=self._timeout,
                                 start_tls=self._starttls, local_hostname=self._local_hostname)
        try:
            await client.connect()
            if client.is_ehlo_or_helo_needed:
                await client.ehlo()
        except (aiosmtplib.SMTPException, OSError) as error:
            client.close()
            raise MailNotSent(_failure(error, uncertain=False)) from error
        return client


def _built(mail: OutgoingMail) -> bytes:
    try:
        return wire_bytes(mail, datetime.now(UTC))
    except (ValueError, TypeError, MessageError) as error:
        raise MailNotSent(NOT_BUILDABLE) from error


async def _envelope(client: aiosmtplib.SMTP, transaction: _Transaction) -> None:
    """MAIL FROM and RCPT TO: nothing of the mail has gone out yet."""
    encoding = "utf-8" if transaction.options else "ascii"
    try:
        await client.mail(sender_address(transaction.mail), options=transaction.options, encoding=encoding)
        await client.rcpt(transaction.mail.recipient.email, encoding=encoding)
    except (aiosmtplib.SMTPException, OSError) as error:
        raise MailNotSent(_failure(error, uncertain=False)) from error


async def _data(client: aiosmtplib.SMTP, transaction: _Transaction) -> None:
    transaction.data_sent = True
    try:
        await client.data(transaction.raw)
    except (aiosmtplib.SMTPException, OSError) as error:
        raise MailNotSent(_failure(error, uncertain=_reply_code(error) is None)) from error


def _discard(client: aiosmtplib.SMTP | None) -> None:
    if client is not None:
        client.close()


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
    return int(error.code) if isinstance(error, aiosmtplib.SMTPResponseException) else None
