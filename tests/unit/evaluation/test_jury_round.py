"""The jury round's rules, without servers: conflicts, revisions until closing, fixed rules, reminders, release."""

from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

from koos_contracts import jury as messages
from koos_contracts.applications import ApplicationAdmitted, Contact, Institution
from koos_contracts.values import Participant, Person
from koos_evaluation.domain.jury_round import JuryRound

AT = datetime(2027, 3, 1, 9, tzinfo=UTC)
CRITERIA = ("clarity", "delivery")


def rubric() -> tuple[messages.Artefact, ...]:
    return tuple(messages.Artefact(key=f"{c}_part", title={"et": c}, weight=1, criteria=(messages.Criterion(
        key=c, title={"et": c}, weight=1, lowest=1, highest=5),)) for c in CRITERIA)


def admitted(edition_id: UUID, n: int) -> ApplicationAdmitted:
    institution = Institution(institution_id=f"muuseum-{n}", name=f"Muuseum {n}", kind="museum")
    contact = Contact(person=Person(email=f"kontakt{n}@muuseum.example", name=f"Kontakt {n}", language="et"),
                      role="juht")
    return ApplicationAdmitted(edition_id=edition_id, application_id=uuid4(), institution=institution,
                               contacts=(contact,), applied_at=AT + timedelta(minutes=n), admitted_at=AT)


def person(person_id: str) -> Participant:
    return Participant(person_id=person_id, name=person_id, email=f"{person_id}@jury.example", language="et")


def round_with(applications: int = 4, places: int = 2, share: bool = True) -> JuryRound:
    edition_id = uuid4()
    jury = JuryRound(edition_id, "tartu-linn")
    jury.define(messages.DefineJury(edition_id=edition_id, artefacts=rubric(), places=places,
                                    jurors_per_application=2, tie_breaks=("earlier_application",),
                                    share_scores=share))
    for n in range(applications):
        jury.admit(admitted(edition_id, n))
    for juror, organisations in (("juror-a", ("muuseum-0",)), ("juror-b", ("ulikool",)), ("juror-c", ("kool",))):
        jury.appoint_juror(messages.AppointJuror(edition_id=edition_id, juror=person(juror),
                                                 organisations=organisations, max_load=4))
    jury.assign()
    return jury


def score(jury: JuryRound, application: str, juror: str, value: int) -> messages.ApplicationScored | object:
    sheet = tuple(messages.CriterionScore(criterion=c, value=value, comment=messages.Comment(text=f"{c} {value}"))
                  for c in CRITERIA)
    return jury.score(messages.ScoreApplication(edition_id=jury.edition_id, application_id=UUID(application),
                                                juror_id=juror, scores=sheet), AT)


def ids(jury: JuryRound) -> list[str]:
    return list(jury.applications)


def score_everything(jury: JuryRound) -> None:
    for n, (application, juror) in enumerate(jury.assignment or ()):
        score(jury, application, juror, 1 + (ids(jury).index(application) + n) % 5)


def test_a_juror_of_the_applicants_organisation_is_never_assigned_and_is_refused_with_the_reason() -> None:
    jury = round_with()
    first = ids(jury)[0]

    assert (first, "juror-a") not in set(jury.assignment or ())
    refusal = score(jury, first, "juror-a", 5)
    assert isinstance(refusal, messages.ScoreRefused) and refusal.reason_code == "conflict_of_interest"
    assert "muuseum-0" in refusal.reason


def test_a_juror_revises_until_scoring_closes_and_is_refused_after() -> None:
    jury = round_with()
    application, juror = (jury.assignment or [])[0]
    score(jury, application, juror, 2)
    revised = score(jury, application, juror, 4)
    score_everything(jury)
    jury.close(AT)

    assert isinstance(revised, messages.ApplicationScored) and revised.revision == 2
    late = score(jury, application, juror, 1)
    assert isinstance(late, messages.ScoreRefused) and late.reason_code == "scoring_closed"


def test_the_rubric_and_tie_break_rules_cannot_change_once_scoring_started() -> None:
    jury = round_with()
    application, juror = (jury.assignment or [])[0]
    score(jury, application, juror, 3)

    again = jury.define(messages.DefineJury(edition_id=jury.edition_id, artefacts=rubric(), places=1,
                                            tie_breaks=("lower_spread",)))
    assert isinstance(again, messages.JuryCommandRefused) and again.reason_code == "scoring_started"
    assert jury.definition is not None and jury.definition.tie_breaks == ("earlier_application",)


