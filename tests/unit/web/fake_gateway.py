"""A fake of the gateway's public HTTP API for the web's unit tests (an httpx MockTransport), keeping its answers'
shapes: editions, sign-ups and their decisions, registrations, rosters with mails, surveys and results."""

import json
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import jwt

ORGANISATION = "oslo-kommune"
EDITION = "2f1c8f4e-3a5b-4c6d-9e7f-0a1b2c3d4e5f"
PARTICIPANT_TOKEN = "participant-token-of-kari"
STAFF = "staff-token"


def session(n: int, day: str, status: str = "scheduled") -> dict[str, Any]:
    return {"session_id": f"s{n}", "title": None, "starts_at": f"{day}T07:00:00Z", "ends_at": f"{day}T10:00:00Z",
            "venue": {"name": "Rådhuset, møterom 3", "address": "Rådhusplassen 1", "city": "Oslo"},
            "status": status, "sequence": 0, "cancel_reason": None}


def edition(**changes: Any) -> dict[str, Any]:
    base = {
        "edition_id": EDITION, "kind": "open_course", "organisation_id": ORGANISATION,
        "title": {"nb": "Introduksjon til tjenestedesign", "en": "Introduction to service design"},
        "description": {"nb": "Et kurs for alle ansatte i kommunen.", "en": "A course for all municipal staff."},
        "timezone": "Europe/Oslo", "starts_on": "2027-05-23", "ends_on": "2027-06-06",
        "registration_opens_at": "2027-04-01T00:00:00Z", "registration_closes_at": "2027-05-22T00:00:00Z",
        "registration": "open", "seats_left": 12, "waiting": 0, "capacity": 30, "confirmed": 18,
        "reminder_offsets_minutes": [2880, 120],
        "feedback_questions": [{"key": "overall", "text": {"nb": "Hvor nyttig var kurset?", "en": "How useful?"}},
                               {"key": "methods", "text": {"nb": "Metodene", "en": "The methods"}}],
        "sessions": [session(1, "2027-05-23"), session(2, "2027-05-30"), session(3, "2027-06-06")],
        "links": {},
    }
    return {**base, **changes}


def error(status: int, code: str, reason: str, details: list[dict[str, str]] | None = None) -> httpx.Response:
    return httpx.Response(status, json={"error": {"code": code, "reason": reason, "details": details or []}})


