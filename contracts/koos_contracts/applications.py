"""Messages of registration about institutions that apply to a programme edition, and the organiser's stage gate.

An institution (museum, library, theatre, concert hall) applies as an organisation within the edition's
registration window; the organiser then admits or declines each application — a decision, not first come first
served. Contact people and staff travel only inside `Person` values; the motivation is free text a person wrote,
so it travels inside the `Motivation` value (personal, like a `Person`).
"""

from typing import Annotated, ClassVar, Literal
from uuid import UUID, uuid5

from pydantic import AwareDatetime, Field

from koos_contracts.base import Command, Event
from koos_contracts.identity import KOOS_NAMESPACE
from koos_contracts.topics import APPLICATIONS, REGISTRATION_COMMANDS, Topic
from koos_contracts.values import LongText, Person, ShortText, Value

InstitutionKind = Literal["museum", "library", "theatre", "concert_hall", "other"]
ApplicationRefusalCode = Literal["unknown_edition", "not_open_yet", "closed"]
DecisionRefusalCode = Literal["unknown_application", "window_open", "decided"]
ApplicationStatus = Literal["applied", "admitted", "declined"]


def application_id_for(edition_id: UUID, institution_id: str) -> UUID:
    """One application per institution and edition: applying again is the same application."""
    return uuid5(KOOS_NAMESPACE, f"application:{edition_id}:{institution_id.strip().casefold()}")


class Institution(Value):
    """The applying organisation: its own id (for conflicts of interest), name and kind."""

    institution_id: ShortText
    name: ShortText
    kind: InstitutionKind


class Contact(Value):
    """A contact person of the institution and their role (e.g. director, project lead)."""

    person: Person
    role: ShortText


class Motivation(Value):
    """Why the institution applies, in its own words (personal: written by a person)."""

    text: LongText


class _ApplicationEvent(Event):
    topic: ClassVar[Topic] = APPLICATIONS
    key_field: ClassVar[str] = "edition_id"

    edition_id: UUID
    application_id: UUID

    def subject(self) -> str:
        return str(self.application_id)


class ApplyAsInstitution(Command):
    """An institution applies to an edition with its contact people, the staff who will take part and why."""

    topic: ClassVar[Topic] = REGISTRATION_COMMANDS
    key_field: ClassVar[str] = "edition_id"

    edition_id: UUID
    institution: Institution
    contacts: Annotated[tuple[Contact, ...], Field(min_length=1, max_length=5)]
    staff: Annotated[tuple[Person, ...], Field(max_length=20)] = ()
    motivation: Motivation

    @property
    def application_id(self) -> UUID:
        return application_id_for(self.edition_id, self.institution.institution_id)


class DecideApplication(Command):
    """The organiser admits or declines an application once the edition's window has closed."""

    topic: ClassVar[Topic] = REGISTRATION_COMMANDS
    key_field: ClassVar[str] = "edition_id"

    edition_id: UUID
    application_id: UUID
    admit: bool


class InstitutionApplied(_ApplicationEvent):
    """An institution's application was received."""

    institution: Institution
    contacts: tuple[Contact, ...]
    staff: tuple[Person, ...]
    motivation: Motivation
    applied_at: AwareDatetime


class ApplicationRefused(_ApplicationEvent):
    """An application was refused (the edition is unknown, or its window is not open)."""

    institution: Institution
    contacts: tuple[Contact, ...]
    reason_code: ApplicationRefusalCode
    reason: str


class ApplicationAdmitted(_ApplicationEvent):
    """The organiser admitted an application: the institution takes part and goes before the jury."""

    institution: Institution
    contacts: tuple[Contact, ...]
    applied_at: AwareDatetime
    admitted_at: AwareDatetime


class ApplicationDeclined(_ApplicationEvent):
    """The organiser declined an application."""

    institution: Institution
    contacts: tuple[Contact, ...]
    declined_at: AwareDatetime


class ApplicationDecisionRefused(_ApplicationEvent):
    """A decision was refused: no such application, the window is still open, or it was decided otherwise."""

    reason_code: DecisionRefusalCode
    reason: str


class ApplicationUnchanged(_ApplicationEvent):
    """A repeated application or decision changed nothing; `status` is where the application stands."""

    status: ApplicationStatus


OUTCOMES: dict[type[Command], tuple[type[Event], ...]] = {
    ApplyAsInstitution: (InstitutionApplied, ApplicationRefused, ApplicationUnchanged),
    DecideApplication: (ApplicationAdmitted, ApplicationDeclined, ApplicationDecisionRefused, ApplicationUnchanged),
}
"""The events that answer each command, one of them exactly once, with the command's id as causation."""
