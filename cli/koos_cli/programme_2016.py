"""The social-enterprise network's 2016 co-creation programme (DOMAIN.md), as demo and test data.

The rule is the one in DOMAIN.md: exactly one of {local-government development lead, social-services official,
unemployment-insurance-fund service manager}; exactly two NGO staff, one of whom is the NGO's leader; at most one
ministry representative and at most one master's student, each recommended.
"""

from typing import Any

ROLES: dict[str, dict[str, str]] = {
    "development_lead": {"en": "local-government development lead", "et": "KOV arendusjuht"},
    "social_services_official": {"en": "social-services official", "et": "sotsiaaltöö spetsialist"},
    "fund_service_manager": {"en": "unemployment-insurance-fund service manager",
                             "et": "Töötukassa teenusejuht"},
    "ngo_leader": {"en": "NGO leader", "et": "MTÜ juht"},
    "ngo_staff": {"en": "NGO staff member", "et": "MTÜ töötaja"},
    "ministry_representative": {"en": "ministry representative", "et": "ministeeriumi esindaja"},
    "masters_student": {"en": "master's student", "et": "magistrant"},
}
PUBLIC_SIDE = ["development_lead", "social_services_official", "fund_service_manager"]


def _rule(key: str, en: str, et: str, roles: list[str], **bounds: Any) -> dict[str, Any]:
    return {"key": key, "label": {"en": en, "et": et}, "roles": roles, **bounds}


RULE: dict[str, Any] = {
    "roles": ROLES,
    "rules": [
        _rule("public-side", "a person from local government or the unemployment insurance fund",
              "KOV-i või Töötukassa esindaja", PUBLIC_SIDE, at_least=1, at_most=1),
        _rule("ngo-staff", "NGO staff", "MTÜ töötajad", ["ngo_leader", "ngo_staff"], at_least=2, at_most=2),
        _rule("ngo-leader", "the NGO's leader", "MTÜ juht", ["ngo_leader"], at_least=1),
        _rule("ministry-at-most", "ministry representative", "ministeeriumi esindaja", ["ministry_representative"],
              at_most=1),
        _rule("ministry", "ministry representative", "ministeeriumi esindaja", ["ministry_representative"],
              at_least=1, level="recommended"),
        _rule("student-at-most", "master's student", "magistrant", ["masters_student"], at_most=1),
        _rule("student", "master's student", "magistrant", ["masters_student"], at_least=1, level="recommended"),
    ],
    "max_members": 8,
}

TOWNS = ["Tartu", "Pärnu", "Narva", "Viljandi", "Kuressaare", "Rakvere", "Haapsalu", "Võru"]


def member(name: str, email: str, organisation: str, role: str, language: str = "et") -> dict[str, Any]:
    """A member as a team lead gives them."""
    return {"person": {"name": name, "email": email, "language": language}, "organisation": organisation,
            "role": role}


def full_team(number: int, domain: str = "example.org", *, student: bool = True) -> list[dict[str, Any]]:
    """A team that meets every rule, recommended ones too (without a student: a warning); every 2nd in English."""
    town = TOWNS[number % len(TOWNS)]
    language = "en" if number % 2 else "et"
    members = [
        member(f"Mari Õunapuu {number}", f"leader{number}@{domain}", f"{town} Tugiliin MTÜ", "ngo_leader", language),
        member(f"Jüri Šmidt {number}", f"staff{number}@{domain}", f"{town} Tugiliin MTÜ", "ngo_staff", language),
        member(f"Ülle Käär {number}", f"kov{number}@{domain}", f"{town} linnavalitsus", PUBLIC_SIDE[number % 3],
               language),
        member(f"Tõnu Žukov {number}", f"min{number}@{domain}", "Sotsiaalministeerium", "ministry_representative",
               language),
    ]
    if student:
        members.append(member(f"Liis Pärn {number}", f"student{number}@{domain}", "Tallinna Ülikool",
                              "masters_student", language))
    return members


