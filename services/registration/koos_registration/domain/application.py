"""An institution's application to an edition, and the organiser's stage gate.

Applications are taken while the edition's registration window is open (the offer's window); nobody is admitted
by arriving first: once the window has closed, the organiser admits or declines each application. A decision is
final: the same decision again changes nothing, the other one is refused.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from koos_contracts.applications import (
    ApplicationAdmitted,
    ApplicationDecisionRefused,
    ApplicationDeclined,
    ApplicationStatus,
    ApplicationUnchanged,
    ApplyAsInstitution,
    InstitutionApplied,
)
from koos_contracts.base import Event
from koos_registration.domain.offer import Offer, Refusal


@dataclass
class Application:
    """`applied` is the InstitutionApplied event as received (institution, contacts, staff, motivation)."""

    applied: InstitutionApplied
    organisation_id: str
    status: ApplicationStatus = "applied"
    decided_at: datetime | None = None
    commands: list[str] = field(default_factory=list)
    version: int = 0
    events: list[Event] = field(default_factory=list)

    @classmethod
    def receive(cls, command: ApplyAsInstitution, organisation_id: str, at: datetime) -> "Application":
        applied = InstitutionApplied(edition_id=command.edition_id, application_id=command.application_id,
                                     institution=command.institution, contacts=command.contacts,
                                     staff=command.staff, motivation=command.motivation, applied_at=at)
        application = cls(applied, organisation_id)
        application.events.append(applied)
        return application

    def decide(self, admit: bool, offer: Offer, at: datetime) -> Event:
        """The decision's outcome; a decision that changes the state also lands in `events`."""
        wanted: ApplicationStatus = "admitted" if admit else "declined"
        a = self.applied
        if self.status == wanted:
            return ApplicationUnchanged(edition_id=a.edition_id, application_id=a.application_id, status=wanted)
        if self.status != "applied":
            return self._refused("decided", f"the application was {self.status} already")
        if at < offer.closes_at:
            return self._refused("window_open", f"applications are taken until {offer.closes_at.isoformat()}; "
                                                "decide after that")
        self.status, self.decided_at = wanted, at
        event: Event = (ApplicationAdmitted(edition_id=a.edition_id, application_id=a.application_id,
                                            institution=a.institution, contacts=a.contacts, applied_at=a.applied_at,
                                            admitted_at=at) if admit else
                        ApplicationDeclined(edition_id=a.edition_id, application_id=a.application_id,
                                            institution=a.institution, contacts=a.contacts, declined_at=at))
        self.events.append(event)
        return event

    def _refused(self, code: Any, reason: str) -> ApplicationDecisionRefused:
        return ApplicationDecisionRefused(edition_id=self.applied.edition_id,
                                          application_id=self.applied.application_id, reason_code=code, reason=reason)


def window_refusal(offer: Offer | None, organisation_id: str, at: datetime) -> Refusal | None:
    """Why an application made now is refused (unknown edition, window not open), if it is."""
    if offer is None:
        return Refusal("unknown_edition", "no edition with this id takes applications")
    return offer.refusal_at(at, organisation_id)
