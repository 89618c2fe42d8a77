"""A person's data exported and then erased across every service, every database and every topic (issue 11).

The person registers for two editions (for one they wait in line and are promoted), gets their mails and
answers the survey with a comment; their export holds what each service has, checked against what the test
sent. After the erasure no database of any service, and no topic replayed from offset 0, holds their name,
address or comment in any simple encoding; their sealed fields open to the erased placeholders only; the seat
counts and the survey's means are what they were, and every service has confirmed.
"""

import asyncio
import base64
import json
import urllib.parse
import uuid
from collections import Counter
from typing import Any

import bson
import httpx
import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from pymongo import AsyncMongoClient

from koos_cli import programme_2016 as p2016
from koos_contracts.personal_data import HOLDERS
from koos_contracts.values import ERASED_NAME
from koos_kit.messaging.security import aiokafka_options
from koos_kit.privacy.codec import sealed_subjects
from tests.builders import soon
from tests.fixtures.kafka import KafkaProbe, envelopes_of
from tests.fixtures.mail import Mailbox
from tests.fixtures.services import Namespace
from tests.fixtures.stack import Stack

pytestmark = pytest.mark.e2e

NAME = "Siiri Õunapuu-Ødegård"
COMMENT = "Jeg lærte hvor mye innsiktsfasen betyr, sa Siiri om Tammsaare-prosjektet"
RATINGS = {"overall": 4, "methods": 5}
SERVICES = ("scheduling", "registration", "evaluation", "notifications", "gateway")


async def sign_up(stack: Stack, edition_id: object, email: str, name: str) -> str:
    answer = await stack.gateway.post(f"/v1/public/editions/{edition_id}/registrations", params={"wait": 20},
                                      json={"email": email, "name": name, "language": "nb"})
    assert answer.status_code in (201, 202), answer.text
    return str(answer.json()["registration_id"])


async def until(fetch: Any, holds: Any, timeout: float = 90) -> Any:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        found = await fetch()
        if holds(found):
            return found
        assert asyncio.get_running_loop().time() < deadline, f"not reached: {found}"
        await asyncio.sleep(0.5)


def encodings(text: str) -> set[bytes]:
    """The text as raw bytes, escaped JSON, URL-quoted, base64 and hex: what a scan must not find."""
    forms = {text, text.casefold(), json.dumps(text)[1:-1], urllib.parse.quote(text), urllib.parse.quote_plus(text)}
    raw = {form.encode() for form in forms} | {text.encode("utf-16-le")}
    encoded = set()
    for value in raw:
        encoded |= {base64.b64encode(value), base64.urlsafe_b64encode(value), value.hex().encode()}
    return raw | {e.rstrip(b"=") for e in encoded}


def findings(blob: bytes, secrets: dict[str, set[bytes]]) -> list[str]:
    return [what for what, forms in secrets.items() if any(form in blob for form in forms)]


async def scan_databases(mongo_url: str, namespace: Namespace, secrets: dict[str, set[bytes]]) -> dict[str, Any]:
    """Every document of every collection of every service: what it holds of the secrets, and how many."""
    found: dict[str, list[str]] = {}
    documents = 0
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(mongo_url)
    try:
        for service in SERVICES:
            database = client[namespace.database(service)]
            for collection in await database.list_collection_names():
                async for document in database[collection].find():
                    documents += 1
                    blob = bson.encode(document) + json.dumps(document, default=str, ensure_ascii=False).encode()
                    if hits := findings(blob, secrets):
                        found[f"{service}.{collection}.{document['_id']}"] = hits
    finally:
        await client.close()
    return {"found": found, "documents": documents}