def test_reminders_name_only_the_jurors_with_unfinished_assignments() -> None:
    jury = round_with()
    for application, juror in jury.assignment or ():
        if juror != "juror-c":
            score(jury, application, juror, 3)

    reminded = jury.remind()
    assert isinstance(reminded, messages.JurorsReminded)
    assert [d.juror.person_id for d in reminded.due] == ["juror-c"]
    assert set(reminded.due[0].unfinished) == {UUID(a) for a, j in jury.assignment or () if j == "juror-c"}


def test_release_tells_every_applicant_with_their_own_scores_and_pairs_mentors_free_of_conflicts() -> None:
    jury = round_with()
    score_everything(jury)
    proposal = jury.close(AT)
    assert isinstance(proposal, messages.SelectionProposed) and len(proposal.selected) == 2
    favourite = str(proposal.selected[0])
    own = jury.applications[favourite].institution.institution_id
    for mentor, organisations in (("mentor-1", (own,)), ("mentor-2", ("disainikeskus",))):
        jury.appoint_mentor(messages.AppointMentor(edition_id=jury.edition_id, mentor=person(mentor),
                                                   organisations=organisations, capacity=2))

    released = jury.release(AT)
    assert isinstance(released, messages.SelectionReleased)
    assert {str(r.application_id) for r in released.results if r.selected} == {str(a) for a in proposal.selected}
    assert len(released.results) == 4
    mine = next(r for r in released.results if str(r.application_id) == favourite)
    given = sorted((s.criterion, s.value) for s in mine.scores)
    assert given == sorted((c, v["value"]) for sheet in jury.sheets[favourite].values()
                           for c, v in sheet["values"].items())
    started = next(e for e in jury.events if isinstance(e, messages.MentoringStarted))
    assert {str(p.application_id): p.mentor.person_id for p in started.pairs}[favourite] == "mentor-2"


def test_scores_stay_private_when_the_organiser_does_not_share_them() -> None:
    jury = round_with(share=False)
    score_everything(jury)
    jury.close(AT)

    released = jury.release(AT)
    assert isinstance(released, messages.SelectionReleased)
    assert all(r.scores == () for r in released.results)


def milestone(jury: JuryRound, application: UUID, key: messages.MilestoneKey) -> object:
    return jury.record_milestone(messages.RecordMilestone(edition_id=jury.edition_id, application_id=application,
                                                          milestone=key, report=messages.Comment(text=key)), AT)


def test_pilot_milestones_are_due_monthly_and_the_final_report_comes_last_and_finishes_the_pilot() -> None:
    jury = round_with()
    score_everything(jury)
    proposal = jury.close(AT)
    assert isinstance(proposal, messages.SelectionProposed)
    jury.appoint_mentor(messages.AppointMentor(edition_id=jury.edition_id, mentor=person("mentor-1"),
                                               organisations=("disainikeskus",), capacity=4))
    jury.release(AT)
    selected, other = proposal.selected[0], next(UUID(a) for a in jury.applications
                                                 if UUID(a) not in proposal.selected)
    started = next(e for e in jury.events if isinstance(e, messages.MentoringStarted))
    assert [(m.key, m.due_on.isoformat()) for m in started.milestones] == [
        ("pilot_planned", "2027-04-30"), ("pilot_launched", "2027-05-31"), ("midterm_review", "2027-06-30"),
        ("final_report", "2027-09-30")]

    early = milestone(jury, selected, "final_report")
    assert isinstance(early, messages.JuryCommandRefused) and "pilot_planned" in early.reason
    outsider = milestone(jury, other, "pilot_planned")
    assert isinstance(outsider, messages.JuryCommandRefused) and outsider.reason_code == "not_in_mentoring"
    for key in ("pilot_planned", "pilot_launched", "midterm_review"):
        recorded = milestone(jury, selected, key)
        assert isinstance(recorded, messages.MilestoneRecorded) and not recorded.finished
    final = milestone(jury, selected, "final_report")
    assert isinstance(final, messages.MilestoneRecorded) and final.finished
