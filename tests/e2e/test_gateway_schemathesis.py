"""The gateway under hostile HTTP: schemathesis reads the running gateway's OpenAPI document and sends every
operation generated input, each case without credentials or with one kind of valid ones (a staff organiser's
token, an operator's, a partner's API key, a participant's token; `schemathesis_credentials.py`). No answer may
be a server error or differ from the document (status, content type, headers, body schema).

Bounded for CI: a few examples per operation and a fixed seed. `KOOS_SCHEMATHESIS_EXAMPLES=100` makes it a longer
hunt, with the boundary values of the coverage phase too, and `KOOS_SCHEMATHESIS_SEED=` (empty) a random one;
the output and the JUnit report are kept in `KOOS_SCHEMATHESIS_REPORTS` when it is set."""

import asyncio
import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from koos_contracts.identity import person_id_for, registration_id_for
from koos_contracts.registration import RegistrationConfirmed
from koos_contracts.values import Participant
from tests.builders import open_course, opened, person, published
from tests.fixtures.kafka import KafkaProbe, eventually
from tests.fixtures.services import ServiceFactory, ServiceProcess
from tests.tokens import PARTICIPANT_PUBLIC_KEY, participant_token, staff_jwt

EXAMPLES = os.environ.get("KOOS_SCHEMATHESIS_EXAMPLES", "")
pytestmark = [pytest.mark.e2e, pytest.mark.timeout(3600 if EXAMPLES else 600)]

SECRET = "schemathesis-staff-secret-of-at-least-32-bytes"
ORGANISATION = "bodo-kommune"
CHECKS = ("not_a_server_error", "status_code_conformance", "content_type_conformance",
          "response_headers_conformance", "response_schema_conformance")
SEED = os.environ.get("KOOS_SCHEMATHESIS_SEED", "20261202")
ROOT = Path(__file__).resolve().parents[2]


async def _schemathesis(gateway: ServiceProcess, reports: Path, credentials: list[dict[str, str]]) -> tuple[int, str]:
    """One run, its exit code and what it printed. One worker: schemathesis's threads trip CPython 3.11's AST
    compiler ("recursion depth mismatch")."""
    phases = "examples,coverage,fuzzing" if EXAMPLES else "examples,fuzzing"
    command = ["run", f"{gateway.url}/openapi.json", "--checks", ",".join(CHECKS),
               "--max-examples", EXAMPLES or "6", "--phases", phases, "--workers", "1", "--request-timeout", "40",
               "--no-color", "--suppress-health-check", "all", "--report", "junit",
               "--report-junit-path", str(reports / "schemathesis.xml")]
    command += ["--seed", SEED] if SEED else []
    env = {**os.environ, "SCHEMATHESIS_HOOKS": "tests.e2e.schemathesis_credentials", "PYTHONPATH": str(ROOT),
           "KOOS_SCHEMATHESIS_CREDENTIALS": json.dumps(credentials)}
    run = await asyncio.create_subprocess_exec(str(Path(sys.executable).with_name("schemathesis")), *command,
                                               stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
                                               env=env, cwd=ROOT)
    try:
        output, _ = await run.communicate()
    finally:
        if run.returncode is None:
            run.kill()
    (reports / "schemathesis.txt").write_bytes(output)
    return run.returncode or 0, output.decode(errors="replace")


def _reports_dir(default: Path) -> Path:
    reports = Path(os.environ.get("KOOS_SCHEMATHESIS_REPORTS", default))
    reports.mkdir(parents=True, exist_ok=True)
    return reports


async def _document(gateway: ServiceProcess) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=gateway.url) as client:
        return dict((await client.get("/openapi.json")).json())


async def _api_key(gateway: ServiceProcess) -> str:
    operator = staff_jwt(SECRET, "koos", "operator", "operator-1", lifetime=3600)
    async with httpx.AsyncClient(base_url=gateway.url) as client:
        created = await client.post("/v1/admin/api-keys", json={"organisation_id": ORGANISATION, "label": "HR"},
                                    headers={"Authorization": f"Bearer {operator}"})
    created.raise_for_status()
    return str(created.json()["api_key"])


async def test_schemathesis_finds_no_server_error_and_no_answer_outside_the_document(
        services: ServiceFactory, kafka_probe: KafkaProbe, tmp_path: Path) -> None:
    gateway = services("gateway", jwt_secret=SECRET, participant_token_public_key=PARTICIPANT_PUBLIC_KEY,
                       command_wait_seconds="0.2", signup_rate_per_minute="1000000",
                       api_key_rate_per_minute="1000000").start()
    plan = open_course()
    await kafka_probe.send(published(plan), organisation_id=ORGANISATION)
    await kafka_probe.send(opened(plan), organisation_id=ORGANISATION)

    async def edition_visible() -> bool:
        async with httpx.AsyncClient() as client:
            return (await client.get(f"{gateway.url}/v1/public/editions/{plan.edition_id}")).status_code == 200

    await eventually(edition_visible, timeout=30)
    someone = Participant(person_id=person_id_for(ORGANISATION, person(1).email), **person(1).model_dump())
    registration_id = registration_id_for(plan.edition_id, person(1).email)
    await kafka_probe.send(RegistrationConfirmed(registration_id=registration_id, edition_id=plan.edition_id,
                                                 participant=someone, confirmed_at=datetime.now(UTC)),
                           organisation_id=ORGANISATION)
    participant = participant_token(ORGANISATION, someone.person_id, str(registration_id))

    async def registration_visible() -> bool:
        async with httpx.AsyncClient() as client:
            mine = await client.get(f"{gateway.url}/v1/me/registrations",
                                    headers={"Authorization": f"Bearer {participant}"})
            return mine.status_code == 200 and len(mine.json()) == 1

    await eventually(registration_visible, timeout=30)
    credentials = [
        {},
        {"Authorization": f"Bearer {staff_jwt(SECRET, ORGANISATION, 'organiser', lifetime=3600)}"},
        {"Authorization": f"Bearer {staff_jwt(SECRET, 'koos', 'operator', lifetime=3600)}"},
        {"X-API-Key": await _api_key(gateway)},
        {"Authorization": f"Bearer {participant}"},
    ]

    code, output = await _schemathesis(gateway, _reports_dir(tmp_path), credentials)

    operations = sum(len(ops) for ops in (await _document(gateway))["paths"].values())
    assert code == 0, output[-10000:]
    assert f"Tested: {operations}" in output
    assert "Traceback" not in gateway.log()