async def replay_every_topic(probe: KafkaProbe) -> list[Any]:
    """Every record of every topic of the namespace, from offset 0 to the end, read as the operator."""
    admin = AIOKafkaAdminClient(**aiokafka_options(probe.connection))
    await admin.start()
    try:
        topics = [t for t in await admin.list_topics() if t.startswith(probe.namespace.prefix)]
        described = await admin.describe_topics(topics)
    finally:
        await admin.close()
    partitions = [TopicPartition(t["topic"], p["partition"]) for t in described for p in t["partitions"]]
    consumer = AIOKafkaConsumer(**aiokafka_options(probe.connection), enable_auto_commit=False)
    await consumer.start()
    try:
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        ends = await consumer.end_offsets(partitions)
        records: list[Any] = []
        behind = [tp for tp, end in ends.items() if end]
        while behind:
            batch = await consumer.getmany(timeout_ms=500, max_records=5000)
            records += [r for rs in batch.values() for r in rs]
            behind = [tp for tp in behind if await consumer.position(tp) < ends[tp]]
        return records
    finally:
        await consumer.stop()


def blob_of(record: Any) -> bytes:
    headers = b"".join(name.encode() + (value or b"") for name, value in record.headers or ())
    return (record.key or b"") + (record.value or b"") + headers


async def test_an_exported_then_erased_person_is_nowhere_readable_and_the_figures_stay(
        stack: Stack, kafka_probe: KafkaProbe, smtp_server: Any, mongo_url: str, granted_namespace: Namespace) -> None:
    mailbox = Mailbox(smtp_server.maildir, stack.mail_domain)
    email, other = stack.email(7), stack.email(8)
    course, full = soon(-1, 2, capacity=10), soon(24 * 60, capacity=1)
    for plan in (course, full):
        published = await stack.gateway.post("/v1/editions", json=plan.model_dump(mode="json"), headers=stack.staff())
        assert published.status_code == 201, published.text

    taken = await sign_up(stack, full.edition_id, other, "Kari Nordmann")
    waiting = await sign_up(stack, full.edition_id, email, NAME)
    await sign_up(stack, course.edition_id, email, NAME)
    assert (await stack.gateway.delete(f"/v1/registrations/{taken}", headers=stack.staff())).status_code == 202
    promoted = await mailbox.wait_for(1, "registration_promoted")
    assert {m.recipient for m in promoted} == {email}

    (request,) = [m for m in await mailbox.wait_for(1, "feedback_requested", timeout=240) if m.recipient == email]
    token = {"Authorization": f"Bearer {request.link_token()}"}
    answered = await stack.gateway.post(f"/v1/editions/{course.edition_id}/feedback", params={"wait": 10},
                                        json={"ratings": RATINGS, "comment": COMMENT}, headers=token)
    assert answered.status_code == 201, answered.text
    results = await until(lambda: _results(stack, course.edition_id), lambda r: r.get("quotes") == [COMMENT])
    editions_before = {plan.edition_id: await _seats(stack, plan.edition_id) for plan in (course, full)}
    assert editions_before[full.edition_id]["confirmed"] == 1

    asked = await stack.gateway.post("/v1/me/exports", headers=token)
    assert asked.status_code == 202, asked.text
    export = await until(lambda: _json(stack, asked.headers["Location"], token), lambda e: e["status"] == "complete")
    # the mail that says the export is ready follows the export, so the export cannot hold it
    mails_sent = sorted(m.kind for m in mailbox.mails() if m.recipient == email and m.kind != "export_ready")
    _check_export(export["document"], email, waiting, mails_sent)
    summary = (await stack.gateway.get(export["links"]["summary"], headers=token)).text
    assert NAME in summary and COMMENT in summary and email in summary
    (ready,) = [m for m in await mailbox.wait_for(1, "export_ready") if m.recipient == email]
    assert f"/my-data/{export['request_id']}?token=" in ready.text()
    mailed = {"Authorization": f"Bearer {ready.link_token()}"}
    assert (await stack.gateway.get(asked.headers["Location"], headers=mailed)).json()["status"] == "complete"

    subjects_before = await _sealed_subjects(kafka_probe)
    erasure = await stack.gateway.post("/v1/people/erasures", json={"email": email}, headers=stack.staff())
    assert erasure.status_code == 202, erasure.text
    erased = await until(lambda: _json(stack, erasure.headers["Location"], stack.staff()),
                         lambda e: e["status"] == "complete")
    assert set(erased["confirmations"]) == set(HOLDERS)
    assert erased["confirmations"]["evaluation"] == {"comments": 1, "jury_rounds": 0, "homework_versions": 0}
    assert erased["confirmations"]["registration"] == {"registrations": 2, "team_members": 0,
                                                       "application_people": 0}

    after = await until(lambda: _results(stack, course.edition_id), lambda r: r.get("quotes") == [])
    assert [q["mean"] for q in after["questions"]] == [q["mean"] for q in results["questions"]]
    assert (after["responses"], after["invited"]) == (results["responses"], results["invited"])
    for plan in (course, full):
        assert await _seats(stack, plan.edition_id) == editions_before[plan.edition_id]

    secrets = {"name": encodings(NAME), "email": encodings(email), "comment": encodings(COMMENT)}
    scanned = await scan_databases(mongo_url, granted_namespace, secrets)
    assert scanned["documents"] > 20 and scanned["found"] == {}

    records = await replay_every_topic(kafka_probe)
    assert len(records) > 20
    assert {f"{r.topic}@{r.offset}": hits for r in records if (hits := findings(blob_of(r), secrets))} == {}
    ring = await kafka_probe.key_ring()
    person = [s for s in subjects_before if s in ring.erased]
    assert len(person) == 1 and person[0] not in ring.keys
    opened = await kafka_probe.opened(records)
    assert sum(person[0] in sealed_subjects(e.data) for e in envelopes_of(records)) >= 8
    readable = json.dumps([e.data for e in opened], ensure_ascii=False).encode()
    assert findings(readable, secrets) == [] and ERASED_NAME.encode() in readable


