"""The checks from the outside: the registrations topic, the registration store, the mailbox and the DLQ
twins against what the rush sent (and the lists it must have led to)."""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pymongo import AsyncMongoClient

from benchmarks.faults.mailbox import Mailbox
from benchmarks.faults.poison import DeadLetter, Poison
from benchmarks.faults.rush import EditionRush, Traffic
from benchmarks.faults.watch import Seen
from koos_contracts.catalogue import OUTCOME_TYPES
from koos_contracts.registration import (
    RegistrationCancelled,
    RegistrationConfirmed,
    RegistrationPromoted,
    RegistrationUnchanged,
    RegistrationWaitlisted,
)

FIRST = {"confirmed": RegistrationConfirmed.ce_type(), "waiting": RegistrationWaitlisted.ce_type()}
EFFECTS = (RegistrationConfirmed.ce_type(), RegistrationWaitlisted.ce_type(), RegistrationPromoted.ce_type(),
           RegistrationCancelled.ce_type())


@dataclass(frozen=True)
class Check:
    """One line of the table: what was measured, and whether it holds."""

    name: str
    value: str
    detail: str
    ok: bool


def commands(traffic: Traffic, events: Sequence[Seen]) -> list[Check]:
    """Every accepted command answered by exactly one outcome (by causation id; a republished event keeps its id)."""
    outcomes = Counter(e.causation for e in {e.id: e for e in events if e.type in OUTCOME_TYPES}.values())
    ids = [sent.command_id for sent in traffic.accepted]
    lost = sum(1 for c in ids if outcomes[c] == 0)
    twice = sum(1 for c in ids if outcomes[c] > 1)
    kinds = Counter(sent.kind for sent in traffic.accepted)
    return [
        Check("commands sent", f"{len(ids):,}", f"{kinds['sign-up']:,} sign-ups, {kinds['cancel']:,} cancellations "
              f"accepted by the gateway; {traffic.resent:,} requests sent again during faults, "
              f"{len(traffic.given_up)} given up", not traffic.given_up),
        Check("outcomes exactly once", f"{len(ids) - lost - twice:,}", f"{lost} without an outcome, {twice} with "
              "more than one", lost == 0 and twice == 0),
    ]


def effects(rushes: Sequence[EditionRush], events: Sequence[Seen]) -> list[Check]:
    """Each decision, promotion and cancellation published once (distinct event ids per registration and kind)."""
    applied = Counter((e.subject, e.type) for e in {e.id: e for e in events if e.type in EFFECTS}.values())
    expected: Counter[tuple[str, str]] = Counter()
    for rush in rushes:
        lists = rush.expected
        for registration, first in lists.first_decision.items():
            expected[registration, FIRST[first]] += 1
        expected.update((r, RegistrationPromoted.ce_type()) for r in lists.promoted)
        expected.update((r, RegistrationCancelled.ce_type()) for r in lists.cancelled)
    missing = sum(max(0, n - applied[key]) for key, n in expected.items())
    extra = sum(max(0, n - expected[key]) for key, n in applied.items())
    kinds = Counter(kind.split(".")[2].removeprefix("Registration") for _, kind in expected.elements())
    return [Check("effects applied exactly once", f"{sum(expected.values()) - missing:,} of {sum(expected.values()):,}",
                  ", ".join(f"{n:,} {k.lower()}" for k, n in sorted(kinds.items())) +
                  f"; {missing} missing, {extra} duplicated or unexpected", missing == 0 and extra == 0)]


