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

from koos_evaluation.domain.errors import EvaluationRefused

HomeworkStatus = Literal["not_started", "submitted", "changes_requested", "resubmitted", "accepted", "late"]
MAX_SUBMISSION_BYTES = 10 * 1024 * 1024
"""What one version may weigh, text and attachments together."""


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

    def submit(self, text: str, attachments: Sequence[Attachment], at: datetime) -> Version:
        """A new version; refused once accepted, while the last one waits for review, or above the size limit."""
        if self.status == "accepted":
            raise EvaluationRefused("the homework was accepted already")
        if self.versions and self.versions[-1].review is None:
            raise EvaluationRefused("the last version waits for the trainer's review")
        size = len(text.encode()) + sum(a.size_bytes for a in attachments)
        if size > self.max_bytes:
            raise EvaluationRefused(f"the submission is {_megabytes(size)}; at most {_megabytes(self.max_bytes)} "
                                    f"may be submitted at once (give large files as links)")
        version = Version(len(self.versions) + 1, text, tuple(attachments), at, late=at > self.due_at)
        self.versions.append(version)
        return version

    def review(self, accepted: bool, comments: str = "") -> Version:
        """The trainer's review of the newest version: accepted, or changes requested (with comments)."""
        if not self.versions or self.versions[-1].review is not None:
            raise EvaluationRefused("there is no version waiting for review")
        if not accepted and not comments.strip():
            raise EvaluationRefused("say which changes are wanted")
        newest = self.versions[-1]
        reviewed = Version(newest.number, newest.text, newest.attachments, newest.submitted_at, newest.late,
                           "accepted" if accepted else "changes_requested", comments)
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
