"""Homework through evaluation's handlers: set for every accepted team (a team accepted later too), handed in by a
member, reviewed with revise-and-resubmit, late work marked, reminders only for teams that have not handed in,
and exactly one outcome per command (a redelivered command says nothing new)."""

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest

from koos_contracts import Envelope, parse
from koos_contracts import homework as messages
from koos_contracts.teams import Member, TeamAccepted
from koos_contracts.values import ERASED_NAME, Participant
from koos_evaluation.service_layer import homework
from koos_evaluation.service_layer.personal_data import EvaluationHolder
from koos_evaluation.service_layer.ports import Ports
from koos_kit.events import EventFactory
from tests.fakes import FixedClock, RecordingReplies, envelope_for
from tests.unit.evaluation.fakes import FakeAnswers, FakeHomework, FakeSurveys

ORG = "sev"
PROGRAMME = UUID("3f0c9a0e-6f44-4b7a-9f55-2a7c1d0e2016")
DUE = datetime(2016, 3, 22, 22, 0, tzinfo=UTC)


@pytest.fixture
def ports() -> Ports:
    return Ports(FakeSurveys(), FakeAnswers(), RecordingReplies(), FixedClock(), EventFactory("/koos/evaluation"),
                 homework=FakeHomework())


def members(team: int) -> tuple[Member, ...]:
    return tuple(Member(participant=Participant(email=f"m{team}{n}@example.org", name=f"Member {team}.{n}",
                                                person_id=f"p{team}{n}"), organisation="MTÜ", role="ngo_staff")
                 for n in range(2))


async def accept(ports: Ports, team: UUID, number: int) -> None:
    event = TeamAccepted(programme_id=PROGRAMME, team_id=team, places_left=5, members=members(number))
    await homework.team_changed(event, envelope_for(event, ORG), ports)


async def send(ports: Ports, command: messages.SetHomework | messages.SubmitHomework | messages.ReviewHomework,
               at: datetime = DUE - timedelta(days=1), org: str = ORG, envelope: Envelope | None = None) -> Any:
    """The one outcome of the command (from the outbox or the replies)."""
    envelope = envelope or envelope_for(command, org, time=at)
    await homework.handle(command, envelope, ports)  # type: ignore[arg-type]
    outcomes = [e for e in [*ports.homework.events, *ports.replies.envelopes]  # type: ignore[union-attr]
                if e.causationid == envelope.id]
    assert len(outcomes) == 1, outcomes
    return parse(outcomes[0])


def set_homework(key: str = "expert-interviews") -> messages.SetHomework:
    return messages.SetHomework(programme_id=PROGRAMME, homework_key=key, title={"en": "Expert interviews"},
                                due_at=DUE, workshop_key="workshop-2")


def submit(team: UUID, person: str, text: str = "Notes of four interviews", size: int = 0,
           key: str = "expert-interviews") -> messages.SubmitHomework:
    attachments = (messages.Attachment(name="notes.pdf", size_bytes=size, key="k1-notes.pdf"),) if size else ()
    return messages.SubmitHomework(programme_id=PROGRAMME, homework_key=key, team_id=team, person_id=person,
                                   text=text, attachments=attachments)


def review(team: UUID, version: int, accepted: bool, comments: str = "") -> messages.ReviewHomework:
    return messages.ReviewHomework(programme_id=PROGRAMME, homework_key="expert-interviews", team_id=team,
                                   version_number=version, accepted=accepted, comments=comments,
                                   reviewer_id="trainer-kadri")


async def test_homework_reaches_every_accepted_team_and_a_team_accepted_later(ports: Ports) -> None:
    first, later = uuid4(), uuid4()
    await accept(ports, first, 1)

    set_ = await send(ports, set_homework())
    await accept(ports, later, 2)

    assert isinstance(set_, messages.HomeworkSet) and set_.team_ids == (first,)
    stored = await ports.homework.get(str(PROGRAMME))  # type: ignore[union-attr]
    assert stored is not None and stored.grid() == {str(first): {"expert-interviews": "not_started"},
                                                    str(later): {"expert-interviews": "not_started"}}


