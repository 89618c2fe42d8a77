"""Asking the mail provider whether it holds a message, by Message-ID, over its HTTP API."""

import httpx

from koos_kit.logging import get_logger
from koos_notifications.service_layer.mailing import DeliveryLookup

log = get_logger("koos.notifications.lookup")


class HttpDeliveryLookup(DeliveryLookup):
    """`GET {base_url}/messages?message_id=<id>` answering `{"count": n}`, as the Koos SMTP dev server does."""

    def __init__(self, base_url: str, *, timeout: float = 3.0) -> None:
        self._url = f"{base_url.rstrip('/')}/messages"
        self._timeout = timeout

    async def was_received(self, message_id: str) -> bool | None:
        try:
            async with httpx.AsyncClient(timeout=self._timeout) as client:
                answer = await client.get(self._url, params={"message_id": message_id})
            answer.raise_for_status()
            count = int(answer.json()["count"])
        except (httpx.HTTPError, ValueError, KeyError, TypeError) as error:
            log.warning("the provider could not say whether a mail arrived", error_type=type(error).__name__)
            return None
        return count > 0


class NoDeliveryLookup(DeliveryLookup):
    """No provider to ask: every mail in doubt is resent with its Message-ID (at-least-once)."""

    async def was_received(self, message_id: str) -> bool | None:
        return None
