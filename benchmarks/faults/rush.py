"""The rush: per edition, people sign up through the public API one after another and an organiser cancels some
of them (so that the line moves up), every request retried until the gateway accepts it. Each edition's
requests are sent in order, so the expected lists follow from the order alone (`model.ExpectedLists`)."""

import asyncio
import itertools
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

from benchmarks.faults.model import ExpectedLists
from benchmarks.system import edition_body

RETRIED = {404, 409, 429, 500, 502, 503, 504}
"""Answers that mean "not now" during a fault (an edition or registration the gateway has not heard of yet
after its restart, a broker that is down): the request is sent again, the same one."""

NAMES = ("Mari Tamm", "Jüri Õunapuu", "Aino Mäkelä", "Ørjan Dæhlie", "Åse Bøe", "Šarlote Žukova", "Mikko Ylä-Örn")


class GaveUp(Exception):
    """A request the gateway did not accept within the patience given."""


@dataclass
class Sent:
    """A request the gateway accepted: the command it made, and when."""

    command_id: str
    registration_id: str
    edition_id: str
    at: float
    kind: str


@dataclass
class Traffic:
    """What the rush sent and what came back."""

    accepted: list[Sent] = field(default_factory=list)
    attempts: int = 0
    resent: int = 0
    given_up: list[str] = field(default_factory=list)


class Gateway:
    """The gateway's public sign-up and the organiser's cancellation, each retried through faults."""

    def __init__(self, client: httpx.AsyncClient, staff_token: str, traffic: Traffic, patience: float) -> None:
        self.client = client
        self.staff = {"Authorization": f"Bearer {staff_token}"}
        self.traffic = traffic
        self.patience = patience

    async def publish(self, capacity: int, opens_at: float = 60.0) -> str:
        body = edition_body(capacity)
        answer = await self._until_accepted("POST", "/v1/editions", json=body, headers=self.staff, ok=(201,))
        del answer
        edition_id = str(body["edition_id"])
        deadline = time.monotonic() + opens_at
        while not (await self._get(f"/v1/public/editions/{edition_id}")):
            if time.monotonic() > deadline:
                raise GaveUp(f"edition {edition_id} not public within {opens_at:.0f} s")
            await asyncio.sleep(0.3)
        return edition_id

    async def sign_up(self, edition_id: str, email: str, name: str) -> Sent:
        body = {"email": email, "name": name, "language": "en"}
        answer = await self._until_accepted("POST", f"/v1/public/editions/{edition_id}/registrations", json=body)
        return self._sent(answer, edition_id, "sign-up", answer["registration_id"])

    async def cancel(self, edition_id: str, registration_id: str) -> Sent:
        answer = await self._until_accepted("DELETE", f"/v1/registrations/{registration_id}", headers=self.staff)
        return self._sent(answer, edition_id, "cancel", registration_id)

    def _sent(self, answer: dict[str, str], edition_id: str, kind: str, registration_id: str) -> Sent:
        sent = Sent(answer["command_id"], registration_id, edition_id, time.monotonic(), kind)
        self.traffic.accepted.append(sent)
        return sent

    async def _get(self, path: str) -> bool:
        try:
            return (await self.client.get(path)).status_code == 200
        except httpx.HTTPError:
            return False

    async def _until_accepted(self, method: str, path: str, ok: tuple[int, ...] = (201, 202),
                              **request: object) -> dict[str, str]:
        deadline = time.monotonic() + self.patience
        for attempt in itertools.count():
            self.traffic.attempts += 1
            self.traffic.resent += attempt > 0
            try:
                answer = await self.client.request(method, path, **request)  # type: ignore[arg-type]
                if answer.status_code in ok:
                    return dict(answer.json())
                if answer.status_code not in RETRIED:
                    raise GaveUp(f"{method} {path}: {answer.status_code} {answer.text[:200]}")
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                break
            await asyncio.sleep(min(0.2 * (attempt + 1), 1.0))
        self.traffic.given_up.append(f"{method} {path}")
        raise GaveUp(f"{method} {path}: not accepted within {self.patience:.0f} s")


@dataclass
class EditionRush:
    """One edition's stream of sign-ups and cancellations, and the lists it must end with."""

    gateway: Gateway
    edition_id: str
    expected: ExpectedLists
    people: dict[str, str] = field(default_factory=dict)
    """Registration id → e-mail address."""
    probe: bool = False
    """The edition of the recovery probes (seats for all), apart from the rush's."""

    async def run(self, domain: str, tag: str, at_least: int, keep_going: Callable[[], bool], cancel_share: float,
                  rng: random.Random) -> None:
        signed_up = 0
        while signed_up < at_least or keep_going():
            candidates = self.expected.active()[:-10]  # long enough ago that the gateway knows them
            if candidates and rng.random() < cancel_share:
                victim = rng.choice(candidates)
                await self.gateway.cancel(self.edition_id, victim)
                self.expected.cancel(victim)
                continue
            email = f"{tag}-{signed_up}@{domain}"
            sent = await self.gateway.sign_up(self.edition_id, email, rng.choice(NAMES))
            self.people[sent.registration_id] = email
            self.expected.register(sent.registration_id)
            signed_up += 1
