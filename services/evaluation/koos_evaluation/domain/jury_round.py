"""An edition's juried selection: rubric and rules, jurors, admitted applications, scores, proposal and release.

The round moves forward only: defined → scoring (once assigned) → closed (proposal made) → released. The rubric
and the tie-break rules are fixed before the first score. A juror affiliated with an application (same
organisation or a declared conflict) is never assigned to it and is refused, with the reason, if they try to
score it. Each method returns its command's outcome; a change also lands in `events`.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from koos_contracts import jury as messages
from koos_contracts.applications import ApplicationAdmitted
from koos_contracts.base import Event
from koos_contracts.values import Participant
from koos_evaluation.domain import jury, mentoring, round_figures, selection
from koos_evaluation.domain.affiliation import Applicant
from koos_evaluation.domain.errors import EvaluationRefused
from koos_evaluation.domain.rubric import Score, check_score

MENTORING_MONTHS = 6
MILESTONES: dict[messages.MilestoneKey, int] = {"pilot_planned": 1, "pilot_launched": 2, "midterm_review": 3,
                                                "final_report": MENTORING_MONTHS}
"""Each pilot milestone and the month of the phase by whose end it is due; the final report closes the pilot."""


@dataclass
class Member:
    """A juror or a mentor: who they are, their organisations, declared conflicts, and their limit."""

    person: Participant
    organisations: tuple[str, ...]
    declared: tuple[str, ...]
    limit: int


@dataclass
class JuryRound:
    edition_id: UUID
    organisation_id: str
    definition: messages.JuryDefined | None = None
    jurors: dict[str, Member] = field(default_factory=dict)
    mentors: dict[str, Member] = field(default_factory=dict)
    applications: dict[str, ApplicationAdmitted] = field(default_factory=dict)
    assignment: list[tuple[str, str]] | None = None
    sheets: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    """application → juror → {"revision": n, "values": {criterion: {"value": v, "comment": text}}}."""
    status: str = "defining"
    proposal: messages.SelectionProposed | None = None
    milestones: dict[str, dict[str, str]] = field(default_factory=dict)
    """application → milestone → its report, for the institutions in mentoring."""
    commands: list[str] = field(default_factory=list)
    version: int = 0
    events: list[Event] = field(default_factory=list)

    def define(self, command: messages.DefineJury) -> Event:
        if self.sheets or self.status in ("closed", "released"):
            return self._refused("define", "scoring_started", "the rubric and rules are fixed once scoring started")
        try:
            rubric = round_figures.rubric_of(command.artefacts)
            selection.SelectionPolicy(command.places, tuple(command.tie_breaks), command.outlier_threshold
                                      ).check(rubric)
        except EvaluationRefused as refusal:
            return self._refused("define", "invalid", refusal.reason)
        fields = command.model_dump(exclude={"edition_id"})
        return self._happened(messages.JuryDefined(edition_id=self.edition_id, **fields))

    def appoint_juror(self, command: messages.AppointJuror) -> Event:
        if self.status in ("closed", "released"):
            return self._refused("appoint_juror", "scoring_closed", "scoring is closed")
        juror = command.juror.person_id
        self.jurors[juror] = Member(command.juror, tuple(command.organisations), tuple(command.declared_conflicts),
                                    command.max_load)
        return self._happened(messages.JurorAppointed(
            edition_id=self.edition_id, juror_id=juror, organisations=command.organisations,
            declared_conflicts=command.declared_conflicts, max_load=command.max_load))

    def admit(self, admitted: ApplicationAdmitted) -> bool:
        """An admitted application goes before the jury (a fact, not a command: nothing to answer)."""
        key = str(admitted.application_id)
        if key in self.applications or self.status in ("closed", "released"):
            return False
        self.applications[key] = admitted
        return True

    def assign(self) -> Event:
        if self.definition is None:
            return self._refused("assign", "no_jury", "define the rubric first")
        if self.sheets or self.status in ("closed", "released"):
            return self._refused("assign", "scoring_started", "scoring started; the assignment stands")
        if not self.applications or not self.jurors:
            return self._refused("assign", "invalid", "there are no admitted applications or no jurors yet")
        result = jury.assign(self._jurors(), self._applicants(), self.definition.jurors_per_application)
        self.assignment, self.status = list(result.pairs), "scoring"
        return self._happened(messages.JuryAssigned(
            edition_id=self.edition_id,
            assignments=tuple(messages.Assignment(application_id=UUID(a), juror_id=j) for a, j in result.pairs),
            loads=dict(result.loads),
            shortfalls=tuple(messages.Shortfall(application_id=UUID(s.application_id), missing=s.missing,
                                                code=s.code, reason=s.reason) for s in result.shortfalls)))

    def score(self, command: messages.ScoreApplication, at: datetime) -> Event:
        application, juror = str(command.application_id), command.juror_id
        refusal = self._why_not_score(application, juror)
        if refusal is None:
            refusal = self._invalid_scores(command)
        if refusal is not None:
            return messages.ScoreRefused(edition_id=self.edition_id, application_id=command.application_id,
                                         juror_id=juror, reason_code=refusal[0], reason=refusal[1])
        sheet = self.sheets.setdefault(application, {}).setdefault(juror, {"revision": 0, "values": {}})
        sheet["revision"] += 1
        sheet["values"].update({s.criterion: {"value": s.value, "comment": s.comment.text if s.comment else None}
                                for s in command.scores})
        return self._happened(messages.ApplicationScored(edition_id=self.edition_id,
                                                         application_id=command.application_id, juror_id=juror,
                                                         revision=sheet["revision"], scored_at=at))

    def remind(self) -> Event:
        if self.assignment is None or self.status != "scoring":
            return self._refused("remind", "no_jury", "nobody has assignments to finish")
        due = [messages.JurorDue(juror=member.person, unfinished=unfinished)
               for juror, member in self.jurors.items() if (unfinished := self.unfinished(juror))]
        return self._happened(messages.JurorsReminded(edition_id=self.edition_id, due=tuple(due)))

    def unfinished(self, juror: str) -> tuple[UUID, ...]:
        """The applications assigned to the juror that lack a score of some criterion."""
        keys = {c.key for a in self.definition.artefacts for c in a.criteria} if self.definition else set()
        return tuple(UUID(a) for a, j in self.assignment or () if j == juror
                     and not keys <= set(self.sheets.get(a, {}).get(juror, {}).get("values", {})))

    def close(self, at: datetime) -> Event:
        if self.definition is None or self.status != "scoring":
            return self._refused("close", "no_jury" if self.definition is None else "scoring_closed",
                                 "scoring is not open")
        rubric = round_figures.rubric_of(self.definition.artefacts)
        policy = selection.SelectionPolicy(self.definition.places, self.definition.tie_breaks,
                                           self.definition.outlier_threshold)
        entries = [selection.Entry(a, admitted.applied_at) for a, admitted in self.applications.items()]
        proposal = selection.propose(rubric, policy, entries, self._scores())
        self.status = "closed"
        self.proposal = round_figures.proposed(self.edition_id, proposal, rubric, self.definition.tie_breaks, at)
        return self._happened(self.proposal)

    def appoint_mentor(self, command: messages.AppointMentor) -> Event:
        if self.status == "released":
            return self._refused("appoint_mentor", "released", "mentoring has started")
        mentor = command.mentor.person_id
        self.mentors[mentor] = Member(command.mentor, tuple(command.organisations),
                                      tuple(command.declared_conflicts), command.capacity)
        return self._happened(messages.MentorAppointed(
            edition_id=self.edition_id, mentor_id=mentor, organisations=command.organisations,
            declared_conflicts=command.declared_conflicts, capacity=command.capacity))

    def release(self, at: datetime) -> Event:
        if self.proposal is None or self.definition is None or self.status != "closed":
            return self._refused("release", "released" if self.status == "released" else "not_proposed",
                                 "there is no proposal to release")
        self.status = "released"
        ranks = {str(r.application_id): r.rank for r in self.proposal.ranking}
        chosen = {str(a) for a in self.proposal.selected}
        share = self.definition.share_scores
        results = tuple(messages.ApplicantResult(
            application_id=admitted.application_id, institution=admitted.institution, contacts=admitted.contacts,
            selected=key in chosen, rank=ranks.get(key),
            scores=round_figures.given_scores(self.sheets.get(key, {})) if share else ())
            for key, admitted in self.applications.items())
        released = self._happened(messages.SelectionReleased(edition_id=self.edition_id, results=results,
                                                             share_scores=share, released_at=at))
        self._happened(self._mentoring([self.applications[str(a)] for a in self.proposal.selected], at))
        return released

    def record_milestone(self, command: messages.RecordMilestone, at: datetime) -> Event:
        application = str(command.application_id)
        if self.proposal is None or self.status != "released" or command.application_id not in self.proposal.selected:
            return self._refused("record_milestone", "not_in_mentoring", "this institution is not in mentoring")
        done = self.milestones.setdefault(application, {})
        missing = [key for key in MILESTONES if key != "final_report" and key not in done]
        if command.milestone == "final_report" and missing:
            return self._refused("record_milestone", "invalid",
                                 f"the final report comes after the other milestones: {', '.join(missing)}")
        done[command.milestone] = command.report.text
        return self._happened(messages.MilestoneRecorded(
            edition_id=self.edition_id, application_id=command.application_id, milestone=command.milestone,
            report=command.report, recorded_at=at, finished="final_report" in done))

    def _mentoring(self, selected: list[ApplicationAdmitted], at: datetime) -> messages.MentoringStarted:
        mentors = [mentoring.Mentor(m, frozenset(member.organisations), member.limit, frozenset(member.declared))
                   for m, member in self.mentors.items()]
        pairing = mentoring.pair([_applicant(a) for a in selected], mentors)
        institution = {str(a.application_id): a.institution.institution_id for a in selected}
        return messages.MentoringStarted(
            edition_id=self.edition_id,
            pairs=tuple(messages.MentorPair(application_id=UUID(a), institution_id=institution[a],
                                            mentor=self.mentors[m].person) for a, m in pairing.pairs),
            unpaired=tuple(messages.Unpaired(application_id=UUID(u.application_id), code=u.code, reason=u.reason)
                           for u in pairing.unpaired),
            months=MENTORING_MONTHS, started_at=at,
            milestones=tuple(messages.Milestone(key=key, due_on=_months_after(at.date(), months))
                             for key, months in MILESTONES.items()))

    def _why_not_score(self, application: str, juror: str) -> tuple[Any, str] | None:
        if self.definition is None or self.assignment is None:
            return "no_jury", "scoring has not started"
        if self.status != "scoring":
            return "scoring_closed", "the organiser closed scoring"
        if application not in self.applications:
            return "unknown_application", "no such application before this jury"
        member = self.jurors.get(juror)
        if member is None:
            return "not_a_juror", "you are not a juror of this edition"
        eligibility = jury.may_score(self._juror(juror, member), _applicant(self.applications[application]))
        if not eligibility.allowed:
            return "conflict_of_interest", f"conflict of interest ({eligibility.code}): {eligibility.reason}"
        if (application, juror) not in set(self.assignment):
            return "not_assigned", "this application is not assigned to you"
        return None

    def _invalid_scores(self, command: messages.ScoreApplication) -> tuple[Any, str] | None:
        assert self.definition is not None
        rubric = round_figures.rubric_of(self.definition.artefacts)
        try:
            for s in command.scores:
                check_score(rubric, Score(command.juror_id, str(command.application_id), s.criterion, s.value))
        except EvaluationRefused as refusal:
            return "invalid", refusal.reason
        return None

    def _scores(self) -> list[Score]:
        assigned = set(self.assignment or ())
        return [s for s in round_figures.scores_of(self.sheets) if (s.application_id, s.juror_id) in assigned]

    def _jurors(self) -> list[jury.Juror]:
        return [self._juror(j, member) for j, member in self.jurors.items()]

    def _applicants(self) -> list[Applicant]:
        return [_applicant(a) for a in self.applications.values()]

    @staticmethod
    def _juror(juror: str, member: Member) -> jury.Juror:
        return jury.Juror(juror, frozenset(member.organisations), member.limit, frozenset(member.declared))

    def _happened(self, event: Event) -> Event:
        if isinstance(event, messages.JuryDefined):
            self.definition = event
        self.events.append(event)
        return event

    def _refused(self, command: Any, code: Any, reason: str) -> messages.JuryCommandRefused:
        return messages.JuryCommandRefused(edition_id=self.edition_id, command=command, reason_code=code,
                                           reason=reason)


def _applicant(admitted: ApplicationAdmitted) -> Applicant:
    institution = admitted.institution.institution_id
    return Applicant(str(admitted.application_id), institution, institution)



def _months_after(day: date, months: int) -> date:
    """The last day of the month `months` after the day's month."""
    year, month = divmod(day.month - 1 + months + 1, 12)
    return date(day.year + year, month + 1, 1) - timedelta(days=1)