@dataclass
class FakeGateway:
    """State the tests arrange; `requests` keeps what the web asked, `answers` overrides a route's answer."""

    editions: dict[str, dict[str, Any]] = field(default_factory=lambda: {EDITION: edition()})
    decisions: dict[str, dict[str, Any]] = field(default_factory=dict)
    registrations: dict[str, dict[str, Any]] = field(default_factory=dict)
    roster: dict[str, Any] = field(default_factory=lambda: {"confirmed": [], "waiting": [], "cancelled": []})
    mails: list[dict[str, Any]] = field(default_factory=list)
    survey_open: bool = False
    results: dict[str, Any] | None = None
    progress: dict[str, Any] = field(default_factory=lambda: {"edition_id": EDITION, "held": {}, "over": False})
    privacy: dict[str, dict[str, Any]] = field(default_factory=dict)
    requests: list[httpx.Request] = field(default_factory=list)
    answers: dict[tuple[str, str], Callable[[httpx.Request], httpx.Response]] = field(default_factory=dict)

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def sent(self, method: str, pattern: str) -> list[httpx.Request]:
        return [r for r in self.requests if r.method == method and re.fullmatch(pattern, r.url.path)]

    @staticmethod
    def body(request: httpx.Request) -> Any:
        return json.loads(request.content) if request.content else None

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        path, method = request.url.path, request.method
        for (m, pattern), answer in self.answers.items():
            if m == method and re.fullmatch(pattern, path):
                return answer(request)
        token = request.headers.get("authorization", "").removeprefix("Bearer ")
        if path == "/healthz":
            return httpx.Response(200, json={"alive": True})
        if found := re.fullmatch(r"/v1/public/editions/([^/]+)", path):
            known = self.editions.get(found.group(1))
            return httpx.Response(200, json=known) if known else error(404, "not_found", "no such edition")
        if found := re.fullmatch(r"/v1/public/editions/([^/]+)/registrations", path):
            return self._sign_up(found.group(1), request)
        if found := re.fullmatch(r"/v1/public/sign-ups/([^/]+)", path):
            decision = self.decisions.get(found.group(1))
            return httpx.Response(200, json=decision) if decision else error(404, "not_found", "no such sign-up")
        if re.fullmatch(r"/v1/public/editions/[^/]+/links", path):
            return httpx.Response(202, json={"status": "accepted"})
        if path == "/v1/me/calendar.ics":
            if request.url.params.get("token") != PARTICIPANT_TOKEN:
                return error(401, "not_authenticated", "the token is not valid")
            return httpx.Response(200, content=b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
                                  headers={"content-type": "text/calendar"})
        if path in ("/v1/me/exports", "/v1/people/exports", "/v1/people/erasures") or \
                path.startswith("/v1/privacy/requests/"):
            return self._privacy(request, path, token)
        if path.startswith("/v1/registrations/") or "/feedback" in path:
            return self._participant_or_staff(request, path, method, token)
        return self._staff(request, path, method, token)

    def _sign_up(self, edition_id: str, request: httpx.Request) -> httpx.Response:
        person = self.body(request)
        if "@" not in person.get("email", ""):
            return error(422, "validation_failed", "the request is not valid", [
                {"field": "body.email", "reason": "value is not a valid email address: An email address must have "
                                                  "an @-sign."}])
        command_id = str(uuid.uuid4())
        self.decisions.setdefault(command_id, {"status": "pending", "edition_id": None, "registration_id": None,
                                               "waiting_position": None, "reason": None, "reason_code": None})
        return httpx.Response(202, json={"command_id": command_id, "status": "pending", "registration_id": "r",
                                         "edition_id": edition_id, "links": {}},
                              headers={"location": f"/v1/commands/{command_id}"})

    def _participant_or_staff(self, request: httpx.Request, path: str, method: str, token: str) -> httpx.Response:
        if token not in (PARTICIPANT_TOKEN, STAFF) and not token.startswith("ey"):
            return error(401, "not_authenticated", "the token is not valid")
        if found := re.fullmatch(r"/v1/registrations/([^/]+)", path):
            registration = self.registrations.get(found.group(1))
            if registration is None:
                return error(404, "not_found", "no such registration")
            if token == PARTICIPANT_TOKEN and registration.get("status") == "cancelled":
                return error(401, "registration_cancelled", "the token's registration was cancelled")
            if method == "DELETE":
                return httpx.Response(202, json={"command_id": str(uuid.uuid4()), "kind": "CancelRegistration",
                                                 "status": "pending", "links": {}})
            return httpx.Response(200, json=registration)
        if re.fullmatch(r"/v1/registrations/[^/]+/consent/withdrawals", path) and method == "POST":
            return httpx.Response(202, json={"command_id": str(uuid.uuid4()), "kind": "WithdrawConsent",
                                             "status": "pending", "links": {}})
        if re.fullmatch(r"/v1/registrations/[^/]+/mails", path):
            return httpx.Response(200, json=self.mails)
        if re.fullmatch(r"/v1/editions/[^/]+/feedback/form", path):
            if not self.survey_open:
                return error(404, "not_found", "this edition's survey is not open")
            return httpx.Response(200, json={"edition_id": EDITION, "questions": edition()["feedback_questions"],
                                             "closes_at": "2027-06-20T10:00:00Z", "links": {}})
        if re.fullmatch(r"/v1/editions/[^/]+/feedback", path):
            if method == "POST":
                return httpx.Response(201, json={"command_id": "c", "status": "recorded", "links": {}})
            if self.results is None:
                return error(404, "not_found", "no feedback results for this edition yet")
            return httpx.Response(200, json=self.results)
        return error(404, "not_found", "no such route")

    def _staff(self, request: httpx.Request, path: str, method: str, token: str) -> httpx.Response:
        if token != STAFF and not token.startswith("ey"):
            return error(401, "not_authenticated", "credentials are required")
        if path == "/v1/me/caller":
            claims = {} if token == STAFF else jwt.decode(token, options={"verify_signature": False})
            role = claims.get("role", "organiser")
            return httpx.Response(200, json={"kind": "staff", "organisation_id": ORGANISATION, "role": role})
        if path == "/v1/editions" and method == "GET":
            return httpx.Response(200, json={"items": list(self.editions.values()), "limit": 100, "offset": 0})
        if path == "/v1/editions" and method == "POST":
            return self._publish(request)
        if found := re.fullmatch(r"/v1/editions/([^/]+)", path):
            known = self.editions.get(found.group(1))
            return httpx.Response(200, json=known) if known else error(404, "not_found", "no such edition")
        if re.fullmatch(r"/v1/editions/[^/]+/progress", path):
            return httpx.Response(200, json=self.progress)
        if re.fullmatch(r"/v1/editions/[^/]+/roster", path):
            return httpx.Response(200, json={"edition_id": EDITION, "capacity": 30, "seats_left": 30, **self.roster})
        if found := re.fullmatch(r"/v1/editions/([^/]+)/sessions/([^/]+)/(reschedule|cancel|held)", path):
            return httpx.Response(200, json=self.editions[found.group(1)])
        return error(404, "not_found", "no such route")

    def _privacy(self, request: httpx.Request, path: str, token: str) -> httpx.Response:
        """Export and erasure requests: made pending; a test answers them by changing `privacy`."""
        if token not in (PARTICIPANT_TOKEN, STAFF) and not token.startswith("ey"):
            return error(401, "not_authenticated", "the token is not valid")
        if found := re.fullmatch(r"/v1/privacy/requests/([^/]+)", path):
            known = self.privacy.get(found.group(1))
            return httpx.Response(200, json=known) if known else error(404, "not_found", "no such request")
        if path == "/v1/me/exports" and token != PARTICIPANT_TOKEN:
            return error(403, "forbidden", "only a participant asks for their own export")
        if path.startswith("/v1/people/") and token == PARTICIPANT_TOKEN:
            return error(403, "forbidden", "only organisers")
        request_id = str(uuid.uuid4())
        kind = "erasure" if path.endswith("erasures") else "export"
        self.privacy[request_id] = {
            "request_id": request_id, "kind": kind, "status": "pending", "requested_at": "2027-05-01T08:00:00Z",
            "answered": [], "missing": ["evaluation", "gateway", "notifications", "registration"],
            "confirmations": {}, "document": {} if kind == "export" else None,
            "links": {"self": f"/v1/privacy/requests/{request_id}"}}
        return httpx.Response(202, json=self.privacy[request_id],
                              headers={"location": f"/v1/privacy/requests/{request_id}"})

    def _publish(self, request: httpx.Request) -> httpx.Response:
        body = self.body(request)
        if int(body.get("capacity") or 0) < 1:
            return error(422, "validation_failed", "the request is not valid", [
                {"field": "body.capacity", "reason": "Input should be greater than or equal to 1"}])
        self.editions[body["edition_id"]] = edition(edition_id=body["edition_id"], title=body["title"])
        return httpx.Response(201, json=self.editions[body["edition_id"]],
                              headers={"location": f"/v1/editions/{body['edition_id']}"})


def person(n: int, status: str, position: int | None = None, mails: list[dict[str, Any]] | None = None,
           ) -> dict[str, Any]:
    return {"registration_id": str(uuid.UUID(int=n)), "person_id": f"p{n}", "name": f"Åse Ødegård {n}",
            "email": f"ase{n}@kommune.example", "language": "nb", "status": status, "waiting_position": position,
            "since": (datetime(2027, 5, 1, tzinfo=UTC) + timedelta(minutes=n)).isoformat(), "mails": mails or []}
