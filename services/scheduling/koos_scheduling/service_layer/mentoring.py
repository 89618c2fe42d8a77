"""The selected institutions moved into mentoring: plan their monthly sessions with their mentors, once."""

import asyncio
from zoneinfo import ZoneInfo

from koos_contracts import Envelope
from koos_contracts.jury import MentoringStarted
from koos_contracts.scheduling import MentoringPlanned, MentoringSession, MentoringUnmet
from koos_kit.errors import NotYet
from koos_kit.logging import get_logger
from koos_scheduling.domain.mentoring_sessions import Pair, monthly_sessions
from koos_scheduling.service_layer.handlers import Ports

log = get_logger("koos.scheduling.mentoring")


async def mentoring_started(event: MentoringStarted, envelope: Envelope, ports: Ports) -> None:
    """Monthly sessions for every pair, from the month after mentoring starts, in the programme's time zone."""
    edition_id = str(event.edition_id)
    if ports.mentoring is None or await ports.mentoring.planned(edition_id):
        return
    edition = await ports.editions.get(edition_id)
    if edition is None:
        raise NotYet("the edition is not known yet")
    if edition.organisation_id != envelope.organisationid:
        log.warning("mentoring of another organisation's edition ignored", edition_id=edition_id)
        return
    zone = edition.plan.timezone
    pairs = [Pair(str(p.application_id), p.institution_id, p.mentor.person_id) for p in event.pairs]
    starts_on = event.started_at.astimezone(ZoneInfo(zone)).date()
    sessions, answer = await asyncio.to_thread(monthly_sessions, pairs, starts_on, event.months, zone)
    planned = MentoringPlanned(
        edition_id=event.edition_id, months=event.months, status=answer.status,
        sessions=tuple(MentoringSession(application_id=s.application_id, mentor_id=s.mentor_id,
                                        starts_at=s.starts_at, ends_at=s.ends_at) for s in sessions),
        unmet=tuple(MentoringUnmet(application_id=u.team_id, missing=u.missing, code=u.code, reason=u.reason)
                    for u in answer.unmet))
    await ports.mentoring.add(edition_id, envelope.organisationid, ports.factory.caused_by(envelope, [planned]))
    log.info("mentoring planned", edition_id=edition_id, sessions=len(sessions), status=answer.status)
