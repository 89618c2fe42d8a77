"""Who is calling: staff with a role, a partner system, or a participant; all bound to one organisation."""

from dataclasses import dataclass
from typing import Literal

from koos_gateway.domain.errors import NotAllowed

CallerKind = Literal["staff", "partner", "participant"]

ORGANISER = "organiser"
TRAINER = "trainer"
JUROR = "juror"
MENTOR = "mentor"
OPERATOR = "operator"
PARTNER = "partner"
PARTICIPANT = "participant"


@dataclass(frozen=True)
class Caller:
    """An authenticated caller; `subject` is a user id, an API key id or a participant's person id."""

    kind: CallerKind
    organisation_id: str
    subject: str
    role: str
    registration_id: str | None = None
    """A participant's token is for this one registration of theirs."""
    edition_id: str | None = None
    """And that registration's edition, once the gateway has checked the registration stands."""

    @classmethod
    def staff(cls, organisation_id: str, subject: str, role: str) -> "Caller":
        """A member of an organisation's staff (organiser, trainer, operator, ...)."""
        return cls("staff", organisation_id, subject, role)

    @classmethod
    def partner(cls, organisation_id: str, key_id: str) -> "Caller":
        """A partner system acting for its organisation through an API key."""
        return cls("partner", organisation_id, key_id, PARTNER)

    @classmethod
    def participant(cls, organisation_id: str, person_id: str, *, registration_id: str | None = None,
                    edition_id: str | None = None) -> "Caller":
        """A person who signed up, known by their person id within the organisation (and, with a token, the
        registration the token is for)."""
        return cls("participant", organisation_id, person_id, PARTICIPANT, registration_id, edition_id)

    def require(self, *roles: str) -> None:
        """Refuse unless the caller has one of the roles (`partner` and `participant` count as roles)."""
        if self.role not in roles:
            raise NotAllowed(f"the role {self.role} may not do this; allowed: {', '.join(roles)}")

    def require_staff_or_partner(self) -> None:
        """Refuse participants: this is for the organisation's staff and its partner systems."""
        if self.kind == "participant":
            raise NotAllowed("participants may not do this")

    def belongs_to(self, organisation_id: str) -> bool:
        """Whether something of this organisation is visible to the caller at all."""
        return self.organisation_id == organisation_id

    def may_see_person(self, organisation_id: str, person_id: str) -> bool:
        """Staff and partners see their organisation's people; a participant sees only themself."""
        if not self.belongs_to(organisation_id):
            return False
        return self.kind != "participant" or self.subject == person_id

    def may_see_registration(self, organisation_id: str, person_id: str, registration_id: str) -> bool:
        """Staff and partners see their organisation's registrations; a participant only the token's one."""
        if not self.may_see_person(organisation_id, person_id):
            return False
        return self.kind != "participant" or self.registration_id == registration_id

    def may_act_on_edition(self, edition_id: str) -> bool:
        """A participant acts only on the edition of the token's registration; others on any of theirs."""
        return self.kind != "participant" or self.edition_id == edition_id
