"""Mails of a juried selection: the institution's contacts hear of their application and the decisions, jurors
with unfinished assignments are reminded (only they), the selected are told and the others thanked, mentors
learn whom they mentor. Every mail is in its recipient's language."""

from collections.abc import Iterable
from typing import Any

from koos_contracts import Envelope, jury
from koos_contracts import applications as apps
from koos_contracts.identity import person_id_for
from koos_contracts.values import Participant, Person
from koos_kit.logging import get_logger
from koos_notifications.domain.notification import MailKind, Notification
from koos_notifications.domain.participant import ParticipantCopy, Recipient
from koos_notifications.service_layer.facts import cause_of
from koos_notifications.service_layer.ports import Ports

log = get_logger("koos.notifications.selections")


async def application_changed(event: apps.InstitutionApplied | apps.ApplicationAdmitted | apps.ApplicationDeclined,
                              envelope: Envelope, ports: Ports) -> None:
    """The contacts of an institution hear that its application arrived, was admitted or declined."""
    kind: MailKind = ("application_received" if isinstance(event, apps.InstitutionApplied) else
                      "application_admitted" if isinstance(event, apps.ApplicationAdmitted) else
                      "application_declined")
    people = [(c.person, str(event.application_id)) for c in event.contacts]
    await _mail(kind, people, event.edition_id, envelope, ports, institution=event.institution.name)


async def jurors_reminded(event: jury.JurorsReminded, envelope: Envelope, ports: Ports) -> None:
    """Each juror with unfinished assignments is reminded of how many remain; nobody else."""
    for due in event.due:
        await _mail("juror_reminder", [(due.juror, f"juror:{due.juror.person_id}")], event.edition_id, envelope,
                    ports, unfinished=len(due.unfinished))


async def selection_released(event: jury.SelectionReleased, envelope: Envelope, ports: Ports) -> None:
    """The selected are told, the others thanked, with their own scores and comments when they are shared."""
    for result in event.results:
        scores = [{"criterion": s.criterion, "value": s.value, "comment": s.comment.text if s.comment else None}
                  for s in result.scores]
        await _mail("selection_selected" if result.selected else "selection_thanked",
                    [(c.person, str(result.application_id)) for c in result.contacts], event.edition_id, envelope,
                    ports, institution=result.institution.name, rank=result.rank, scores=scores)


async def mentoring_started(event: jury.MentoringStarted, envelope: Envelope, ports: Ports) -> None:
    """Each mentor learns which institution they mentor, and for how long."""
    for pair in event.pairs:
        await _mail("mentor_assigned", [(pair.mentor, f"mentor:{pair.application_id}")], event.edition_id, envelope,
                    ports, institution=pair.institution_id, months=event.months)


async def _mail(kind: MailKind, people: Iterable[tuple[Person | Participant, str]], edition_id: object,
                envelope: Envelope, ports: Ports, **details: Any) -> None:
    now, cause = ports.clock.now(), cause_of(envelope)
    mails = [Notification.for_event(kind, _copy(person, about, str(edition_id), envelope.organisationid), cause, now,
                                    **details)
             for person, about in people]
    added = await ports.notifications.add(mails)
    log.info("selection mails", kind=kind, edition_id=str(edition_id), added=added)


def _copy(person: Person | Participant, about: str, edition_id: str, organisation_id: str) -> ParticipantCopy:
    person_id = person.person_id if isinstance(person, Participant) \
        else person.subject_id or person_id_for(organisation_id, person.email)
    return ParticipantCopy(registration_id=f"{about}:{person_id}", edition_id=edition_id,
                           organisation_id=organisation_id,
                           recipient=Recipient(person_id, str(person.email), person.name, person.language),
                           status="confirmed")
