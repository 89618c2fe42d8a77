"""Homework rules: submit, review, resubmit with every version kept, late marked, reminders only to teams that have
not submitted, the organiser's grid, and a clear refusal above the size limit."""

from datetime import UTC, datetime, timedelta

import pytest

from koos_evaluation.domain.errors import EvaluationRefused
from koos_evaluation.domain.homework import Attachment, TeamHomework, grid, to_remind

DUE = datetime(2016, 3, 22, 23, 59, tzinfo=UTC)
BEFORE, AFTER = DUE - timedelta(days=2), DUE + timedelta(hours=3)


def work(team: str, key: str = "expert-interviews") -> TeamHomework:
    return TeamHomework(homework_key=key, team_id=team, due_at=DUE)


def test_a_revise_and_resubmit_cycle_keeps_every_version() -> None:
    homework = work("tartu")
    homework.submit("Five expert interviews.", [Attachment("notes.pdf", 200_000)], BEFORE)
    assert homework.status == "submitted"
    homework.review(accepted=False, comments="Add the interview with the social worker.")
    assert homework.status == "changes_requested"
    homework.submit("Six expert interviews.", [Attachment("notes-v2.pdf", 250_000)], BEFORE + timedelta(days=1))
    assert homework.status == "resubmitted"
    homework.review(accepted=True)
    assert homework.status == "accepted"
    assert [(v.number, v.review) for v in homework.versions] == [(1, "changes_requested"), (2, "accepted")]
    assert homework.versions[0].comments == "Add the interview with the social worker."


def test_a_late_submission_is_accepted_and_marked_late() -> None:
    homework = work("narva")
    version = homework.submit("Diary of two weeks.", [], AFTER)
    assert version.late and homework.status == "late"


def test_reminders_go_only_to_teams_that_have_not_submitted() -> None:
    items = [work("tartu"), work("parnu"), work("narva")]
    items[0].submit("Done.", [], BEFORE)
    assert to_remind(items) == ["narva", "parnu"]


def test_a_submission_above_the_size_limit_is_refused_clearly() -> None:
    homework = work("tartu")
    with pytest.raises(EvaluationRefused, match=r"the submission is 12\.0 MB; at most 10\.0 MB may be submitted"):
        homework.submit("Video", [Attachment("video.mp4", 12 * 1024 * 1024)], BEFORE)
    homework.submit("Video", [Attachment("video", link="https://video.example/interview")], BEFORE)
    assert homework.status == "submitted"


def test_no_new_version_while_one_waits_for_review_or_after_acceptance() -> None:
    homework = work("tartu")
    homework.submit("First.", [], BEFORE)
    with pytest.raises(EvaluationRefused, match="waits for the trainer's review"):
        homework.submit("Second.", [], BEFORE)
    homework.review(accepted=True)
    with pytest.raises(EvaluationRefused, match="accepted already"):
        homework.submit("Third.", [], BEFORE)


def test_changes_must_be_named() -> None:
    homework = work("tartu")
    homework.submit("First.", [], BEFORE)
    with pytest.raises(EvaluationRefused, match="say which changes"):
        homework.review(accepted=False, comments=" ")


def test_the_grid_shows_each_team_per_homework() -> None:
    first, second, third = work("tartu"), work("tartu", "persona-interviews"), work("narva")
    first.submit("Done.", [], BEFORE)
    third.submit("Late.", [], AFTER)
    assert grid([first, second, third]) == {"tartu": {"expert-interviews": "submitted",
                                                      "persona-interviews": "not_started"},
                                            "narva": {"expert-interviews": "late"}}
