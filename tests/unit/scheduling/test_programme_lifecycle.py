"""A programme's lifecycle: each stage only after the one before, refused with the reason otherwise."""

from datetime import date
from uuid import uuid4

import pytest

from koos_cli.programme_2016 import draft_2016, workshops_2016
from koos_contracts import Message, parse
from koos_contracts.programmes import (
    STAGES,
    AdvanceProgramme,
    DateWorkshop,
    DraftProgramme,
    PlanWorkshops,
    ProgrammeAdvanced,
    ProgrammeDrafted,
    ProgrammeRefused,
    WorkshopDated,
    WorkshopsPlanned,
)
from koos_kit.events import EventFactory
from koos_scheduling.domain.errors import ScheduleRefused
from koos_scheduling.domain.programme import require_at_least
from koos_scheduling.service_layer import programmes
from koos_scheduling.service_layer.programmes import ProgrammePorts
from tests.fakes import RecordingReplies, envelope_for
from tests.unit.scheduling.fakes import FakeProgrammeRepository

HANDLERS = {DraftProgramme: programmes.draft_programme, AdvanceProgramme: programmes.advance_programme,
            PlanWorkshops: programmes.plan_workshops, DateWorkshop: programmes.date_workshop}


@pytest.fixture
def ports() -> ProgrammePorts:
    return ProgrammePorts(programmes=FakeProgrammeRepository(), replies=RecordingReplies(), factory=EventFactory("/t"))


async def send(command: Message, ports: ProgrammePorts, organisation: str = "sev") -> Message:
    envelope = envelope_for(command, organisation)
    await HANDLERS[type(command)](command, envelope, ports)  # type: ignore[operator]
    stored = [*ports.programmes.events, *ports.replies.envelopes]  # type: ignore[attr-defined]
    (outcome,) = [parse(e) for e in stored if e.causationid == envelope.id]
    return outcome


async def test_a_programme_is_drafted_with_its_phases_and_outside_dates(ports: ProgrammePorts) -> None:
    drafted = await send(DraftProgramme.model_validate(draft_2016(uuid4())), ports)
    assert isinstance(drafted, ProgrammeDrafted)
    assert [p.key for p in drafted.phases] == ["research", "capacity"]
    assert [(d.key, d.on) for d in drafted.outside_dates] == [("funding-round", date(2016, 5, 31))]


async def test_every_stage_follows_the_one_before(ports: ProgrammePorts) -> None:
    programme_id = uuid4()
    await send(DraftProgramme.model_validate(draft_2016(programme_id)), ports)
    for stage in STAGES[1:]:
        moved = await send(AdvanceProgramme(programme_id=programme_id, to=stage), ports)
        assert isinstance(moved, ProgrammeAdvanced) and moved.stage == stage


async def test_a_skipped_stage_is_refused_with_the_stage_it_must_follow(ports: ProgrammePorts) -> None:
    programme_id = uuid4()
    await send(DraftProgramme.model_validate(draft_2016(programme_id)), ports)
    await send(AdvanceProgramme(programme_id=programme_id, to="published"), ports)
    refused = await send(AdvanceProgramme(programme_id=programme_id, to="running"), ports)
    assert isinstance(refused, ProgrammeRefused)
    assert refused.reason == "running can only follow registration closed; the programme is published"
    back = await send(AdvanceProgramme(programme_id=programme_id, to="draft"), ports)
    assert isinstance(back, ProgrammeRefused) and back.reason.startswith("a programme does not go back")


async def test_a_phase_outside_the_programme_is_refused(ports: ProgrammePorts) -> None:
    plan = draft_2016(uuid4())
    plan["phases"][1]["ends_on"] = "2017-02-01"
    refused = await send(DraftProgramme.model_validate(plan), ports)
    assert isinstance(refused, ProgrammeRefused) and "outside the programme's dates" in refused.reason


async def test_another_organisation_cannot_move_the_programme(ports: ProgrammePorts) -> None:
    programme_id = uuid4()
    await send(DraftProgramme.model_validate(draft_2016(programme_id)), ports)
    refused = await send(AdvanceProgramme(programme_id=programme_id, to="published"), ports, organisation="other")
    assert isinstance(refused, ProgrammeRefused) and refused.reason == "no such programme"


def test_homework_cannot_be_set_before_the_programme_is_running() -> None:
    with pytest.raises(ScheduleRefused, match="setting homework cannot be done before the programme is running; "
                                              "it is registration closed"):
        require_at_least("registration_closed", "running", "setting homework")
    require_at_least("evaluation", "running", "setting homework")


async def test_ten_workshops_six_dated_and_four_dated_later(ports: ProgrammePorts) -> None:
    programme_id = uuid4()
    await send(DraftProgramme.model_validate(draft_2016(programme_id)), ports)
    planned = await send(PlanWorkshops.model_validate({"programme_id": programme_id,
                                                       "workshops": workshops_2016()}), ports)
    assert isinstance(planned, WorkshopsPlanned)
    assert [w.day is not None for w in planned.workshops] == [True] * 6 + [False] * 4
    dated = await send(DateWorkshop(programme_id=programme_id, workshop_key="workshop-7", day=date(2016, 9, 14)),
                       ports)
    assert isinstance(dated, WorkshopDated) and dated.previous_day is None and dated.workshop.day == date(2016, 9, 14)
    outside = await send(DateWorkshop(programme_id=programme_id, workshop_key="workshop-8", day=date(2017, 1, 5)),
                         ports)
    assert isinstance(outside, ProgrammeRefused) and "outside the programme's dates" in outside.reason


async def test_a_lunch_block_outside_the_day_or_overlapping_is_refused(ports: ProgrammePorts) -> None:
    programme_id = uuid4()
    await send(DraftProgramme.model_validate(draft_2016(programme_id)), ports)
    workshops = workshops_2016()
    workshops[0]["blocks"] = [{"kind": "theory", "start": "09:45", "end": "13:00"},
                              {"kind": "lunch", "start": "12:30", "end": "13:30"}]
    refused = await send(PlanWorkshops.model_validate({"programme_id": programme_id, "workshops": workshops}), ports)
    assert isinstance(refused, ProgrammeRefused)
    assert refused.reason == "workshop workshop-1: the theory and lunch blocks overlap"
