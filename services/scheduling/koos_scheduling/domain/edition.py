"""An edition of a programme: its published plan and its sessions over time."""

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from koos_contracts import Event
from koos_contracts.scheduling import (
    CancelSession,
    EditionPublished,
    MarkSessionHeld,
    PublishEdition,
    RescheduleSession,
    SessionCancelled,
    SessionEnded,
    SessionRescheduled,
)
from koos_scheduling.domain.errors import ScheduleRefused
from koos_scheduling.domain.rules import check_schedule
from koos_scheduling.domain.session import Session, local_instant

HELD_AT_THE_EARLIEST = timedelta(days=1)
"""How long before its start a session may be marked held (the day it takes place, whatever the time zone)."""


@dataclass
class Edition:
    """An edition's plan, its sessions, and the events its changes raised."""

    plan: PublishEdition
    organisation_id: str
    sessions: list[Session]
    version: int = 0
    applied: list[str] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)

    @classmethod
    def publish(cls, plan: PublishEdition, organisation_id: str, command_id: str = "") -> "Edition":
        """A new edition, if its plan keeps the rules; it remembers the command that published it."""
        sessions = [Session.from_plan(s, plan.timezone) for s in plan.sessions]
        check_schedule(sessions, plan.starts_on, plan.ends_on, plan.timezone)
        if plan.registration_closes_at <= plan.registration_opens_at:
            raise ScheduleRefused("registration must close after it opens")
        edition = cls(plan=plan, organisation_id=organisation_id, sessions=sessions)
        edition.note(command_id)
        edition.events.append(edition.published_event())
        return edition

    def has_applied(self, command_id: str) -> bool:
        """Whether a command was applied to this edition before (it is then consumed again, not new)."""
        return command_id in self.applied

    def note(self, command_id: str) -> None:
        """Remember an applied command (the last 50)."""
        if command_id:
            self.applied = [*self.applied, command_id][-50:]

    @property
    def edition_id(self) -> str:
        return str(self.plan.edition_id)

    def published_event(self) -> EditionPublished:
        """The edition as published, with its sessions as they stand now."""
        fields = self.plan.model_dump(exclude={"sessions"})
        return EditionPublished(**fields, sessions=tuple(s.as_contract() for s in self.sessions if s.is_active))

    def reschedule(self, command: RescheduleSession, now: datetime) -> None:
        """Move a session, keeping the rules; every participant will be told."""
        session = self._changeable_session(command.session_id, now)
        tz = self.plan.timezone
        moved = session.moved(local_instant(command.date, command.start, tz),
                              local_instant(command.date, command.end, tz), command.venue or session.venue)
        candidate = [moved if s.session_id == session.session_id else s for s in self.sessions]
        check_schedule(candidate, self.plan.starts_on, self.plan.ends_on, tz)
        self.sessions = candidate
        self.events.append(SessionRescheduled(
            edition_id=self.plan.edition_id, session_id=session.session_id, starts_at=moved.starts_at,
            ends_at=moved.ends_at, venue=moved.venue, previous_starts_at=session.starts_at,
            previous_ends_at=session.ends_at, previous_venue=session.venue))

    def cancel_session(self, command: CancelSession, now: datetime) -> None:
        """Cancel a session that has not ended."""
        session = self._changeable_session(command.session_id, now)
        self._replace(replace(session, status="cancelled"))
        self.events.append(SessionCancelled(edition_id=self.plan.edition_id, session_id=session.session_id,
                                            starts_at=session.starts_at, reason=command.reason))

    def end_sessions_due(self, now: datetime) -> None:
        """Mark every session whose end has passed as ended, saying which one was the last."""
        for session in sorted(self._due_to_end(now), key=lambda s: s.ends_at):
            self._replace(replace(session, ended=True))
            self.events.append(SessionEnded(edition_id=self.plan.edition_id, session_id=session.session_id,
                                            ended_at=session.ends_at, last_of_edition=self._all_ended()))

    def mark_held(self, command: MarkSessionHeld, now: datetime) -> None:
        """End a session (and any earlier one still open) now; closing the edition cancels every later session."""
        session = next((s for s in self.sessions if s.session_id == command.session_id), None)
        if session is None:
            raise ScheduleRefused(f"edition has no session {command.session_id}")
        if not session.is_active:
            raise ScheduleRefused(f"session {command.session_id} is cancelled")
        if session.starts_at - now > HELD_AT_THE_EARLIEST:
            raise ScheduleRefused(f"session {command.session_id} starts {session.starts_at.isoformat()}, more than a "
                                  "day from now; it can be marked held from a day before it starts")
        if session.ended and not command.closes_edition:
            raise ScheduleRefused(f"session {command.session_id} has ended already")
        if command.closes_edition:
            self._cancel_after(session)
        earlier = [s for s in self.sessions if s.is_active and not s.ended and s.starts_at <= session.starts_at]
        for held in sorted(earlier, key=lambda s: s.starts_at) or [session]:
            self._replace(replace(held, ended=True))
            self.events.append(SessionEnded(edition_id=self.plan.edition_id, session_id=held.session_id,
                                            ended_at=now, last_of_edition=self._all_ended()))

    def _cancel_after(self, last: Session) -> None:
        for later in [s for s in self.sessions if s.is_active and not s.ended and s.starts_at > last.starts_at]:
            self._replace(replace(later, status="cancelled"))
            self.events.append(SessionCancelled(edition_id=self.plan.edition_id, session_id=later.session_id,
                                                starts_at=later.starts_at, reason=None))

    def next_end_due(self) -> datetime | None:
        """When the next active session ends, if any is still to end."""
        pending = [s.ends_at for s in self.sessions if s.is_active and not s.ended]
        return min(pending, default=None)

    def _due_to_end(self, now: datetime) -> list[Session]:
        return [s for s in self.sessions if s.is_active and not s.ended and s.ends_at <= now]

    def _all_ended(self) -> bool:
        return all(s.ended for s in self.sessions if s.is_active)

    def _changeable_session(self, session_id: str, now: datetime) -> Session:
        session = next((s for s in self.sessions if s.session_id == session_id), None)
        if session is None:
            raise ScheduleRefused(f"edition has no session {session_id}")
        if not session.is_active:
            raise ScheduleRefused(f"session {session_id} is cancelled")
        if session.ended or session.starts_at <= now:
            raise ScheduleRefused(f"session {session_id} has already started")
        return session

    def _replace(self, session: Session) -> None:
        self.sessions = [session if s.session_id == session.session_id else s for s in self.sessions]
