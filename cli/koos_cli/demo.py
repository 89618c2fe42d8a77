"""Demo data: the municipality's open service-design course (DOMAIN.md), published and rushed."""

from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID, uuid5

import httpx

DEMO_ORGANISATION = "oslo-kommune"
DEMO_EDITION = uuid5(UUID("6a0f3c1e-6a51-4c36-9d1c-0f6f8d6c2b11"), "demo:oslo:service-design:7")
VENUE = {"name": "Rådhuset, møterom Nansen", "address": "Rådhusplassen 1", "city": "Oslo"}
FIRST_NAMES = ["Åse", "Bjørn", "Solveig", "Håkon", "Ingrid", "Øystein", "Kjersti", "Jørgen", "Live", "Tormod"]
LAST_NAMES = ["Ødegård", "Dæhlie", "Bakke", "Løvås", "Sæther", "Haugen", "Åsheim", "Nygård"]
OTHER_LANGUAGES = {7: ("Päivi Hämäläinen", "fi"), 13: ("Jüri Õunapuu", "et"), 21: ("Sarah Lee", "en")}


def course_dates(today: date) -> list[date]:
    """Three Tuesdays a week apart, starting at least three weeks from now."""
    first = today + timedelta(days=21 + (1 - today.weekday()) % 7)
    return [first + timedelta(days=7 * i) for i in range(3)]


def edition_body(today: date) -> dict[str, Any]:
    """The 7th edition of the course: Norwegian, three sessions 09:00-12:00, 30 seats."""
    days = course_dates(today)
    return {
        "edition_id": str(DEMO_EDITION),
        "title": {"nb": "Tjenestedesign for kommunens ansatte – 7. kull",
                  "en": "Service design for municipal staff – 7th edition"},
        "description": {"nb": "Et innføringskurs i tjenestedesign med gruppearbeid på tvers av enheter."},
        "timezone": "Europe/Oslo",
        "starts_on": days[0].isoformat(),
        "ends_on": days[-1].isoformat(),
        "capacity": 30,
        "registration_opens_at": (datetime.now(UTC) - timedelta(hours=1)).isoformat(),
        "registration_closes_at": datetime.combine(days[0] - timedelta(days=1), datetime.min.time(), UTC).isoformat(),
        "sessions": [{"session_id": f"okt-{i + 1}", "date": d.isoformat(), "start": "09:00", "end": "12:00",
                      "venue": VENUE} for i, d in enumerate(days)],
        "reminder_offsets_minutes": [2880, 120],
    }


def applicant(n: int) -> dict[str, str]:
    """The n-th person signing up."""
    name, language = OTHER_LANGUAGES.get(n, (f"{FIRST_NAMES[n % 10]} {LAST_NAMES[n % 8]}", "nb"))
    return {"email": f"ansatt{n:02d}@oslo.kommune.example", "name": name, "language": language}


def load(gateway_url: str, token: str, rush: int = 40) -> dict[str, int]:
    """Publish the edition (409 when it exists already) and sign up a rush of people (the same ones each time)."""
    headers = {"Authorization": f"Bearer {token}", "X-Correlation-ID": "demo-data"}
    with httpx.Client(base_url=gateway_url, headers=headers, timeout=30.0) as client:
        published = client.post("/v1/editions", json=edition_body(datetime.now(UTC).date()))
        answers = [client.post(f"/v1/editions/{DEMO_EDITION}/registrations", json=applicant(n)).status_code
                   for n in range(rush)]
    return {"edition": published.status_code, "registrations_accepted": sum(1 for a in answers if a < 300)}
