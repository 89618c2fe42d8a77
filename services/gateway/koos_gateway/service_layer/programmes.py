"""Programmes: an organiser drafts one and moves it through its lifecycle; staff read it and its calendar."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from koos_contracts import Envelope
from koos_contracts.programmes import (
    AdvanceProgramme,
    DateWorkshop,
    DraftProgramme,
    PlanWorkshops,
    ProgrammeAdvanced,
    ProgrammeDrafted,
    WorkshopDated,
    WorkshopPlan,
    WorkshopsPlanned,
)
from koos_contracts.values import Language
from koos_gateway.domain.access import ORGANISER, Caller
from koos_gateway.domain.commands import CommandRecord
from koos_gateway.domain.errors import NotFound, Refused
from koos_gateway.domain.programmes import ProgrammeView
from koos_gateway.service_layer import commands
from koos_gateway.service_layer.outcomes import settle
from koos_gateway.service_layer.unit import Ports
from koos_kit.ical import CalendarEntry, calendar, workshop_uid


@dataclass(frozen=True)
class ProgrammeAnswer:
    """The command sent and, once it succeeded, the programme as it then stands."""

    command: CommandRecord
    programme: ProgrammeView | None


async def draft(command: DraftProgramme, caller: Caller, correlation_id: str, ports: Ports) -> ProgrammeAnswer:
    """An organiser drafts a programme."""
    caller.require(ORGANISER)
    return await _send(command, caller, correlation_id, str(command.programme_id), ports)


async def plan_workshops(command: PlanWorkshops | DateWorkshop, caller: Caller, correlation_id: str,
                         ports: Ports) -> ProgrammeAnswer:
    """An organiser sets the workshops, or gives one its day (members are told)."""
    caller.require(ORGANISER)
    await visible_programme(str(command.programme_id), caller, ports)
    return await _send(command, caller, correlation_id, str(command.programme_id), ports)


async def advance(command: AdvanceProgramme, caller: Caller, correlation_id: str, ports: Ports) -> ProgrammeAnswer:
    """An organiser moves a programme on; a step out of order is refused with scheduling's reason."""
    caller.require(ORGANISER)
    await visible_programme(str(command.programme_id), caller, ports)
    return await _send(command, caller, correlation_id, str(command.programme_id), ports)


async def visible_programme(programme_id: str, caller: Caller, ports: Ports) -> ProgrammeView:
    """A programme of the caller's organisation."""
    caller.require_staff_or_partner()
    programme = await ports.programmes.get(programme_id)
    if programme is None or not caller.belongs_to(programme.organisation_id):
        raise NotFound("no such programme")
    return programme


async def feed(programme_id: str, language: str | None, ports: Ports) -> bytes:
    """The programme's phases and outside dates as an iCalendar feed (whole days in its time zone)."""
    programme = await ports.programmes.get(programme_id)
    if programme is None:
        raise NotFound("no such programme")
    drafted, lang = programme.drafted, language or "en"
    title = _in(drafted.title, lang)
    entries = [_day_entry(programme, f"phase-{p.key}", f"{title}: {_in(p.name, lang)}", p.starts_on, p.ends_on,
                          _in(p.goals, lang)) for p in drafted.phases]
    entries += [_day_entry(programme, f"date-{d.key}", _in(d.name, lang), d.on, d.on, title)
                for d in drafted.outside_dates]
    entries += [workshop_entry(programme.programme_id, drafted.timezone, w, title, lang)
                for w in programme.workshops if w.day is not None]
    return calendar(entries, title, stamped_at=ports.clock.now())


async def programme_drafted(event: ProgrammeDrafted, envelope: Envelope, ports: Ports) -> None:
    """A drafted programme becomes visible."""
    await ports.programmes.save(ProgrammeView(envelope.organisationid, event), envelope.id)
    await settle(envelope, event, ports)


async def programme_advanced(event: ProgrammeAdvanced, envelope: Envelope, ports: Ports) -> None:
    """A programme reached its next stage."""
    programme = await ports.programmes.get(str(event.programme_id))
    if programme is not None:
        await ports.programmes.save(replace(programme, stage=event.stage), envelope.id)
    await settle(envelope, event, ports)


async def workshops_planned(event: WorkshopsPlanned, envelope: Envelope, ports: Ports) -> None:
    """The programme's workshops, as planned."""
    await _with_workshops(event, envelope, ports, lambda _: event.workshops)


async def workshop_dated(event: WorkshopDated, envelope: Envelope, ports: Ports) -> None:
    """A workshop got its day."""
    await _with_workshops(event, envelope, ports, lambda workshops: tuple(
        event.workshop if w.key == event.workshop.key else w for w in workshops))


def workshop_entry(programme_id: str, timezone: str, workshop: WorkshopPlan, title: str,
                   language: str) -> CalendarEntry:
    """A dated workshop as a calendar entry, its blocks and topics in the description."""
    assert workshop.day is not None
    zone = ZoneInfo(timezone)
    blocks = "\n".join(f"{b.start:%H:%M}–{b.end:%H:%M} {b.kind}" for b in workshop.blocks)
    topics = _in(workshop.topics, language) if workshop.topics else ""
    venue = workshop.venue
    summary = f"{title}: {_in(workshop.title, language)}"
    return CalendarEntry(uid=workshop_uid(programme_id, workshop.key), summary=summary,
                         starts_at=datetime.combine(workshop.day, workshop.start, zone),
                         ends_at=datetime.combine(workshop.day, workshop.end, zone),
                         location=", ".join((venue.name, venue.address, venue.city)),
                         description="\n\n".join(part for part in (topics, blocks) if part))


async def _with_workshops(event: WorkshopsPlanned | WorkshopDated, envelope: Envelope, ports: Ports,
                          change: Callable[[tuple[WorkshopPlan, ...]], tuple[WorkshopPlan, ...]]) -> None:
    programme = await ports.programmes.get(str(event.programme_id))
    if programme is not None:
        await ports.programmes.save(replace(programme, workshops=change(programme.workshops)), envelope.id)
    await settle(envelope, event, ports)


ProgrammeCommand = DraftProgramme | AdvanceProgramme | PlanWorkshops | DateWorkshop


async def _send(command: ProgrammeCommand, caller: Caller, correlation_id: str, programme_id: str,
                ports: Ports) -> ProgrammeAnswer:
    record = await commands.send(command, caller, correlation_id, f"/v1/programmes/{programme_id}", ports)
    record = await commands.outcome(record, ports.policy.command_wait_seconds, ports)
    if record.status == "refused":
        raise Refused(record.reason or "refused", code="programme_refused")
    programme = await ports.programmes.get(programme_id) if record.status == "succeeded" else None
    return ProgrammeAnswer(record, programme)


def _day_entry(programme: ProgrammeView, key: str, summary: str, first: date, last: date,
               description: str) -> CalendarEntry:
    zone = ZoneInfo(programme.drafted.timezone)
    starts = datetime.combine(first, time(0), zone)
    ends = datetime.combine(last, time(0), zone) + timedelta(days=1)
    return CalendarEntry(uid=f"{programme.programme_id}-{key}@koos", summary=summary, starts_at=starts, ends_at=ends,
                         location="", description=description)


def _in(texts: Mapping[Language, str], language: str) -> str:
    by_name = {str(key): text for key, text in texts.items()}
    return by_name.get(language) or by_name.get("en") or next(iter(by_name.values()), "")
