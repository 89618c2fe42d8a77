"""What evaluation holds about a person, for their export and their erasure: their answers, and the jury rounds
naming them (an admitted institution's contact).

Erasing keeps the ratings (the survey means stay what they were) and removes the comment; the survey's
results are announced again without the comment among the quotes. A round keeps its applications, scores and
ranking; the person named in it reads as erased.
"""

from typing import Any

from koos_evaluation.domain.answer import Answer
from koos_evaluation.service_layer.ports import Ports
from koos_kit.privacy.requests import PersonalDataHolder


class EvaluationHolder(PersonalDataHolder):
    """A person's answers to feedback surveys."""

    def __init__(self, ports: Ports) -> None:
        self._ports = ports

    async def export(self, subject_id: str, organisation_id: str) -> dict[str, Any]:
        answers = await self._ports.answers.of_person(organisation_id, subject_id)
        rounds = await self._ports.rounds.naming(organisation_id, subject_id) if self._ports.rounds else []
        return {"answers": [_exported(a) for a in answers], "jury_rounds": rounds}

    async def erase(self, subject_id: str, organisation_id: str) -> dict[str, int]:
        erased = 0
        for answer in await self._ports.answers.of_person(organisation_id, subject_id):
            if await self._ports.answers.drop_comment(answer.edition_id, subject_id):
                erased += 1
                await self._recount(answer, subject_id)
        named = await self._ports.rounds.anonymise(organisation_id, subject_id) if self._ports.rounds else 0
        return {"comments": erased, "jury_rounds": named}

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
