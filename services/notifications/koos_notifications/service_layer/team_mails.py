"""Team facts: every member of a team hears, in their own language, that it applied, was accepted, waits or was
declined; a refused application is explained to its lead; a replaced member and the new one are told.

A programme is kept like an edition without sessions (its title and time zone), so team mails go the way every
mail goes. A mail's id follows from the event and the member, so an event consumed again mails nobody twice.
Workshop days come from scheduling and teams from registration, on topics of their own, so a day can be read
before the team it concerns: each day is kept, and members known later (an accepted team, a newcomer) are told the
days kept so far, under the same mail ids as if they had been known in time.
"""

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from koos_contracts import Envelope
from koos_contracts.programmes import ProgrammeDrafted, WorkshopDated
from koos_contracts.teams import (
    Member,
    TeamAccepted,
    TeamApplied,
    TeamDeclined,
    TeamMemberReplaced,
    TeamProgrammeDefined,
    TeamRefused,
    TeamWaitlisted,
)
from koos_contracts.values import Participant
from koos_kit.logging import get_logger
from koos_notifications.domain.edition import DatedWorkshop, EditionCopy, OutsideDateCopy
from koos_notifications.domain.notification import MailKind, Notification
from koos_notifications.domain.outside_dates import outside_date_reminders
from koos_notifications.domain.participant import ParticipantChange, ParticipantCopy, Recipient
from koos_notifications.service_layer.facts import cause_of
from koos_notifications.service_layer.ports import Ports

log = get_logger("koos.notifications.teams")

_NO_PROGRAMME = EditionCopy(edition_id="", organisation_id="", title={}, timezone="Europe/Tallinn", sessions=(),
                            reminder_offsets_minutes=())
DECIDED: dict[type, MailKind] = {TeamAccepted: "team_accepted", TeamWaitlisted: "team_waitlisted",
                                 TeamDeclined: "team_declined"}


async def programme_defined(event: TeamProgrammeDefined, envelope: Envelope, ports: Ports) -> None:
    """Keep what mails say of the programme: its title and time zone."""
    title = {str(language): text for language, text in event.title.items()}
    await ports.editions.add(EditionCopy(edition_id=str(event.programme_id), organisation_id=envelope.organisationid,
                                         title=title, timezone=event.timezone, sessions=(),
                                         reminder_offsets_minutes=()))


async def programme_drafted(event: ProgrammeDrafted, envelope: Envelope, ports: Ports) -> None:
    """Keep the programme's outside dates, to remind the members of the teams accepted later."""
    title = {str(language): text for language, text in event.title.items()}
    dates = tuple(OutsideDateCopy(d.key, {str(k): v for k, v in d.name.items()}, d.on, tuple(d.remind_days_before))
                  for d in event.outside_dates)
    await ports.editions.keep_outside_dates(EditionCopy(
        edition_id=str(event.programme_id), organisation_id=envelope.organisationid, title=title,
        timezone=event.timezone, sessions=(), reminder_offsets_minutes=(), outside_dates=dates))


async def team_applied(event: TeamApplied, envelope: Envelope, ports: Ports) -> None:
    """Every member hears that the team applied, and who leads it."""
    lead = next((m.participant.name for m in event.members if m.participant.person_id == event.lead_person_id), "")
    await _mail(_people(event.members), "team_applied", event.team_id, event.programme_id, envelope, ports,
                team=event.name, ngo=event.ngo, lead=lead, team_members=_names(event.members))


async def team_refused(event: TeamRefused, envelope: Envelope, ports: Ports) -> None:
    """The lead hears why the application was refused (every broken rule)."""
    if event.lead is None:
        return
    reasons = [b.reason for b in event.breaches] or [event.reason]
    await _mail([event.lead], "team_refused", event.team_id, event.programme_id, envelope, ports, reasons=reasons)


async def team_decided(event: TeamAccepted | TeamWaitlisted | TeamDeclined, envelope: Envelope, ports: Ports) -> None:
    """Every member hears the organiser's decision."""
    await _mail(_people(event.members), DECIDED[type(event)], event.team_id, event.programme_id, envelope, ports,
                note=event.note, team_members=_names(event.members))
    copies = [_copy(m.participant, str(event.team_id), str(event.programme_id), envelope) for m in event.members]
    accepted = isinstance(event, TeamAccepted)
    await ports.participants.apply([ParticipantChange(c.registration_id, envelope.id, c if accepted else None)
                                    for c in copies])
    if isinstance(event, TeamAccepted):
        await _remind_outside_dates(event, envelope, ports)
        await _tell_days_kept(copies, str(event.programme_id), ports)


