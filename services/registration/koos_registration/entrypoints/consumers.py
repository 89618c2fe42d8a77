"""Which messages registration consumes, and the handler of each."""

from collections.abc import Sequence

from koos_contracts.applications import ApplyAsInstitution, DecideApplication
from koos_contracts.registration import CancelRegistration, RegisterParticipant, WithdrawConsent
from koos_contracts.scheduling import EditionPublished
from koos_contracts.teams import ApplyWithTeam, DecideOnTeam, DefineTeamProgramme, ReplaceTeamMember
from koos_contracts.topics import EDITIONS, REGISTRATION_COMMANDS
from koos_kit.messaging.subscription import Delivery, Subscription, Waiting, bind
from koos_registration.service_layer import applications, handlers, teams
from koos_registration.service_layer.handlers import Ports
from koos_registration.service_layer.teams import TeamPorts


def commands(ports: Ports, team_ports: TeamPorts) -> Subscription:
    """Registration's commands: sign-ups decided a batch at a time, team requests one by one; a command it does
    not know goes to the DLQ."""

    async def decide(deliveries: Sequence[Delivery]) -> Sequence[Waiting]:
        return await handlers.decide(deliveries, ports)

    return Subscription(
        topics=(REGISTRATION_COMMANDS.name,),
        handlers={
            DefineTeamProgramme.ce_type(): bind(teams.define_programme, team_ports),
            ApplyWithTeam.ce_type(): bind(teams.apply_with_team, team_ports),
            DecideOnTeam.ce_type(): bind(teams.decide_on_team, team_ports),
            ReplaceTeamMember.ce_type(): bind(teams.replace_member, team_ports),
            ApplyAsInstitution.ce_type(): bind(applications.apply, ports),
            DecideApplication.ce_type(): bind(applications.decide, ports),
        },
        batch_handlers={RegisterParticipant.ce_type(): decide, CancelRegistration.ce_type(): decide,
                        WithdrawConsent.ce_type(): decide},
        dead_letter_unhandled=True,
    )


def editions(ports: Ports) -> Subscription:
    """Published editions open their offers."""
    return Subscription(topics=(EDITIONS.name,),
                        handlers={EditionPublished.ce_type(): bind(handlers.open_offer, ports)})
