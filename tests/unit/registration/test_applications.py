"""Institutions' applications: taken within the window, decided by the organiser only after it, once."""

from datetime import UTC, datetime, timedelta
from uuid import uuid4

from koos_contracts.applications import (
    ApplicationAdmitted,
    ApplicationDecisionRefused,
    ApplicationUnchanged,
    ApplyAsInstitution,
    Contact,
    Institution,
    Motivation,
)
from koos_contracts.values import Person
from koos_registration.domain.application import Application, window_refusal
from koos_registration.domain.offer import Offer

OPENS = datetime(2027, 1, 4, 8, tzinfo=UTC)
CLOSES = OPENS + timedelta(days=14)


def offer() -> Offer:
    return Offer(str(uuid4()), "tartu-linn", 12, OPENS, CLOSES)


def application(edition: Offer) -> Application:
    command = ApplyAsInstitution(
        edition_id=edition.edition_id, institution=Institution(institution_id="erm", name="Eesti Rahva Muuseum",
                                                               kind="museum"),
        contacts=(Contact(person=Person(email="kai@erm.example", name="Kai Õunapuu", language="et"), role="juht"),),
        motivation=Motivation(text="Uued külastajad"))
    return Application.receive(command, "tartu-linn", OPENS + timedelta(days=1))


def refused(edition: Offer | None, organisation_id: str, at: datetime) -> str | None:
    refusal = window_refusal(edition, organisation_id, at)
    return None if refusal is None else refusal.code


def test_applications_are_taken_only_while_the_window_is_open_and_only_for_the_editions_organisation() -> None:
    edition = offer()

    assert refused(edition, "tartu-linn", OPENS + timedelta(days=1)) is None
    assert refused(edition, "tartu-linn", OPENS - timedelta(minutes=1)) == "not_open_yet"
    assert refused(edition, "tartu-linn", CLOSES) == "closed"
    assert refused(edition, "tallinn", OPENS + timedelta(days=1)) == "unknown_edition"
    assert refused(None, "tartu-linn", OPENS) == "unknown_edition"

def test_nobody_is_admitted_while_applications_are_still_coming_in() -> None:
    edition = offer()
    received = application(edition)
    received.events.clear()

    outcome = received.decide(True, edition, CLOSES - timedelta(seconds=1))
    assert isinstance(outcome, ApplicationDecisionRefused) and outcome.reason_code == "window_open"
    assert received.status == "applied" and not received.events


def test_a_decision_is_made_once_the_same_again_changes_nothing_and_the_other_is_refused() -> None:
    edition = offer()
    received = application(edition)
    received.events.clear()

    admitted = received.decide(True, edition, CLOSES)
    assert isinstance(admitted, ApplicationAdmitted) and admitted.contacts[0].person.name == "Kai Õunapuu"
    received.events.clear()
    assert isinstance(received.decide(True, edition, CLOSES), ApplicationUnchanged)
    declined = received.decide(False, edition, CLOSES)
    assert isinstance(declined, ApplicationDecisionRefused) and declined.reason_code == "decided"
    assert received.status == "admitted" and not received.events