async def workshop_dated(event: WorkshopDated, envelope: Envelope, ports: Ports) -> None:
    """Every member of an accepted team hears the workshop's day, with a calendar entry."""
    workshop, now, cause = event.workshop, ports.clock.now(), cause_of(envelope)
    if workshop.day is None:
        return
    zone = ZoneInfo((await ports.editions.get(str(event.programme_id)) or _NO_PROGRAMME).timezone)
    details = {"workshop_key": workshop.key, "workshop_title": {str(k): v for k, v in workshop.title.items()},
               "starts_at": datetime.combine(workshop.day, workshop.start, zone),
               "ends_at": datetime.combine(workshop.day, workshop.end, zone), "venue": workshop.venue.model_dump(),
               "blocks": [f"{b.start:%H:%M}–{b.end:%H:%M} {b.kind}" for b in workshop.blocks],
               "first_dating": event.previous_day is None}
    dated = DatedWorkshop(workshop.key, cause, details)
    await ports.editions.keep_dated_workshop(str(event.programme_id), dated)
    members = await ports.participants.confirmed_in(str(event.programme_id))
    added = await ports.notifications.add(_days_told([dated], members, now))
    log.info("workshop day told", programme_id=str(event.programme_id), members=len(members), added=added)


async def _tell_days_kept(members: Sequence[ParticipantCopy], programme_id: str, ports: Ports) -> None:
    """Members known only now hear of the workshop days dated before."""
    days = await ports.editions.dated_workshops(programme_id)
    if days and members:
        added = await ports.notifications.add(_days_told(days, members, ports.clock.now()))
        log.info("workshop days told to new members", programme_id=programme_id, members=len(members), added=added)


def _days_told(days: Sequence[DatedWorkshop], members: Sequence[ParticipantCopy], now: datetime) -> list[Notification]:
    return [Notification.for_event("workshop_dated", m, day.cause, now, **day.details) for day in days for m in members]


async def _remind_outside_dates(event: TeamAccepted, envelope: Envelope, ports: Ports) -> None:
    programme = await ports.editions.get(str(event.programme_id))
    if programme is None or not programme.outside_dates:
        return
    now = ports.clock.now()
    reminders = [reminder for m in event.members
                 for reminder in outside_date_reminders(programme, _copy(m.participant, str(event.team_id),
                                                                         str(event.programme_id), envelope),
                                                        envelope.correlationid, now)]
    added = await ports.notifications.add(reminders)
    log.info("outside dates reminders planned", programme_id=str(event.programme_id), added=added)


async def member_replaced(event: TeamMemberReplaced, envelope: Envelope, ports: Ports) -> None:
    """The new member is welcomed (and takes the other's place in an accepted team); the one who left hears so."""
    left = _copy(event.left.participant, str(event.team_id), str(event.programme_id), envelope)
    known = await ports.participants.get(left.registration_id)
    if known is not None and known.is_confirmed:
        await ports.participants.cancel(left.registration_id, envelope.id)
        joined = _copy(event.joined.participant, str(event.team_id), str(event.programme_id), envelope)
        await ports.participants.record(joined, envelope.id)
        await _tell_days_kept([joined], str(event.programme_id), ports)
    await _mail([event.joined.participant], "team_member_joined", event.team_id, event.programme_id, envelope, ports,
                team_members=_names(event.members))
    await _mail([event.left.participant], "team_member_left", event.team_id, event.programme_id, envelope, ports)


async def _mail(recipients: Sequence[Participant], kind: MailKind, team_id: object, programme_id: object,
                envelope: Envelope, ports: Ports, **details: Any) -> None:
    now, cause = ports.clock.now(), cause_of(envelope)
    notices = [Notification.for_event(kind, _copy(person, str(team_id), str(programme_id), envelope), cause,
                                      now, **details) for person in recipients]
    added = await ports.notifications.add(notices)
    log.info("team members told", kind=kind, programme_id=str(programme_id), members=len(notices), added=added)


def _copy(person: Participant, team_id: str, programme_id: str, envelope: Envelope) -> ParticipantCopy:
    recipient = Recipient(person_id=person.person_id, email=str(person.email), name=person.name,
                          language=person.language)
    return ParticipantCopy(registration_id=f"team:{team_id}:{person.person_id}", edition_id=programme_id,
                           organisation_id=envelope.organisationid, recipient=recipient, status="confirmed")


def _people(members: Sequence[Member]) -> list[Participant]:
    return [m.participant for m in members]


def _names(members: Sequence[Member]) -> list[str]:
    return [m.participant.name for m in members]
