"""A programme's homework as the organiser and trainers see it: each homework with its due time, and per team its
standing (the grid's cell) and every version handed in with its review. A projection of evaluation's events: the
rules (who may hand in, what a status is) are evaluation's; this view records what they decided."""

from dataclasses import dataclass, field
from typing import Any

from koos_contracts import homework as messages
from koos_contracts.values import ERASED_NAME


@dataclass
class TeamWork:
    """One team's standing on one homework, and its versions (newest last)."""

    status: str = "not_started"
    versions: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class HomeworkItem:
    key: str
    title: dict[str, str]
    description: dict[str, str]
    due_at: str
    workshop_key: str | None
    teams: dict[str, TeamWork] = field(default_factory=dict)


@dataclass
class HomeworkGrid:
    programme_id: str
    organisation_id: str
    items: dict[str, HomeworkItem] = field(default_factory=dict)

    def set(self, event: messages.HomeworkSet) -> None:
        item = self.items.get(event.homework_key)
        teams = item.teams if item else {}
        title = {str(language): text for language, text in event.title.items()}
        description = {str(language): text for language, text in event.description.items()}
        self.items[event.homework_key] = HomeworkItem(event.homework_key, title, description,
                                                      event.due_at.isoformat(), event.workshop_key, teams)
        for team_id in event.team_ids:
            teams.setdefault(str(team_id), TeamWork())

    def submitted(self, event: messages.HomeworkSubmitted) -> None:
        work = self._work(event.homework_key, str(event.team_id))
        work.status = event.status or "submitted"
        work.versions.append({"version": event.version_number, "person_id": event.person_id, "text": event.text,
                              "attachments": [a.model_dump(mode="json") for a in event.attachments],
                              "submitted_at": event.submitted_at.isoformat(), "late": event.late,
                              "review": None, "comments": ""})

    def reviewed(self, event: messages.HomeworkReviewed) -> None:
        work = self._work(event.homework_key, str(event.team_id))
        work.status = event.status or event.outcome
        for version in work.versions:
            if version["version"] == event.version_number:
                version.update(review=event.outcome, comments=event.comments, reviewer_id=event.reviewer_id,
                               reviewed_at=event.reviewed_at.isoformat())

    def handed_in_by(self, person_id: str) -> list[dict[str, Any]]:
        """Every version the person handed in, with its homework and team (for their export)."""
        return [{"homework_key": item.key, "team_id": team_id, **version} for item in self.items.values()
                for team_id, work in item.teams.items() for version in work.versions
                if version.get("person_id") == person_id]

    def erase(self, person_id: str | None = None) -> int:
        """Erase what the person (everyone, when none is named) wrote and attached, and with everyone also the
        trainers' comments; the versions, their times and reviews stay. How many versions changed."""
        changed = 0
        for version in (v for item in self.items.values() for work in item.teams.values() for v in work.versions):
            if person_id is not None and version.get("person_id") != person_id:
                continue
            erased = {**version, "text": ERASED_NAME,
                      "attachments": [{"name": ERASED_NAME, "size_bytes": a.get("size_bytes", 0)}
                                      for a in version.get("attachments", [])]}
            if person_id is None and version.get("comments"):
                erased["comments"] = ERASED_NAME
            if erased != version:
                version.clear()
                version.update(erased)
                changed += 1
        return changed

    def cells(self) -> dict[str, dict[str, str]]:
        """Team -> homework -> status."""
        found: dict[str, dict[str, str]] = {}
        for item in self.items.values():
            for team_id, work in item.teams.items():
                found.setdefault(team_id, {})[item.key] = work.status
        return found

    def _work(self, key: str, team_id: str) -> TeamWork:
        item = self.items.get(key)
        if item is None:  # a fact about a homework set before this view existed: keep it all the same
            item = self.items[key] = HomeworkItem(key, {}, {}, "", None)
        return item.teams.setdefault(team_id, TeamWork())
