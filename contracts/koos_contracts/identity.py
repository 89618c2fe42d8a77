"""Deterministic identities, so that every party derives the same id for the same thing."""

from uuid import UUID, uuid5

KOOS_NAMESPACE = UUID("6a0f3c1e-6a51-4c36-9d1c-0f6f8d6c2b11")


def normalise_email(email: str) -> str:
    """The form of an address used for identity: trimmed and case-folded."""
    return email.strip().casefold()


def person_id_for(organisation_id: str, email: str) -> str:
    """The id of a person within one organisation."""
    return str(uuid5(KOOS_NAMESPACE, f"person:{organisation_id}:{normalise_email(email)}"))


def registration_id_for(edition_id: UUID, email: str) -> UUID:
    """The id of a person's registration for an edition: registering twice is one registration."""
    return uuid5(KOOS_NAMESPACE, f"registration:{edition_id}:{normalise_email(email)}")


def registration_id_of(edition_id: UUID, email: str, organisation_id: str, subject_id: str | None) -> UUID:
    """The id of a registration whose person has a subject id: as `registration_id_for` while the subject is
    the person's first (`person_id_for`), else derived from the subject, so that a person erased and
    registering again gets a new registration."""
    if subject_id is None or subject_id == person_id_for(organisation_id, email):
        return registration_id_for(edition_id, email)
    return uuid5(KOOS_NAMESPACE, f"registration:{edition_id}:subject:{subject_id}")
