"""The MongoDB client of a service: timezone-aware, standard UUIDs, one database per service."""

from typing import Any

from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from koos_kit.config import ServiceSettings

MongoDocument = dict[str, Any]


def connect(settings: ServiceSettings) -> AsyncMongoClient[MongoDocument]:
    """A client for the service's MongoDB (or Mongo-wire) server."""
    return AsyncMongoClient(
        settings.mongo_url,
        tz_aware=True,
        uuidRepresentation="standard",
        serverSelectionTimeoutMS=5000,
        appname=f"koos-{settings.service_name}",
    )


def database(client: AsyncMongoClient[MongoDocument], settings: ServiceSettings) -> AsyncDatabase[MongoDocument]:
    """The service's own database; no service reads another's."""
    return client[settings.mongo_database]


async def ping(client: AsyncMongoClient[MongoDocument]) -> bool:
    """Whether the server answers."""
    try:
        await client.admin.command("ping")
    except Exception:
        return False
    return True
