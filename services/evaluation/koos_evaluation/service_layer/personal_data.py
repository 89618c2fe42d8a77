"""What evaluation holds about a person, for their export and their erasure: their answers, the jury rounds
naming them (an admitted institution's contact) and the homework versions they handed in for their team.

Erasing keeps the ratings (the survey means stay what they were) and removes the comment; the survey's
results are announced again without the comment among the quotes. A round keeps its applications, scores and
ranking; the person named in it reads as erased. A homework version keeps its number, times and review (the grid
and the figures stay true) and loses what the person wrote and attached.
"""

from typing import Any

from koos_evaluation.domain.answer import Answer
from koos_evaluation.domain.programme_homework import ProgrammeHomework
from koos_evaluation.service_layer.ports import Ports
from koos_kit.privacy.requests import PersonalDataHolder


class EvaluationHolder(PersonalDataHolder):
    """A person's answers to feedback surveys."""

    def __init__(self, ports: Ports) -> None:
        self._ports = ports

    async def export(self, subject_id: str, organisation_id: str) -> dict[str, Any]:
        answers = await self._ports.answers.of_person(organisation_id, subject_id)
        rounds = await self._ports.rounds.naming(organisation_id, subject_id) if self._ports.rounds else []
        homework = [{"programme_id": p.programme_id, "homework_key": key, "team_id": team, "version": v.number,
                     "text": v.text, "attachments": [a.name for a in v.attachments],
                     "submitted_at": v.submitted_at.isoformat(), "late": v.late, "review": v.review}
                    for p in await self._homework_of(subject_id, organisation_id)
                    for key, team, v in p.handed_in_by(subject_id)]
        return {"answers": [_exported(a) for a in answers], "jury_rounds": rounds, "homework": homework}

    async def erase(self, subject_id: str, organisation_id: str) -> dict[str, int]:
        erased = 0
        for answer in await self._ports.answers.of_person(organisation_id, subject_id):
            if await self._ports.answers.drop_comment(answer.edition_id, subject_id):
                erased += 1
                await self._recount(answer, subject_id)
        named = await self._ports.rounds.anonymise(organisation_id, subject_id) if self._ports.rounds else 0
        versions = 0
        store = self._ports.homework
        for programme in await self._homework_of(subject_id, organisation_id):
            if store is not None and (changed := programme.anonymise(subject_id)):
                await store.save(programme, [])
                versions += changed
        return {"comments": erased, "jury_rounds": named, "homework_versions": versions}

    async def _homework_of(self, subject_id: str, organisation_id: str) -> list[ProgrammeHomework]:
        if self._ports.homework is None:
            return []
        return await self._ports.homework.handed_in_by(organisation_id, subject_id)

    async def _recount(self, answer: Answer, subject_id: str) -> None:
        survey = await self._ports.surveys.get(answer.edition_id)
        if survey is None:
            return
        survey.recount(await self._ports.answers.of_edition(answer.edition_id))
        reason = f"erasure:{subject_id}:{answer.edition_id}:{survey.version}"
        await self._ports.surveys.save(survey, self._ports.factory.on_schedule(answer.organisation_id, reason,
                                                                               survey.events))


def _exported(answer: Answer) -> dict[str, Any]:
    return {"edition_id": str(answer.edition_id), "ratings": answer.ratings, "comment": answer.comment,
            "submitted_at": answer.submitted_at.isoformat()}
