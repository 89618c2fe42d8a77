"""Applications in MongoDB: one versioned document per application, with its outbox."""

from collections.abc import Sequence
from typing import Any

from koos_contracts import Envelope
from koos_contracts.applications import InstitutionApplied
from koos_kit.versioned import State, VersionedDocuments
from koos_registration.domain.application import Application
from koos_registration.service_layer.ports import Applications


class MongoApplications(Applications):
    def __init__(self, documents: VersionedDocuments) -> None:
        self._documents = documents

    async def ensure_indexes(self) -> None:
        await self._documents.ensure_indexes("edition_id")

    async def get(self, application_id: str) -> Application | None:
        found = await self._documents.get(application_id)
        if found is None:
            return None
        state, version = found
        return Application(applied=InstitutionApplied.model_validate(state["applied"]),
                           organisation_id=state["organisation_id"], status=state["status"],
                           decided_at=state["decided_at"], commands=list(state["commands"]), version=version)

    async def save(self, application: Application, envelopes: Sequence[Envelope]) -> None:
        application.version = await self._documents.save(str(application.applied.application_id),
                                                          _state(application), application.version, envelopes)
        application.events.clear()


def _state(application: Application) -> State:
    state: dict[str, Any] = {
        "edition_id": str(application.applied.edition_id),
        "organisation_id": application.organisation_id,
        "applied": application.applied.model_dump(mode="json"),
        "status": application.status,
        "decided_at": application.decided_at,
        "commands": application.commands,
    }
    return state
