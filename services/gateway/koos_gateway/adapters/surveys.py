"""Survey results read model in MongoDB: the newest results per edition."""

from typing import Any

from pymongo.asynchronous.collection import AsyncCollection

from koos_contracts.evaluation import SurveyOpened, SurveyResultsUpdated
from koos_gateway.adapters.newest import OCCURRED_AT, keep_newest
from koos_gateway.domain.surveys import SurveyForm, SurveyResultsView
from koos_gateway.service_layer.ports import SurveyResultsReadModel

Document = dict[str, Any]


class MongoSurveyResults(SurveyResultsReadModel):
    """One document per edition, replaced only by newer results."""

    def __init__(self, collection: AsyncCollection[Document], forms: AsyncCollection[Document]) -> None:
        self._results = collection
        self._forms = forms

    async def save(self, view: SurveyResultsView) -> None:
        fields = {"organisation_id": view.organisation_id, "results": view.results.model_dump(mode="json")}
        await keep_newest(self._results, str(view.results.edition_id), view.occurred_at, fields)

    async def latest(self, edition_id: str) -> SurveyResultsView | None:
        document = await self._results.find_one({"_id": edition_id})
        if document is None:
            return None
        return SurveyResultsView(document["organisation_id"], SurveyResultsUpdated.model_validate(document["results"]),
                                 document[OCCURRED_AT])

    async def save_form(self, form: SurveyForm) -> None:
        document = {"organisation_id": form.organisation_id, "opened": form.opened.model_dump(mode="json")}
        await self._forms.update_one({"_id": str(form.opened.edition_id)}, {"$set": document}, upsert=True)

    async def form(self, edition_id: str) -> SurveyForm | None:
        document = await self._forms.find_one({"_id": edition_id})
        if document is None:
            return None
        return SurveyForm(document["organisation_id"], SurveyOpened.model_validate(document["opened"]))
