"""A partner's registration enters Koos like a sign-up: the person gets their subject id (and data key) from
the person directory, and the command goes inward with its personal fields sealed. The partner's own topic
keeps what the partner wrote (its data, under its retention); nothing else of the record changes."""

from collections.abc import Callable
from dataclasses import replace

from koos_contracts import Envelope, from_record, to_record
from koos_contracts.registration import RegisterParticipant
from koos_gateway.service_layer.partner_bridge import Outgoing
from koos_gateway.service_layer.ports import PersonDirectory

Seal = Callable[[Envelope], Envelope]


async def sealed_inward(outgoing: Outgoing, people: PersonDirectory, seal: Seal) -> Outgoing:
    """The forwarded record with its person's subject and sealed fields; any other record as it was."""
    if outgoing.outcome != "forwarded" or not outgoing.value:
        return outgoing
    envelope = from_record(outgoing.value, outgoing.headers, key=outgoing.key)
    if envelope.type != RegisterParticipant.ce_type():
        return outgoing
    command = RegisterParticipant.model_validate(envelope.data)
    subject = await people.subject_for(envelope.organisationid, command.person.email)
    data = {**envelope.data, "person": {**envelope.data["person"], "subject_id": subject}}
    _, value, _ = to_record(seal(envelope.model_copy(update={"data": data})))
    return replace(outgoing, value=value)
