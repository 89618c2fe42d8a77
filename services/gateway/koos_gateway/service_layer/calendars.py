"""iCalendar feeds: one per edition (public) and one per participant (their confirmed sessions)."""

from koos_gateway.domain.access import PARTICIPANT
from koos_gateway.domain.editions import EditionView, SessionView
from koos_gateway.domain.texts import localized
from koos_gateway.service_layer.authentication import authenticated
from koos_gateway.service_layer.editions import public_edition
from koos_gateway.service_layer.unit import Ports
from koos_kit.ical import CalendarEntry, calendar, session_uid


async def edition_feed(edition_id: str, language: str | None, base_url: str, ports: Ports) -> bytes:
    """Every session of a published edition, cancelled ones marked so."""
    edition = await public_edition(edition_id, ports)
    name = localized(edition.title, language)
    return calendar(entries(edition, language, base_url), name, stamped_at=ports.clock.now())


async def participant_feed(token: str, base_url: str, ports: Ports) -> bytes:
    """The sessions of every edition the token's participant holds a seat in, in their language."""
    caller = await authenticated(token, ports)
    caller.require(PARTICIPANT)
    registrations = [r for r in await ports.registrations.of_person(caller.organisation_id, caller.subject)
                     if r.status == "confirmed"]
    language = {r.edition_id: r.contact.language if r.contact else None for r in registrations}
    editions = await ports.editions.many(list(language))
    found = [entry for e in editions if e.organisation_id == caller.organisation_id
             for entry in entries(e, language[e.edition_id], base_url)]
    return calendar(found, "Koos", stamped_at=ports.clock.now())


def entries(edition: EditionView, language: str | None, base_url: str) -> list[CalendarEntry]:
    """Calendar entries of an edition's sessions; UIDs match the ones in notification mails."""
    return [_entry(edition, session, language, base_url) for session in edition.sessions]


def _entry(edition: EditionView, session: SessionView, language: str | None, base_url: str) -> CalendarEntry:
    title = localized(edition.title, language)
    if session.title:
        title = f"{title}: {localized(session.title, language)}"
    venue = session.venue
    return CalendarEntry(
        uid=session_uid(edition.edition_id, session.session_id), summary=title,
        starts_at=session.starts_at, ends_at=session.ends_at,
        location=f"{venue.name}, {venue.address}, {venue.city}",
        description=localized(edition.description, language), sequence=session.revision,
        status="CANCELLED" if session.status == "cancelled" else "CONFIRMED",
        url=f"{base_url.rstrip('/')}/v1/public/editions/{edition.edition_id}" if base_url else None)
