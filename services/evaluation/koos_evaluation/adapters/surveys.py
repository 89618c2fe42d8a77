"""Surveys in MongoDB: one document per edition, holding its roster, results and outbox; a version guards it."""

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from koos_contracts import Envelope
from koos_evaluation.adapters.survey_documents import state_of, survey_from
from koos_evaluation.domain.survey import Survey
from koos_evaluation.service_layer.ports import StaleSurvey, Surveys
from koos_kit.clock import Clock
from koos_kit.outbox import OUTBOX, OutboxRelay, ensure_outbox_index, outbox_fields, with_outbox

Document = dict[str, Any]


class MongoSurveys(Surveys):
    """Stores surveys; the events a change raised are written in the same update, then published."""

    def __init__(self, collection: AsyncCollection[Document], relay: OutboxRelay, clock: Clock) -> None:
        self._surveys = collection
        self._relay = relay
        self._clock = clock

    async def ensure_indexes(self) -> None:
        """Indexes the queries need."""
        await self._surveys.create_index("organisation_id")
        await ensure_outbox_index(self._surveys)

    async def get(self, edition_id: UUID) -> Survey | None:
        document = await self._surveys.find_one({"_id": str(edition_id)}, {OUTBOX: 0})
        return survey_from(document) if document else None

    async def save(self, survey: Survey, envelopes: Sequence[Envelope]) -> None:
        if survey.version == 0:
            await self._insert(survey, envelopes)
        else:
            await self._update(survey, envelopes)
        survey.version += 1
        survey.events.clear()
        await self._relay.flush(self._surveys, str(survey.edition_id), envelopes)

    async def _insert(self, survey: Survey, envelopes: Sequence[Envelope]) -> None:
        document = {"_id": str(survey.edition_id), **state_of(survey, 1), **outbox_fields(envelopes, self._clock.now())}
        try:
            await self._surveys.insert_one(document)
        except DuplicateKeyError as error:
            raise StaleSurvey("the survey was stored meanwhile") from error

    async def _update(self, survey: Survey, envelopes: Sequence[Envelope]) -> None:
        update = with_outbox({"$set": state_of(survey, survey.version + 1)}, envelopes, self._clock.now())
        result = await self._surveys.update_one({"_id": str(survey.edition_id), "version": survey.version}, update)
        if result.matched_count == 0:
            raise StaleSurvey("the survey changed meanwhile")
