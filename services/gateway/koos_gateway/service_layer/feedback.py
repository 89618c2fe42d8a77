"""Use cases about feedback: participants answer, organisers read the results."""

from collections.abc import Mapping
from uuid import UUID

from koos_contracts.evaluation import SubmitFeedback
from koos_gateway.domain.access import ORGANISER, PARTICIPANT, TRAINER, Caller
from koos_gateway.domain.commands import CommandRecord
from koos_gateway.domain.errors import NotFound, Refused
from koos_gateway.domain.surveys import SurveyForm, SurveyResultsView
from koos_gateway.service_layer import commands
from koos_gateway.service_layer.editions import visible_edition
from koos_gateway.service_layer.unit import Ports


async def submit(edition_id: str, ratings: Mapping[str, int], comment: str | None, caller: Caller,
                 correlation_id: str, wait: float, ports: Ports) -> CommandRecord:
    """A participant's answers, sent to evaluation; with `wait`, the answer of evaluation too."""
    caller.require(PARTICIPANT)
    await visible_edition(edition_id, caller, ports)
    command = SubmitFeedback(edition_id=UUID(edition_id), person_id=caller.subject, ratings=dict(ratings),
                             comment=comment)
    record = await commands.send(command, caller, correlation_id, f"/v1/editions/{edition_id}/feedback", ports)
    if wait > 0:
        record = await commands.outcome(record, wait, ports)
    if record.status == "refused":
        raise Refused(record.reason or "feedback refused", code="feedback_refused")
    return record


async def results(edition_id: str, caller: Caller, ports: Ports) -> SurveyResultsView:
    """The newest results of an edition's survey."""
    caller.require(ORGANISER, TRAINER)
    await visible_edition(edition_id, caller, ports)
    found = await ports.surveys.latest(edition_id)
    if found is None or not caller.belongs_to(found.organisation_id):
        raise NotFound("no feedback results for this edition yet")
    return found


async def form(edition_id: str, caller: Caller, ports: Ports) -> SurveyForm:
    """The questions of an edition's open survey, for a participant to answer."""
    caller.require(PARTICIPANT)
    await visible_edition(edition_id, caller, ports)
    found = await ports.surveys.form(edition_id)
    if found is None or not caller.belongs_to(found.organisation_id):
        raise NotFound("this edition's survey is not open")
    return found
