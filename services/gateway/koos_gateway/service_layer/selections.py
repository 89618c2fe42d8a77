"""Use cases of a juried selection: institutions apply, the organiser admits, defines the jury, closes scoring
and releases; jurors score their assignments. Each sends one command and waits a bounded time for its outcome."""

from typing import Any
from uuid import UUID

from koos_contracts import Command, jury
from koos_contracts import applications as apps
from koos_gateway.domain.access import JUROR, MENTOR, ORGANISER, Caller
from koos_gateway.domain.commands import CommandRecord
from koos_gateway.domain.errors import NotFound, Refused
from koos_gateway.service_layer import commands
from koos_gateway.service_layer.editions import public_edition, registration_ready, visible_edition
from koos_gateway.service_layer.ports import SelectionReadModel
from koos_gateway.service_layer.unit import Ports

APPLICANT = "applicant"
FACTS = ("definition", "assignment", "proposal", "release", "mentoring", "sessions", "milestones")


async def apply(edition_id: str, body: dict[str, Any], correlation_id: str, wait: float,
                ports: Ports) -> tuple[str, CommandRecord]:
    """An institution applies to a published edition (the window is registration's to judge)."""
    edition = await registration_ready(await public_edition(edition_id, ports), ports)
    command = apps.ApplyAsInstitution(edition_id=UUID(edition_id), **body)
    caller = Caller.participant(edition.organisation_id, f"{APPLICANT}:{command.application_id}")
    resource = f"/v1/editions/{edition_id}/applications/{command.application_id}"
    return str(command.application_id), await _send(command, caller, correlation_id, resource, wait, ports)


async def decide(edition_id: str, application_id: str, admit: bool, caller: Caller, correlation_id: str,
                 wait: float, ports: Ports) -> CommandRecord:
    """The organiser admits or declines an application."""
    caller.require(ORGANISER)
    await visible_edition(edition_id, caller, ports)
    command = apps.DecideApplication(edition_id=UUID(edition_id), application_id=UUID(application_id), admit=admit)
    return await _send(command, caller, correlation_id, f"/v1/editions/{edition_id}/applications/{application_id}",
                       wait, ports)


async def organise(edition_id: str, command: Command, caller: Caller, correlation_id: str, wait: float,
                   ports: Ports) -> CommandRecord:
    """One of the organiser's jury commands (define, appoint, assign, remind, close, release)."""
    caller.require(ORGANISER)
    await visible_edition(edition_id, caller, ports)
    return await _send(command, caller, correlation_id, f"/v1/editions/{edition_id}/jury", wait, ports)


async def score(edition_id: str, application_id: str, scores: tuple[jury.CriterionScore, ...], caller: Caller,
                correlation_id: str, wait: float, ports: Ports) -> CommandRecord:
    """A juror's scores of an application (sent again, they revise it until scoring closes)."""
    caller.require(JUROR)
    await visible_edition(edition_id, caller, ports)
    command = jury.ScoreApplication(edition_id=UUID(edition_id), application_id=UUID(application_id),
                                    juror_id=caller.subject, scores=scores)
    return await _send(command, caller, correlation_id,
                       f"/v1/editions/{edition_id}/jury/scores/{application_id}", wait, ports)


async def milestone(edition_id: str, command: jury.RecordMilestone, caller: Caller, correlation_id: str,
                    wait: float, ports: Ports) -> CommandRecord:
    """A mentor or the organiser records a selected institution's milestone (the last is the final report)."""
    caller.require(ORGANISER, MENTOR)
    await visible_edition(edition_id, caller, ports)
    return await _send(command, caller, correlation_id,
                       f"/v1/editions/{edition_id}/mentoring/{command.application_id}", wait, ports)


async def applications(edition_id: str, caller: Caller, ports: Ports) -> list[dict[str, Any]]:
    """Every application of an edition, with its contact people and motivation (organisers only)."""
    caller.require(ORGANISER)
    await visible_edition(edition_id, caller, ports)
    return await selections_of(ports).applications(edition_id)


async def round_view(edition_id: str, caller: Caller, ports: Ports) -> dict[str, Any]:
    """The jury as the organiser sees it; a juror sees the rubric and their own assignments only."""
    caller.require(ORGANISER, JUROR)
    await visible_edition(edition_id, caller, ports)
    found = await selections_of(ports).round(edition_id)
    if found is None or not caller.belongs_to(found["organisation_id"]):
        raise NotFound("this edition has no jury yet")
    facts = {kind: found.get(kind) for kind in FACTS}
    if caller.role == ORGANISER:
        return facts
    mine = [a for a in (facts["assignment"] or {}).get("assignments", []) if a["juror_id"] == caller.subject]
    return {"definition": facts["definition"], "assignments": mine}


async def _send(command: Command, caller: Caller, correlation_id: str, resource: str, wait: float,
                ports: Ports) -> CommandRecord:
    record = await commands.send(command, caller, correlation_id, resource, ports)
    if wait > 0:
        record = await commands.outcome(record, wait, ports)
    if record.status == "refused":
        raise Refused(record.reason or "refused", code=record.reason_code or "refused")
    return record


def selections_of(ports: Ports) -> SelectionReadModel:
    if ports.selections is None:
        raise RuntimeError("the gateway was started without its selections read model")
    return ports.selections
