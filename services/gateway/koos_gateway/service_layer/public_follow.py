"""What a person who signed up may do without credentials: follow the decision, ask for their links again.

The sign-up's command id is the key to its decision: it is random, answered only to whoever signed up, and the
decision it shows holds no personal data. A sign-up with an address that was registered already shows neither the
registration's status nor its place: its owner is mailed their links instead. Asking for the links is answered the
same whether or not the address is registered; the links go only to the mailbox.
"""

from uuid import UUID

from pydantic import EmailStr

from koos_contracts.notifications import ResendLinks
from koos_contracts.registration import RegisterParticipant, RegistrationUnchanged
from koos_gateway.domain.access import Caller
from koos_gateway.domain.commands import CommandRecord
from koos_gateway.domain.errors import NotFound
from koos_gateway.service_layer import commands, registrations
from koos_gateway.service_layer.editions import public_edition
from koos_gateway.service_layer.registrations import Placed
from koos_gateway.service_layer.unit import Ports

REGISTRATIONS = "/v1/registrations/"


async def sign_up_decision(command_id: str, wait: float, ports: Ports) -> tuple[CommandRecord, Placed | None]:
    """A public sign-up's command, after waiting up to `wait` seconds, and the registration once decided."""
    record = await ports.commands.get(command_id)
    if record is None or record.kind != RegisterParticipant.__name__ or not (record.resource or "").startswith(
            REGISTRATIONS):
        raise NotFound("no such sign-up")
    if wait > 0:
        record = await commands.outcome(record, wait, ports)
    if record.status != "succeeded" or record.outcome_type == RegistrationUnchanged.ce_type():
        return record, None
    registration = await ports.registrations.get(str(record.resource).removeprefix(REGISTRATIONS))
    return record, await registrations.placed(registration, ports) if registration else None


async def resend_links(edition_id: str, email: EmailStr, correlation_id: str, ports: Ports) -> None:
    """Ask notifications to mail the person's links again; nothing is said about whether they exist."""
    edition = await public_edition(edition_id, ports)
    subject = await ports.people.known_subject(edition.organisation_id, email)
    command = ResendLinks(edition_id=UUID(edition.edition_id), email=email, subject_id=subject)
    sender = Caller.participant(edition.organisation_id, "anyone")
    await commands.send(command, sender, correlation_id, f"/v1/public/editions/{edition_id}", ports)