async def test_an_erased_team_member_is_nowhere_readable_and_their_team_keeps_its_shape(
        stack: Stack, kafka_probe: KafkaProbe, smtp_server: Any, mongo_url: str, granted_namespace: Namespace) -> None:
    """A team lead and the members they name enter Koos under their own subjects and keys like a sign-up: the
    lead's export holds their place in the team, and after their erasure nothing of them (their address in the
    application too) is readable anywhere while the team keeps its members and roles (it still meets the rule)."""
    mailbox, programme_id, number = Mailbox(smtp_server.maildir, stack.mail_domain), str(uuid.uuid4()), 77
    rule = {"title": {"en": "Co-creation programme 2016"}, "timezone": "Europe/Tallinn", "places": 6,
            "rule": p2016.RULE}
    defined = await stack.gateway.put(f"/v1/programmes/{programme_id}/team-rule", json=rule, headers=stack.staff())
    assert defined.status_code in (200, 202), defined.text
    teams = f"/v1/programmes/{programme_id}/teams"
    await until(lambda: stack.gateway.get(teams, headers=stack.staff()), lambda answer: answer.status_code == 200)
    members = p2016.full_team(number, stack.mail_domain)
    member = members[0]["person"]
    applied = await stack.gateway.post(f"/v1/public/programmes/{programme_id}/teams",
                                       json=p2016.application(number, members, stack.mail_domain))
    assert applied.status_code in (201, 202), applied.text
    listed = await until(lambda: _json(stack, teams, stack.staff()), lambda t: len(t["teams"]) == 1)
    team_id = listed["teams"][0]["team_id"]
    told = [m for m in await mailbox.wait_for(1, "team_applied") if m.recipient == member["email"]]
    assert told, "the member was not told of the application"

    asked = await stack.gateway.post("/v1/people/exports", json={"email": member["email"]}, headers=stack.staff())
    assert asked.status_code == 202, asked.text
    export = await until(lambda: _json(stack, asked.headers["Location"], stack.staff()),
                         lambda e: e["status"] == "complete")
    (place,) = export["document"]["registration"]["teams"]
    assert (place["team_id"], place["role"], place["lead"]) == (team_id, "ngo_leader", True)
    assert place["participant"]["name"] == member["name"]
    assert {m["recipient"]["email"] for m in export["document"]["notifications"]["mails"]} == {member["email"]}

    erasure = await stack.gateway.post("/v1/people/erasures", json={"email": member["email"]}, headers=stack.staff())
    assert erasure.status_code == 202, erasure.text
    erased = await until(lambda: _json(stack, erasure.headers["Location"], stack.staff()),
                         lambda e: e["status"] == "complete")
    assert erased["confirmations"]["registration"]["team_members"] == 1
    assert erased["confirmations"]["gateway"]["named"] >= 1

    listed = await until(lambda: _json(stack, teams, stack.staff()),
                         lambda t: ERASED_NAME in [m["name"] for m in t["teams"][0]["members"]])
    (team,) = listed["teams"]
    assert [m["role"] for m in team["members"]] == [m["role"] for m in members] and team["status"] == "applied"
    assert [m["name"] for m in team["members"]] == [ERASED_NAME if m["person"] == member else m["person"]["name"]
                                                      for m in members]
    secrets = {"name": encodings(member["name"]), "email": encodings(member["email"])}
    scanned = await scan_databases(mongo_url, granted_namespace, secrets)
    assert scanned["documents"] > 10
    assert scanned["found"] == {}
    records = await replay_every_topic(kafka_probe)
    assert {f"{r.topic}@{r.offset}": hits for r in records if (hits := findings(blob_of(r), secrets))} == {}
    opened = await kafka_probe.opened(records)
    assert findings(json.dumps([e.data for e in opened], ensure_ascii=False).encode(), secrets) == []