async def test_a_team_revises_and_resubmits_until_the_trainer_accepts_and_every_version_is_kept(ports: Ports) -> None:
    team = uuid4()
    await accept(ports, team, 1)
    await send(ports, set_homework())

    first = await send(ports, submit(team, "p10"))
    waiting = await send(ports, submit(team, "p11"))
    unsaid = await send(ports, review(team, 1, accepted=False))
    changes = await send(ports, review(team, 1, accepted=False, comments="Add the social workers' view"))
    second = await send(ports, submit(team, "p11", "Six interviews now"), at=DUE + timedelta(hours=3))
    stale = await send(ports, review(team, 1, accepted=True))
    accepted = await send(ports, review(team, 2, accepted=True))
    more = await send(ports, submit(team, "p10"))

    assert (first.version_number, first.late) == (1, False)
    assert (waiting.reason_code, unsaid.reason_code) == ("waiting_for_review", "changes_unsaid")
    assert changes.outcome == "changes_requested" and changes.comments == "Add the social workers' view"
    assert (second.version_number, second.late) == (2, True)
    assert stale.reason_code == "nothing_to_review"
    assert accepted.outcome == "accepted" and more.reason_code == "accepted_already"
    stored = await ports.homework.get(str(PROGRAMME))  # type: ignore[union-attr]
    assert stored is not None
    versions = stored.assignments["expert-interviews"].work[str(team)].versions
    assert [(v.number, v.text, v.review) for v in versions] == [
        (1, "Notes of four interviews", "changes_requested"), (2, "Six interviews now", "accepted")]


async def test_only_a_member_hands_in_and_only_below_the_size_limit(ports: Ports) -> None:
    team, other = uuid4(), uuid4()
    await accept(ports, team, 1)
    await accept(ports, other, 2)
    await send(ports, set_homework())

    stranger = await send(ports, submit(team, "p20"))
    too_large = await send(ports, submit(team, "p10", size=messages.MAX_SUBMISSION_BYTES + 1))
    unknown = await send(ports, submit(team, "p10", key="persona-interviews"))
    not_a_team = await send(ports, submit(uuid4(), "p10"))

    assert (stranger.reason_code, too_large.reason_code) == ("not_a_member", "too_large")
    assert "at most 10.0 MB" in too_large.reason
    assert (unknown.reason_code, not_a_team.reason_code) == ("unknown_homework", "not_a_team")


async def test_late_work_is_marked_and_reminders_go_only_to_teams_that_have_not_handed_in(ports: Ports) -> None:
    on_time, late, silent = uuid4(), uuid4(), uuid4()
    for n, team in enumerate((on_time, late, silent)):
        await accept(ports, team, n)
    await send(ports, set_homework())
    await send(ports, submit(on_time, "p00"))
    stored = await ports.homework.get(str(PROGRAMME))  # type: ignore[union-attr]
    assert stored is not None and stored.to_remind("expert-interviews") == sorted([str(late), str(silent)])

    await send(ports, submit(late, "p10"), at=DUE + timedelta(days=2))

    stored = await ports.homework.get(str(PROGRAMME))  # type: ignore[union-attr]
    assert stored is not None and stored.to_remind("expert-interviews") == [str(silent)]
    assert {team: status["expert-interviews"] for team, status in stored.grid().items()} == {
        str(on_time): "submitted", str(late): "late", str(silent): "not_started"}


async def test_a_redelivered_command_says_nothing_new_and_another_organisation_is_refused(ports: Ports) -> None:
    team = uuid4()
    await accept(ports, team, 1)
    await send(ports, set_homework())
    command = submit(team, "p10")
    envelope = envelope_for(command, ORG, time=DUE)

    await send(ports, command, envelope=envelope)
    await homework.handle(command, envelope, ports)
    theirs = await send(ports, set_homework("persona-interviews"), org="another-org")

    assert sum(e.causationid == envelope.id for e in ports.homework.events) == 1  # type: ignore[union-attr]
    assert theirs.reason_code == "unknown_programme"
    stored = await ports.homework.get(str(PROGRAMME))  # type: ignore[union-attr]
    assert stored is not None and list(stored.assignments) == ["expert-interviews"]


async def test_a_members_export_holds_what_they_handed_in_and_their_erasure_keeps_the_grid(ports: Ports) -> None:
    team = uuid4()
    await accept(ports, team, 1)
    await send(ports, set_homework())
    await send(ports, submit(team, "p10", "Notes by Member 1.0", size=1200))
    await send(ports, review(team, 1, accepted=False, comments="Add the social workers' view"))
    await send(ports, submit(team, "p11", "Notes by Member 1.1"))
    holder = EvaluationHolder(ports)

    exported = await holder.export("p10", ORG)
    erased = await holder.erase("p10", ORG)
    again = await holder.erase("p10", ORG)

    assert [(h["version"], h["text"], h["review"]) for h in exported["homework"]] == [
        (1, "Notes by Member 1.0", "changes_requested")]
    assert erased["homework_versions"] == 1 and again["homework_versions"] == 0
    stored = await ports.homework.get(str(PROGRAMME))  # type: ignore[union-attr]
    assert stored is not None and stored.grid() == {str(team): {"expert-interviews": "resubmitted"}}
    versions = stored.assignments["expert-interviews"].work[str(team)].versions
    assert [(v.text, [a.name for a in v.attachments]) for v in versions] == [
        (ERASED_NAME, [ERASED_NAME]), ("Notes by Member 1.1", [])]
