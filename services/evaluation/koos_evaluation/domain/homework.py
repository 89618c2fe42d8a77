"""Homework of a programme's teams: set per workshop, due before the next; submitted, reviewed, resubmitted.

Rules: a submission is text and attachments or links within a size limit (a clear refusal above it); every version
is kept; a trainer accepts the newest version or asks for changes with comments; a team whose work was accepted
submits no more; a submission after the due time is accepted and marked late; reminders go only to teams that have
not submitted; the organiser's grid shows each team's status per homework.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from koos_contracts.homework import HomeworkRefusalCode, HomeworkStatus
from koos_evaluation.domain.errors import EvaluationRefused

MAX_SUBMISSION_BYTES = 10 * 1024 * 1024
"""What one version may weigh, text and attachments together."""


class HomeworkRefusal(EvaluationRefused):
    """A homework rule refuses the request: its code (as the refusal event carries it) and reason."""

    def __init__(self, code: HomeworkRefusalCode, reason: str) -> None:
        super().__init__(reason)
        self.code: HomeworkRefusalCode = code


@dataclass(frozen=True)
class Attachment:
    """A file stored elsewhere (by its key) or a link, with its size in bytes (0 for a link)."""

    name: str
    size_bytes: int = 0
    link: str | None = None


@dataclass(frozen=True)
class Version:
    """One submitted version of a team's homework, and the trainer's review of it once given."""

    number: int
    text: str
    attachments: tuple[Attachment, ...]
    submitted_at: datetime
    late: bool
    review: Literal["accepted", "changes_requested"] | None = None
    comments: str = ""
    person_id: str = ""
    """Who handed it in (a member of the team)."""


@dataclass
class TeamHomework:
    """One team's work on one homework: every version, newest last."""

    homework_key: str
    team_id: str
    due_at: datetime
    versions: list[Version] = field(default_factory=list)
    max_bytes: int = MAX_SUBMISSION_BYTES

    @property
    def status(self) -> HomeworkStatus:
        if not self.versions:
            return "not_started"
        newest = self.versions[-1]
        if newest.review == "accepted":
            return "accepted"
        if newest.review == "changes_requested":
            return "changes_requested"
        if newest.late and newest.number == 1:
            return "late"
        return "resubmitted" if newest.number > 1 else "submitted"

    @property
    def has_submitted(self) -> bool:
        return bool(self.versions)

    def submit(self, text: str, attachments: Sequence[Attachment], at: datetime, person_id: str = "") -> Version:
        """A new version; refused once accepted, while the last one waits for review, or above the size limit."""
        if self.status == "accepted":
            raise HomeworkRefusal("accepted_already", "the homework was accepted already")
        if self.versions and self.versions[-1].review is None:
            raise HomeworkRefusal("waiting_for_review", "the last version waits for the trainer's review")
        size = len(text.encode()) + sum(a.size_bytes for a in attachments)
        if size > self.max_bytes:
            raise HomeworkRefusal("too_large", f"the submission is {_megabytes(size)}; at most "
                                               f"{_megabytes(self.max_bytes)} may be submitted at once (give large "
                                               "files as links)")
        version = Version(len(self.versions) + 1, text, tuple(attachments), at, late=at > self.due_at,
                          person_id=person_id)
        self.versions.append(version)
        return version

    def review(self, accepted: bool, comments: str = "") -> Version:
        """The trainer's review of the newest version: accepted, or changes requested (with comments)."""
        if not self.versions or self.versions[-1].review is not None:
            raise HomeworkRefusal("nothing_to_review", "there is no version waiting for review")
        if not accepted and not comments.strip():
            raise HomeworkRefusal("changes_unsaid", "say which changes are wanted")
        newest = self.versions[-1]
        reviewed = Version(newest.number, newest.text, newest.attachments, newest.submitted_at, newest.late,
                           "accepted" if accepted else "changes_requested", comments, newest.person_id)
        self.versions[-1] = reviewed
        return reviewed


def to_remind(work: Iterable[TeamHomework]) -> list[str]:
    """The teams a reminder before the due date goes to: those that have not submitted, never the others."""
    return sorted(w.team_id for w in work if not w.has_submitted)


def grid(work: Iterable[TeamHomework]) -> dict[str, dict[str, HomeworkStatus]]:
    """The organiser's grid: team → homework → status."""
    found: dict[str, dict[str, HomeworkStatus]] = {}
    for item in work:
        found.setdefault(item.team_id, {})[item.homework_key] = item.status
    return found


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"
