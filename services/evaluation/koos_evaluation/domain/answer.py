"""A participant's answer to an edition's survey: one per person, never changed once given."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID


def answer_id(edition_id: UUID, person_id: str) -> str:
    """The id of a person's answer for an edition: answering twice cannot make two."""
    return f"{edition_id}:{person_id}"


@dataclass(frozen=True)
class Answer:
    """Ratings from 1 to 5 per question key and an optional comment, with the command that brought them."""

    edition_id: UUID
    organisation_id: str
    person_id: str
    ratings: dict[str, int]
    comment: str | None
    submitted_at: datetime
    command_id: str

    @property
    def answer_id(self) -> str:
        return answer_id(self.edition_id, self.person_id)

    @property
    def quote(self) -> str | None:
        """The comment as it may be quoted: stripped, and only if something is left."""
        text = (self.comment or "").strip()
        return text or None