def application(number: int, members: list[dict[str, Any]], domain: str = "example.org") -> dict[str, Any]:
    """The body of a team lead's application (the first member leads)."""
    town = TOWNS[number % len(TOWNS)]
    return {"name": f"{town} team", "lead_email": members[0]["person"]["email"], "ngo": f"{town} Tugiliin MTÜ",
            "idea": f"A peer-support service for families in {town}.", "members": members}


def draft_2016(programme_id: object, funding_round: str = "2016-05-31",
               remind_days_before: tuple[int, ...] = (14, 2)) -> dict[str, Any]:
    """The programme as drafted: 1 Jan – 31 Dec 2016 in two halves, the funding round closing on 31 May."""
    return {
        "programme_id": str(programme_id), "timezone": "Europe/Tallinn",
        "title": {"et": "Koosloome programm 2016", "en": "Co-creation programme 2016"},
        "starts_on": "2016-01-01", "ends_on": "2016-12-31",
        "phases": [
            {"key": "research", "starts_on": "2016-03-01", "ends_on": "2016-06-30",
             "name": {"et": "Uuring ja koosloome", "en": "Research and co-creation"},
             "goals": {"et": "Kvalitatiivne uuring, koosloome ja teenuse test.",
                       "en": "Qualitative research, co-creation, ending with a test of the designed service."}},
            {"key": "capacity", "starts_on": "2016-08-01", "ends_on": "2016-12-31",
             "name": {"et": "Organisatsiooni võimekus", "en": "Organisational capacity"},
             "goals": {"et": "Teenust pakkuva organisatsiooni võimekus.",
                       "en": "The capacity of the organisation that will run the service."}},
        ],
        "outside_dates": [{"key": "funding-round", "on": funding_round, "remind_days_before": list(remind_days_before),
                           "name": {"et": "Teenuse arendamise taotlusvoor sulgub",
                                    "en": "The funding round for service development closes"}}],
    }


WORKSHOP_TOPICS = [
    ("Introduction", "Sissejuhatus", "2016-03-09"),
    ("Social practices and qualitative methods", "Sotsiaalsed praktikad ja kvalitatiivsed meetodid", "2016-03-23"),
    ("Service design and co-creation", "Teenusedisain ja koosloome", "2016-04-06"),
    ("Service blueprint and testing", "Teenuse plaan ja testimine", "2016-04-20"),
    ("Impact", "Mõju", "2016-05-04"),
    ("Coalition and collective impact", "Koalitsioon ja kollektiivne mõju", "2016-05-25"),
    ("Volunteers", "Vabatahtlikud", None),
    ("Communication, advocacy and fundraising", "Kommunikatsioon, eestkoste ja kaasamine", None),
    ("Organisational development, change management and the team", "Organisatsiooni areng ja meeskond", None),
    ("Final event with presentations", "Lõpuüritus ja esitlused", None),
]
BLOCKS = [{"kind": "theory", "start": "09:45", "end": "11:30"},
          {"kind": "practice", "start": "11:30", "end": "12:30"},
          {"kind": "lunch", "start": "12:30", "end": "13:30"},
          {"kind": "practice", "start": "13:30", "end": "17:00"}]
TALLINN = {"name": "Kultuurikatel", "address": "Põhja puiestee 27a", "city": "Tallinn"}


def workshops_2016(days: list[str | None] | None = None) -> list[dict[str, Any]]:
    """Ten workshops in Tallinn, 09:45–17:00 with lunch 12:30–13:30; I–VI dated, VII–X to be set."""
    days = days or [day for _, _, day in WORKSHOP_TOPICS]
    return [{"key": f"workshop-{n + 1}", "title": {"en": en, "et": et}, "day": day, "start": "09:45",
             "end": "17:00", "venue": TALLINN, "blocks": BLOCKS}
            for n, ((en, et, _), day) in enumerate(zip(WORKSHOP_TOPICS, days, strict=True))]
