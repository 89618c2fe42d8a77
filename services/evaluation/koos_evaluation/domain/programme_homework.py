"""A programme's homework: its accepted teams (with their members), each homework set for them, and every team's
work on it (see `homework` for one team's versions and reviews).

Rules: a homework is set for every accepted team, and a team accepted later gets the homework already set; only a
member of the team hands in its work; changing a homework (its title or due time) keeps the work done. Each
decision returns its outcome event; one that changed the programme also lands in `events`.
"""

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime

from koos_contracts import homework as messages
from koos_contracts.base import Event
from koos_contracts.homework import HomeworkStatus
from koos_contracts.values import ERASED_NAME, Language
from koos_evaluation.domain.homework import (
    Attachment,
    HomeworkRefusal,
    TeamHomework,
    Version,
    grid,
    to_remind,
)


@dataclass
class Assignment:
    """One homework as set, and each team's work on it."""

    key: str
    title: dict[Language, str]
    description: dict[Language, str]
    due_at: datetime
    workshop_key: str | None = None
    work: dict[str, TeamHomework] = field(default_factory=dict)


@dataclass
class ProgrammeHomework:
    programme_id: str
    organisation_id: str
    teams: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Accepted team -> its members' person ids."""
    assignments: dict[str, Assignment] = field(default_factory=dict)
    commands: list[str] = field(default_factory=list)
    version: int = 0
    events: list[Event] = field(default_factory=list)

    def team_accepted(self, team_id: str, members: tuple[str, ...]) -> bool:
        """Learn an accepted team (or its members as they now are); it gets every homework set already."""
        if self.teams.get(team_id) == members:
            return False
        self.teams[team_id] = members
        for assignment in self.assignments.values():
            assignment.work.setdefault(team_id, TeamHomework(assignment.key, team_id, assignment.due_at))
        return True

    def set(self, command: messages.SetHomework) -> Event:
        key = command.homework_key
        assignment = self.assignments.get(key)
        if assignment is None:
            assignment = self.assignments[key] = Assignment(key, dict(command.title), dict(command.description),
                                                            command.due_at, command.workshop_key)
        assignment.title, assignment.description = dict(command.title), dict(command.description)
        assignment.due_at, assignment.workshop_key = command.due_at, command.workshop_key
        for team_id in self.teams:
            work = assignment.work.setdefault(team_id, TeamHomework(key, team_id, command.due_at))
            work.due_at = command.due_at
        event = messages.HomeworkSet(programme_id=command.programme_id, homework_key=key, title=command.title,
                                     description=command.description, due_at=command.due_at,
                                     workshop_key=command.workshop_key, team_ids=tuple(sorted(self.teams)))
        self.events.append(event)
        return event

    def submit(self, command: messages.SubmitHomework, at: datetime) -> Event:
        team_id = str(command.team_id)
        try:
            work = self._work(command)
            if command.person_id not in self.teams[team_id]:
                raise HomeworkRefusal("not_a_member", "only a member of the team hands in its homework")
            attachments = [Attachment(a.name, a.size_bytes, a.link or a.key) for a in command.attachments]
            version = work.submit(command.text, attachments, at, command.person_id)
        except HomeworkRefusal as refused:
            return self._refused(command, "submit", refused.code, refused.reason)
        event = messages.HomeworkSubmitted(
            programme_id=command.programme_id, homework_key=command.homework_key, team_id=command.team_id,
            version_number=version.number, person_id=command.person_id, text=command.text,
            attachments=command.attachments, submitted_at=at, late=version.late, status=work.status)
        self.events.append(event)
        return event

    def review(self, command: messages.ReviewHomework, at: datetime) -> Event:
        try:
            work = self._work(command)
            newest = work.versions[-1] if work.versions else None
            if newest is None or newest.number != command.version_number or newest.review is not None:
                raise HomeworkRefusal("nothing_to_review", f"version {command.version_number} does not wait for review")
            reviewed = work.review(command.accepted, command.comments)
        except HomeworkRefusal as refused:
            return self._refused(command, "review", refused.code, refused.reason)
        event = messages.HomeworkReviewed(
            programme_id=command.programme_id, homework_key=command.homework_key, team_id=command.team_id,
            version_number=reviewed.number, outcome=_outcome(reviewed), comments=command.comments,
            reviewer_id=command.reviewer_id, reviewed_at=at, status=work.status)
        self.events.append(event)
        return event

    def handed_in_by(self, person_id: str) -> list[tuple[str, str, Version]]:
        """Every version the person handed in, as (homework, team, version): for their export."""
        return [(a.key, team_id, v) for a in self.assignments.values() for team_id, work in a.work.items()
                for v in work.versions if v.person_id == person_id]

    def anonymise(self, person_id: str) -> int:
        """Erase what the person wrote and attached to the versions they handed in (a version stays, with its
        times and review, so the grid and the figures stay true); how many versions changed."""
        return self._erase(lambda version: version.person_id == person_id)

    def forget_everything(self) -> int:
        """At the end of its retention period: erase every version's text, attachments and review comments."""
        return self._erase(lambda version: True, comments=True)

    def _erase(self, chosen: Callable[[Version], bool], comments: bool = False) -> int:
        changed = 0
        for work in (w for a in self.assignments.values() for w in a.work.values()):
            for n, version in enumerate(work.versions):
                if not chosen(version):
                    continue
                erased = replace(version, text=ERASED_NAME,
                                 attachments=tuple(Attachment(ERASED_NAME, a.size_bytes) for a in version.attachments),
                                 comments=ERASED_NAME if comments and version.comments else version.comments)
                if erased != version:
                    work.versions[n] = erased
                    changed += 1
        return changed

    def grid(self) -> dict[str, dict[str, HomeworkStatus]]:
        """Team -> homework -> status, for the organiser."""
        return grid(w for a in self.assignments.values() for w in a.work.values())

    def to_remind(self, key: str) -> list[str]:
        """The teams that have not handed in the homework (a reminder goes to them only)."""
        assignment = self.assignments.get(key)
        return to_remind(assignment.work.values()) if assignment else []

    def _work(self, command: messages.SubmitHomework | messages.ReviewHomework) -> TeamHomework:
        assignment = self.assignments.get(command.homework_key)
        if assignment is None:
            raise HomeworkRefusal("unknown_homework", "no such homework in this programme")
        work = assignment.work.get(str(command.team_id))
        if work is None:
            raise HomeworkRefusal("not_a_team", "no such accepted team in this programme")
        return work

    def _refused(self, command: messages.SubmitHomework | messages.ReviewHomework,
                 name: messages.HomeworkCommandName, code: messages.HomeworkRefusalCode, reason: str) -> Event:
        return messages.HomeworkRefused(programme_id=command.programme_id, homework_key=command.homework_key,
                                        command=name, team_id=command.team_id, reason_code=code, reason=reason[:200])


def _outcome(version: Version) -> messages.ReviewOutcome:
    return "accepted" if version.review == "accepted" else "changes_requested"
