"""What a partner system may send Koos on its inbound topic, and what comes back on its outbound topic."""

from koos_contracts.base import Message
from koos_contracts.evaluation import SurveyResultsUpdated
from koos_contracts.registration import (
    CancellationRefused,
    CancelRegistration,
    RegisterParticipant,
    RegistrationCancelled,
    RegistrationConfirmed,
    RegistrationPromoted,
    RegistrationRefused,
    RegistrationUnchanged,
    RegistrationWaitlisted,
)
from koos_contracts.topics import REGISTRATIONS, SURVEYS, Topic

PARTNER_COMMANDS: tuple[type[Message], ...] = (RegisterParticipant, CancelRegistration)
"""Commands a partner may publish: enrol a person, cancel an enrolment."""

PARTNER_RESULTS: tuple[type[Message], ...] = (
    RegistrationConfirmed,
    RegistrationWaitlisted,
    RegistrationPromoted,
    RegistrationCancelled,
    RegistrationRefused,
    RegistrationUnchanged,
    CancellationRefused,
    SurveyResultsUpdated,
)
"""Events of the partner's organisation copied to its outbound topic: decisions, cancellations,
promotions, refusals, repeats and survey results, each with the `ce_causationid` of the command behind
it; every outcome of a partner command is among them, so that every command is answered there."""

RESULT_SOURCES: tuple[Topic, ...] = (REGISTRATIONS, SURVEYS)
"""The internal topics the results are taken from."""

PARTNER_COMMAND_TYPES = frozenset(m.ce_type() for m in PARTNER_COMMANDS)
PARTNER_RESULT_TYPES = frozenset(m.ce_type() for m in PARTNER_RESULTS)


def partner_principal(organisation: str, prefix: str = "") -> str:
    """The SASL user name of an organisation's partner system (its consumer groups start with it too)."""
    return f"{prefix}partner-{organisation}"
