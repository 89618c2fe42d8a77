"""Read models of applications and juries, built from registration's and evaluation's events; outcomes settle
the commands that caused them."""

from typing import Any

from koos_contracts import Envelope, jury
from koos_contracts import applications as apps
from koos_contracts.base import Event
from koos_contracts.scheduling import MentoringPlanned
from koos_gateway.service_layer.outcomes import settle
from koos_gateway.service_layer.selections import selections_of
from koos_gateway.service_layer.unit import Ports

STATUS = {apps.InstitutionApplied: "applied", apps.ApplicationAdmitted: "admitted",
          apps.ApplicationDeclined: "declined"}
JuryFact = (jury.JuryDefined | jury.JuryAssigned | jury.SelectionProposed | jury.SelectionReleased
            | jury.MentoringStarted | jury.JurorsReminded | MentoringPlanned)
KINDS: dict[type[Event], str] = {
    jury.JuryDefined: "definition", jury.JuryAssigned: "assignment", jury.SelectionProposed: "proposal",
    jury.SelectionReleased: "release", jury.MentoringStarted: "mentoring", jury.JurorsReminded: "reminded",
    MentoringPlanned: "sessions"}


async def application_changed(event: apps.InstitutionApplied | apps.ApplicationAdmitted | apps.ApplicationDeclined,
                              envelope: Envelope, ports: Ports) -> None:
    """An application was received, admitted or declined."""
    fields: dict[str, Any] = {"status": STATUS[type(event)]}
    if isinstance(event, apps.InstitutionApplied):
        fields |= event.model_dump(mode="json", exclude={"edition_id", "application_id"})
    await selections_of(ports).application(str(event.edition_id), envelope.organisationid, str(event.application_id),
                                    fields)
    await settle(envelope, event, ports)


async def milestone_recorded(event: jury.MilestoneRecorded, envelope: Envelope, ports: Ports) -> None:
    """Keep each institution's milestones with their reports."""
    await selections_of(ports).record(str(event.edition_id), envelope.organisationid,
                                      f"milestones.{event.application_id}.{event.milestone}",
                                      event.model_dump(mode="json", exclude={"edition_id"}))
    await settle(envelope, event, ports)


async def jury_fact(event: JuryFact, envelope: Envelope, ports: Ports) -> None:
    """Keep the newest fact of its kind about an edition's jury."""
    await selections_of(ports).record(str(event.edition_id), envelope.organisationid, KINDS[type(event)],
                               event.model_dump(mode="json", exclude={"edition_id"}))
    await settle(envelope, event, ports)

