"""Survey results read model in MongoDB: the newest results per edition."""

from typing import Any

from pymongo.asynchronous.collection import AsyncCollection

from koos_contracts.evaluation import SurveyResultsUpdated
from koos_gateway.adapters.newest import OCCURRED_AT, keep_newest
from koos_gateway.domain.surveys import SurveyResultsView
from koos_gateway.service_layer.ports import SurveyResultsReadModel

Document = dict[str, Any]


class MongoSurveyResults(SurveyResultsReadModel):
    """One document per edition, replaced only by newer results."""

    def __init__(self, collection: AsyncCollection[Document]) -> None:
        self._results = collection

    async def save(self, view: SurveyResultsView) -> None:
        fields = {"organisation_id": view.organisation_id, "results": view.results.model_dump(mode="json")}
        await keep_newest(self._results, str(view.results.edition_id), view.occurred_at, fields)

    async def latest(self, edition_id: str) -> SurveyResultsView | None:
        document = await self._results.find_one({"_id": edition_id})
        if document is None:
            return None
        return SurveyResultsView(document["organisation_id"], SurveyResultsUpdated.model_validate(document["results"]),
                                 document[OCCURRED_AT])
