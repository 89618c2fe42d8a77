"""Conflicts of interest by affiliation: who may not judge, review or mentor an applicant, and why.

A person (juror, reviewer, mentor) is affiliated with an applicant when one of the person's organisations is the
applicant's organisation, or when the person declared a conflict with the applicant or with its organisation
(e.g. a former employer, a relative's institution). An affiliated person is never assigned to the applicant and
is refused if they try to score it; the refusal names the affiliation.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Applicant:
    """An application, or an institution chosen for mentoring: who applied and for which organisation."""

    application_id: str
    applicant_id: str
    organisation: str


@dataclass(frozen=True)
class Affiliations:
    """`declared` holds the applicant or organisation ids the person declared a conflict with."""

    person_id: str
    organisations: frozenset[str]
    declared: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Conflict:
    """`code` is stable ("same_organisation", "declared_conflict"); `reason` is for a person to read."""

    code: str
    reason: str


def conflict_between(person: Affiliations, applicant: Applicant) -> Conflict | None:
    """The affiliation that keeps the person from the applicant, or None."""
    if applicant.organisation in person.organisations:
        return Conflict("same_organisation", f"{person.person_id} belongs to {applicant.organisation}, the "
                                             f"organisation of application {applicant.application_id}")
    declared = person.declared & {applicant.applicant_id, applicant.organisation}
    if declared:
        return Conflict("declared_conflict", f"{person.person_id} declared a conflict of interest with "
                                             f"{min(declared)} (application {applicant.application_id})")
    return None
