"""The gateway's person directory on the real Mongo-wire server: a subject per address, its key issued once, and
a rush of sign-ups sharing their round trips."""

import asyncio
import uuid
from collections.abc import AsyncIterator, Sequence
from typing import Any, cast

import pytest
from pymongo import AsyncMongoClient
from pymongo.asynchronous.collection import AsyncCollection

from koos_contracts import Envelope
from koos_contracts.identity import person_id_for
from koos_gateway.adapters.people import MongoPeople
from koos_kit.messaging.publisher import KafkaPublisher
from koos_kit.privacy.keyring import KeyRing, KeyWrapper
from koos_kit.privacy.sealing import KeyIssuer, PersonalData

pytestmark = pytest.mark.integration
ORG = "tartu-linn"
SECRET = "a-key-encryption-key-of-some-length"


class Keys:
    """Stands for the keys topic: what was published on it, and whether it takes records now."""

    def __init__(self) -> None:
        self.issued: list[str] = []
        self.down = False

    async def publish(self, envelopes: Sequence[Envelope]) -> None:
        if self.down:
            raise ConnectionError("the broker does not answer")
        self.issued.extend(e.data["subject_id"] for e in envelopes)

    async def tombstone(self, topic: str, key: str) -> None:
        self.issued.append(f"tombstone:{key}")


@pytest.fixture
async def people(mongo_url: str) -> AsyncIterator[AsyncCollection[dict[str, Any]]]:
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(mongo_url, tz_aware=True)
    db = client[f"people_{uuid.uuid4().hex[:10]}"]
    yield db.people
    await client.drop_database(db.name)
    await client.close()


def directory(collection: AsyncCollection[dict[str, Any]], keys: Keys) -> tuple[MongoPeople, KeyRing]:
    """One gateway replica's directory, with a ring of its own."""
    ring = KeyRing()
    issuer = KeyIssuer(ring, KeyWrapper(SECRET), "/koos/gateway")
    return MongoPeople(collection, SECRET, PersonalData(ring), issuer, cast(KafkaPublisher, keys)), ring


async def test_a_rush_of_sign_ups_gets_one_subject_per_address_and_shares_its_writes(
        people: AsyncCollection[dict[str, Any]]) -> None:
    keys = Keys()
    gateway, ring = directory(people, keys)
    addresses = [f"person{n}@example.ee" for n in range(60)]
    asked = addresses + [a.upper() for a in addresses[:20]]  # the same people again, the address spelled otherwise

    subjects = await asyncio.gather(*(gateway.subject_for(ORG, a) for a in asked))

    assert subjects[:60] == [person_id_for(ORG, a) for a in addresses]
    assert subjects[60:] == subjects[:20]
    assert sorted(keys.issued) == sorted(set(subjects)), "every subject's key is issued exactly once"
    assert all(ring.knows(s) for s in subjects)
    assert gateway._asked.writes <= 3, "sign-ups of one moment share their round trips"
    assert await people.count_documents({}) == 60


async def test_two_replicas_asked_for_the_same_people_agree_and_issue_each_key_once(
        people: AsyncCollection[dict[str, Any]]) -> None:
    keys = Keys()
    first, _ = directory(people, keys)
    second, _ = directory(people, keys)
    addresses = [f"twice{n}@example.ee" for n in range(30)]

    asked = await asyncio.gather(*(replica.subject_for(ORG, a) for a in addresses for replica in (first, second)))

    assert asked[0::2] == asked[1::2] == [person_id_for(ORG, a) for a in addresses]
    assert sorted(keys.issued) == sorted(asked[0::2])


async def test_a_key_that_could_not_be_published_is_issued_on_the_next_sign_up(
        people: AsyncCollection[dict[str, Any]]) -> None:
    keys = Keys()
    gateway, ring = directory(people, keys)
    keys.down = True

    with pytest.raises(ConnectionError):
        await gateway.subject_for(ORG, "mari@example.ee")
    assert not ring.knows(person_id_for(ORG, "mari@example.ee")), "no key is kept that nobody else can have"

    keys.down = False
    subject = await gateway.subject_for(ORG, "mari@example.ee")

    assert keys.issued == [subject] == [person_id_for(ORG, "mari@example.ee")]
    assert ring.knows(subject)


async def test_an_erased_person_who_signs_up_again_is_a_new_subject(
        people: AsyncCollection[dict[str, Any]]) -> None:
    keys = Keys()
    gateway, ring = directory(people, keys)
    before = await gateway.subject_for(ORG, "jaan@example.ee")

    await gateway.forget(before)
    again = await gateway.subject_for(ORG, "jaan@example.ee")

    assert again != before
    assert before in ring.erased and ring.knows(again)
    assert keys.issued == [before, f"tombstone:{before}", again]
