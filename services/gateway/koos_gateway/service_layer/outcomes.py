"""Which event answers which command: the outcome settles the command that caused it, and wakes its waiters."""

from collections.abc import Sequence

from koos_contracts import Envelope, Message
from koos_contracts.applications import ApplicationDecisionRefused, ApplicationRefused
from koos_contracts.catalogue import OUTCOME_TYPES
from koos_contracts.evaluation import FeedbackRefused
from koos_contracts.homework import HomeworkRefused
from koos_contracts.jury import JuryCommandRefused, ScoreRefused
from koos_contracts.programmes import ProgrammeRefused
from koos_contracts.registration import CancellationRefused, ConsentWithdrawalRefused, RegistrationRefused
from koos_contracts.scheduling import EditionPublicationRefused, ScheduleChangeRefused
from koos_contracts.teams import TeamChangeRefused, TeamProgrammeRefused, TeamRefused
from koos_gateway.domain.commands import Outcome
from koos_gateway.service_layer.unit import Ports

REFUSALS = (EditionPublicationRefused, ScheduleChangeRefused, FeedbackRefused, RegistrationRefused,
            CancellationRefused, TeamRefused, TeamChangeRefused, TeamProgrammeRefused, ApplicationRefused,
            ApplicationDecisionRefused, JuryCommandRefused, ScoreRefused, ConsentWithdrawalRefused, ProgrammeRefused,
            HomeworkRefused)


def outcome_of(envelope: Envelope, message: Message) -> Outcome | None:
    """The outcome an event is of the command that caused it, if it is one (contracts say which are)."""
    if envelope.causationid is None or envelope.type not in OUTCOME_TYPES:
        return None
    refused = isinstance(message, REFUSALS)
    return Outcome(command_id=envelope.causationid, organisation_id=envelope.organisationid,
                   status="refused" if refused else "succeeded", event_type=envelope.type,
                   settled_at=envelope.time, reason=getattr(message, "reason", None) if refused else None,
                   reason_code=getattr(message, "reason_code", None) if refused else None)


async def settle_all(outcomes: Sequence[Outcome], ports: Ports) -> None:
    """Record the outcomes (the first of each command wins) and wake requests waiting here."""
    if outcomes:
        await ports.commands.settle_all(outcomes)
        ports.signal.notify()


async def settle(envelope: Envelope, message: Message, ports: Ports) -> None:
    """Settle the command an event answers, if it answers one."""
    outcome = outcome_of(envelope, message)
    if outcome is not None:
        await settle_all([outcome], ports)
