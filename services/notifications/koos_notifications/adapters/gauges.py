"""The notifications' own operator gauges, sampled with the kit's: mail in doubt now, the most overdue reminder.

Two cheap queries every sample (on the Mongo-wire dev server each scans the collection, as the send loop's do).
"""

from collections.abc import Awaitable, Callable

from pymongo.asynchronous.collection import AsyncCollection

from koos_kit.clock import Clock
from koos_notifications.adapters.documents import Document
from koos_notifications.service_layer.metrics import IN_DOUBT_NOW, OLDEST_PENDING_REMINDER_SECONDS


def notification_gauges(notifications: AsyncCollection[Document], clock: Clock) -> Callable[[], Awaitable[None]]:
    """A sample for the kit's sampler: how many mails are in doubt, how long the oldest due reminder waits."""

    async def sample() -> None:
        now = clock.now()
        in_doubt = {"$or": [{"in_doubt": True}, {"status": "sending", "lease_until": {"$lte": now}}]}
        IN_DOUBT_NOW.set(await notifications.count_documents(in_doubt))
        oldest = await notifications.find_one(
            {"kind": "session_reminder", "status": "pending", "due_at": {"$lte": now}},
            {"due_at": 1}, sort=[("due_at", 1)])
        waited = (now - oldest["due_at"]).total_seconds() if oldest else 0.0
        OLDEST_PENDING_REMINDER_SECONDS.set(max(waited, 0.0))

    return sample