def _check_export(document: dict[str, Any], email: str, waiting: str, mails_sent: list[str]) -> None:
    assert set(document) == set(HOLDERS)
    registrations = document["registration"]["registrations"]
    assert len(registrations) == 2 and {r["status"] for r in registrations} == {"confirmed"}
    assert {(r["participant"]["name"], r["participant"]["email"]) for r in registrations} == {(NAME, email)}
    assert waiting in {r["registration_id"] for r in registrations}
    (answer,) = document["evaluation"]["answers"]
    assert answer["ratings"] == RATINGS and answer["comment"] == COMMENT
    notifications = document["notifications"]
    assert {c["recipient"]["email"] for c in notifications["contacts"]} == {email}
    made = Counter(m["kind"] for m in notifications["mails"])
    assert Counter(mails_sent) <= made
    assert {"registration_confirmed", "registration_waitlisted", "registration_promoted",
            "feedback_requested"} <= set(mails_sent)
    assert all(m["recipient"]["email"] == email and m["recipient"]["name"] == NAME for m in notifications["mails"])
    contacts = {(r["contact"]["name"], r["contact"]["email"]) for r in document["gateway"]["registrations"]}
    assert contacts == {(NAME, email)} and len(document["gateway"]["registrations"]) == 2


async def _sealed_subjects(probe: KafkaProbe) -> set[str]:
    found: set[str] = set()
    for envelope in envelopes_of(await replay_every_topic(probe)):
        found |= sealed_subjects(envelope.data)
    return found


async def _results(stack: Stack, edition_id: object) -> dict[str, Any]:
    answer = await stack.gateway.get(f"/v1/editions/{edition_id}/feedback", headers=stack.staff())
    return dict(answer.json()) if answer.status_code == 200 else {}


async def _seats(stack: Stack, edition_id: object) -> dict[str, Any]:
    edition = (await stack.gateway.get(f"/v1/editions/{edition_id}", headers=stack.staff())).json()
    return {key: edition.get(key) for key in ("capacity", "confirmed", "seats_left", "waiting")}


async def _json(stack: Stack, path: str, headers: dict[str, str]) -> dict[str, Any]:
    answer: httpx.Response = await stack.gateway.get(path, headers=headers)
    assert answer.status_code == 200, answer.text
    return dict(answer.json())
