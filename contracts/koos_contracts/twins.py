"""The `.dlq` and `.retry` twins of every topic: what their records carry besides the original one.

A dead letter and a retried record keep the original key, value and headers; the headers below say why and
where from. The kit writes them (`koos_kit.messaging.dead_letters`, `koos_kit.messaging.retry`); its tests
check that it writes exactly these.
"""

DEAD_LETTER_PREFIX = "koos_dlq_"
RETRY_PREFIX = "koos_retry_"

DEAD_LETTER_HEADERS: dict[str, str] = {
    "id": "The same id for the same source record however often it is set aside: readers can tell a repeat.",
    "reason": "Why it could not be processed, for a person to read (at most 2000 characters).",
    "error_type": "The kind of failure, e.g. MalformedRecord, InvalidMessage, OrganisationMismatch, "
                  "NotAPartnerCommand, UnknownMessageType, WaitedTooLong.",
    "source_topic": "The topic the record was read from.",
    "source_partition": "Its partition there (decimal).",
    "source_offset": "Its offset there (decimal).",
    "consumer": "The consumer group that set it aside.",
    "failed_at": "When, RFC 3339.",
}
"""Headers a dead letter adds to the original record's, without their `koos_dlq_` prefix."""

RETRY_HEADERS: dict[str, str] = {
    "attempt": "How many times the record has waited (1 on its first retry).",
    "due_at": "When it is tried again, in seconds since the epoch (decimal).",
    "reason": "Why it waits, e.g. its edition is not known yet.",
    "source": "Where it first came from: topic/partition/offset.",
}
"""Headers a retried record carries besides the original ones, without their `koos_retry_` prefix."""