async def store(mongo_url: str, database: str, rushes: Sequence[EditionRush]) -> list[Check]:
    """Registration's own records: no seat oversold, the seated, the line in its order, the cancelled."""
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(mongo_url, serverSelectionTimeoutMS=30_000)
    oversold = wrong_lists = wrong_line = 0
    seats = capacity = lines = 0
    try:
        for rush in rushes:
            documents = await client[database]["registrations"].find(
                {"edition_id": rush.edition_id}, {"status": 1, "queue_number": 1}).to_list(None)
            by_status: dict[str, list[dict[str, Any]]] = {}
            for document in documents:
                by_status.setdefault(document["status"], []).append(document)
            seated = {d["_id"] for d in by_status.get("confirmed", [])}
            line = [d["_id"] for d in sorted(by_status.get("waiting", []), key=lambda d: d["queue_number"])]
            cancelled = {d["_id"] for d in by_status.get("cancelled", [])}
            lists = rush.expected
            oversold += max(0, len(seated) - lists.capacity)
            lines += len(line)
            if not rush.probe:
                seats, capacity = seats + len(seated), capacity + lists.capacity
            wrong_lists += (seated != set(lists.seated)) + (cancelled != set(lists.cancelled))
            wrong_line += line != lists.line
    finally:
        await client.close()
    return [Check("seats never oversold", f"{oversold} oversold", f"{seats:,} seated for {capacity:,} seats; "
                  f"{wrong_lists} editions whose seated or cancelled differ from the requests' order",
                  oversold == 0 and wrong_lists == 0),
            Check("lines in order", f"{lines:,} waiting", f"{wrong_line} of {len(rushes)} lines differ from the "
                  "order of sign-ups (promotions from the head)", wrong_line == 0)]


def mails(mailbox: Mailbox, rushes: Sequence[EditionRush], events: Sequence[Seen]) -> list[Check]:
    """One mail per cause: no Message-ID twice, and every person the mails their story calls for — with their
    links mailed again once when a sign-up was repeated (a request sent again after a fault that had got through)."""
    twice = sum(n - 1 for n in mailbox.per_message_id().values() if n > 1)
    received = mailbox.per_recipient()
    repeated = {e.subject for e in events if e.type == RegistrationUnchanged.ce_type() and e.status != "cancelled"}
    wanted = {email: rush.expected.mails(r) + (r in repeated) for rush in rushes for r, email in rush.people.items()}
    missing = sum(max(0, n - len(received.get(email, ()))) for email, n in wanted.items())
    extra = sum(max(0, len(ids) - wanted.get(email, 0)) for email, ids in received.items())
    total = sum(wanted.values())
    after_repeat = sum(email in {e for rush in rushes for r, e in rush.people.items() if r in repeated}
                       for email, n in wanted.items() if n > len(received.get(email, ())))
    return [Check("mails exactly once per cause", f"{total - missing:,} of {total:,}",
                  f"by Message-ID in the dev mailbox: {twice} sent twice, {missing} missing ({after_repeat} of the "
                  f"people short of a mail had repeated a sign-up), {extra} unexpected",
                  twice == 0 and missing == 0 and extra == 0)]


def poison(sent: Sequence[Poison], letters: Sequence[DeadLetter]) -> list[Check]:
    """Every poison record dead-lettered once, with a reason."""
    ids: dict[str, set[str]] = {}
    reasons: dict[str, str] = {}
    for letter in letters:
        ids.setdefault(letter.tag, set()).add(letter.dead_letter_id)
        reasons[letter.tag] = reasons.get(letter.tag) or letter.reason
    missing = [p for p in sent if p.tag not in ids]
    twice = sum(1 for p in sent if len(ids.get(p.tag, ())) > 1)
    unexplained = sum(1 for p in sent if p.tag in ids and not reasons[p.tag])
    families = Counter(p.family for p in sent)
    lost = Counter(p.family for p in missing)
    return [Check("poison in the DLQ with a reason", f"{len(sent) - len(missing):,} of {len(sent):,}",
                  (", ".join(f"{f} {families[f] - lost[f]}/{families[f]}" for f in sorted(families)) or "none sent") +
                  f"; {twice} dead-lettered twice, {unexplained} without a reason",
                  not missing and twice == 0 and unexplained == 0)]
