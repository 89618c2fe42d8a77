"""The registration desk of one edition: a whole batch of requests decided in order, in memory.

Each request names one registration; the desk applies it to the offer and to that registration, and
records the events it raises under the id of the command that caused them. A request whose command the
registration has applied before changes nothing and raises nothing: a batch consumed again is harmless.
A seat given up while people wait goes to the first of them at once, in queue order.
"""

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from koos_contracts import Event
from koos_contracts.registration import CancellationRefused, Consent, ConsentWithdrawalRefused, OptionalPurpose
from koos_contracts.values import Participant
from koos_registration.domain.offer import UNKNOWN_EDITION, Offer
from koos_registration.domain.registration import Registration


@dataclass(frozen=True)
class Register:
    """Register a person (the command's id, time and organisation come from its envelope)."""

    command_id: str
    at: datetime
    organisation_id: str
    registration_id: UUID
    participant: Participant
    consent: Consent | None = None


@dataclass(frozen=True)
class Cancel:
    """Cancel a registration or leave the line."""

    command_id: str
    at: datetime
    organisation_id: str
    registration_id: UUID


@dataclass(frozen=True)
class Withdraw:
    """Withdraw consent to optional uses of a registration's data."""

    command_id: str
    at: datetime
    organisation_id: str
    registration_id: UUID
    purposes: tuple[OptionalPurpose, ...]


Request = Register | Cancel | Withdraw


class LineNotLoaded(LookupError):
    """The desk must promote further down the line than the registrations it was given: load more."""


@dataclass
class Decided:
    """What a batch came to: the events of each command, in order, and the registrations it changed."""

    events: list[tuple[str, list[Event]]] = field(default_factory=list)
    changed: dict[str, Registration] = field(default_factory=dict)
    joined: dict[int, str] = field(default_factory=dict)

    def record(self, command_id: str, events: list[Event], registration: Registration | None = None) -> None:
        self.events.append((command_id, events))
        if registration is not None:
            self.changed[str(registration.registration_id)] = registration


@dataclass(frozen=True)
class Line:
    """The head of an offer's line as loaded: (queue number, registration) from `line_head` on, in order.

    `complete` tells whether it reaches the end of the line; if not, the desk asks for more when it must
    promote past what it was given.
    """

    head: Sequence[tuple[int, Registration]] = ()
    complete: bool = True


class Desk:
    """Decides requests for one offer, given the registrations they name and the head of the line."""

    def __init__(self, offer: Offer, known: dict[str, Registration], line: Line, now: datetime) -> None:
        self.offer = offer
        self._known = known
        self._line = line
        self._joined: list[tuple[int, Registration]] = []
        self._now = now
        self.decided = Decided()

    def decide(self, requests: Iterable[Request]) -> Decided:
        """Apply every request in order."""
        for request in requests:
            if isinstance(request, Register):
                self._register(request)
            elif isinstance(request, Withdraw):
                self._withdraw(request)
            else:
                self._cancel(request)
        self._advance_line_head()
        self._count_seats()
        return self.decided

    def _count_seats(self) -> None:
        """After a batch that decided anything, one fact tells how the seats and the line stand."""
        if not self.decided.events:
            return
        seats = self.offer.counted(sequence=self.offer.version + 1)
        command_id, events = self.decided.events[-1]
        self.decided.events[-1] = (command_id, [*events, seats])

    def _register(self, request: Register) -> None:
        if request.organisation_id != self.offer.organisation_id:
            self._refuse_stranger(request)
            return
        registration = self._known.get(str(request.registration_id)) or self._new(request)
        if registration.has_applied(request.command_id):
            return
        registration.note(request.command_id)
        refusal = self.offer.refusal_at(request.at, request.organisation_id)
        if registration.is_active:
            registration.unchanged()
        elif refusal is not None:
            registration.refuse(refusal)
        else:
            registration.participant, registration.consent = request.participant, request.consent
            self._seat_or_line(registration)
        self.decided.record(request.command_id, registration.take_events(), registration)

    def _seat_or_line(self, registration: Registration) -> None:
        if self.offer.take_seat():
            registration.confirm(self._now)
            return
        queue_number, position = self.offer.join_line()
        registration.waitlist(queue_number, position, self._now)
        self._joined.append((queue_number, registration))
        self.decided.joined[queue_number] = str(registration.registration_id)

    def _refuse_stranger(self, request: Register) -> None:
        """Another organisation's request learns nothing of this edition or of who registered for it."""
        stranger = Registration(request.registration_id, UUID(self.offer.edition_id), request.organisation_id,
                                request.participant)
        stranger.refuse(UNKNOWN_EDITION)
        self.decided.record(request.command_id, stranger.take_events())

    def _cancel(self, request: Cancel) -> None:
        registration = self._named(request, CancellationRefused, "new", "refused")
        if registration is not None:
            self.decided.record(request.command_id, self._cancelled(registration), registration)

    def _withdraw(self, request: Withdraw) -> None:
        registration = self._named(request, ConsentWithdrawalRefused, "new")
        if registration is not None:
            registration.withdraw_consent(request.purposes, self._now)
            self.decided.record(request.command_id, registration.take_events(), registration)

    def _named(self, request: Cancel | Withdraw, refused: type[CancellationRefused | ConsentWithdrawalRefused],
               *unknown: str) -> Registration | None:
        """The registration a request names, noted as applied; None when it was refused as unknown or applied."""
        registration = self._known.get(str(request.registration_id))
        if (registration is None or registration.organisation_id != request.organisation_id
                or registration.status in unknown):
            self.decided.record(request.command_id, [refused(
                registration_id=request.registration_id, edition_id=UUID(self.offer.edition_id),
                reason_code="unknown_registration", reason="no such registration")])
            return None
        if registration.has_applied(request.command_id):
            return None
        registration.note(request.command_id)
        return registration

    def _cancelled(self, registration: Registration) -> list[Event]:
        if not registration.is_active:
            registration.unchanged()
            return registration.take_events()
        was_seated = registration.status == "confirmed"
        registration.cancel(self._now)
        events = registration.take_events()
        if not was_seated:
            self.offer.leave_line()
        elif self.offer.free_seat():
            first = self._first_in_line()
            first.promote(self._now)
            events += first.take_events()
            self.decided.changed[str(first.registration_id)] = first
        return events

    def _first_in_line(self) -> Registration:
        for queue_number, candidate in self._in_queue_order():
            if candidate.waits_at(queue_number):
                return candidate
        raise LineNotLoaded(self.offer.edition_id)

    def _in_queue_order(self) -> Iterator[tuple[int, Registration]]:
        """The loaded head of the line, then (if it reached the end) those who joined in this batch."""
        yield from self._line.head
        if self._line.complete:
            yield from self._joined

    def _advance_line_head(self) -> None:
        """Queue numbers before the first one still waiting are never looked at again."""
        if self.offer.in_line == 0:
            self.offer.line_head = self.offer.next_queue_number
            return
        for queue_number, registration in self._in_queue_order():
            if registration.waits_at(queue_number):
                return
            self.offer.line_head = max(self.offer.line_head, queue_number + 1)

    def _new(self, request: Register) -> Registration:
        registration = Registration(request.registration_id, UUID(self.offer.edition_id), request.organisation_id,
                                    request.participant)
        self._known[str(request.registration_id)] = registration
        return registration
