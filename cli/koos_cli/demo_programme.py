"""Demo data: the social-enterprise network's 2016 development programme, with its six teams accepted.

The programme is drafted with its phases and funding round, moved to registration open, given its ten workshops
(four to be set) and its composition rule; six teams apply and are accepted, a seventh waits. Loading it again
changes nothing: the ids are fixed, and a second draft or application is refused or answered as a repeat.
"""

import time
from typing import Any
from uuid import UUID, uuid5

import httpx

from koos_cli import programme_2016 as p2016

DEMO_NETWORK = "sotsiaalse-ettevotluse-vorgustik"
DEMO_PROGRAMME = uuid5(UUID("6a0f3c1e-6a51-4c36-9d1c-0f6f8d6c2b11"), "demo:sev:co-creation:2016")
TEAMS = 7
DOMAIN = "sev.example"


def load(gateway_url: str, token: str) -> dict[str, Any]:
    """Draft the programme, open it, set its workshops and rule, and let seven teams apply (six accepted)."""
    headers = {"Authorization": f"Bearer {token}", "X-Correlation-ID": "demo-programme"}
    programme = f"/v1/programmes/{DEMO_PROGRAMME}"
    with httpx.Client(base_url=gateway_url, headers=headers, timeout=30.0) as client:
        drafted = client.post("/v1/programmes", json=p2016.draft_2016(DEMO_PROGRAMME)).status_code
        for stage in ("published", "registration_open"):
            client.post(f"{programme}/stage", json={"to": stage})
        client.put(f"{programme}/workshops", json={"workshops": p2016.workshops_2016()})
        client.put(f"{programme}/team-rule", json={"title": p2016.draft_2016(DEMO_PROGRAMME)["title"],
                                                   "timezone": "Europe/Tallinn", "places": 6, "rule": p2016.RULE})
        known = client.get(f"{programme}/teams").json().get("teams", [])
        if not known:
            for number in range(TEAMS):
                _apply(client, p2016.application(number, p2016.full_team(number, DOMAIN, student=number != 3), DOMAIN))
            known = _teams(client, programme)
        for team in known[:6]:
            client.post(f"{programme}/teams/{team['team_id']}/decision", json={"decision": "accept"})
    return {"programme": drafted, "teams": len(known)}


def _apply(client: httpx.Client, application: dict[str, Any], attempts: int = 20) -> None:
    """A team lead applies, once the programme takes applications (the rule may still be on its way)."""
    for _ in range(attempts):
        if client.post(f"/v1/public/programmes/{DEMO_PROGRAMME}/teams", json=application).status_code != 404:
            return
        time.sleep(0.5)


def _teams(client: httpx.Client, programme: str, seconds: float = 30) -> list[dict[str, Any]]:
    """The programme's teams once all have arrived (or what arrived within the time)."""
    deadline = time.monotonic() + seconds
    while True:
        teams: list[dict[str, Any]] = client.get(f"{programme}/teams").json().get("teams", [])
        if len(teams) >= TEAMS or time.monotonic() > deadline:
            return teams
        time.sleep(0.5)
