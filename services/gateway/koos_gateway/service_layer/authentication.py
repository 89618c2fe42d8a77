"""Turning credentials (a bearer token or a partner's API key) into a caller.

A participant's token holds only while the registration it was mailed for stands (confirmed or waiting)
and its edition is not over; after the last session it holds on while the edition's survey is open, so the
person can still give feedback. The gateway's read models know all three.
"""

from dataclasses import replace

from koos_gateway.domain.access import Caller
from koos_gateway.domain.api_keys import fingerprint
from koos_gateway.domain.errors import NotAuthenticated
from koos_gateway.service_layer.unit import Ports


async def caller_from(bearer: str | None, api_key: str | None, ports: Ports) -> Caller | None:
    """The caller the credentials name, None without credentials; invalid ones are refused."""
    if api_key:
        return await _partner(api_key, ports)
    if bearer:
        return await authenticated(bearer, ports)
    return None


async def authenticated(token: str, ports: Ports) -> Caller:
    """The caller a bearer token names, a participant's only while their token is in force."""
    caller = ports.tokens.caller(token)
    return await _in_force(caller, ports) if caller.kind == "participant" else caller


async def _in_force(caller: Caller, ports: Ports) -> Caller:
    registration = await ports.registrations.get(caller.registration_id or "")
    if registration is None or (registration.organisation_id, registration.person_id) != (caller.organisation_id,
                                                                                          caller.subject):
        raise NotAuthenticated("the token's registration is not known")
    if not registration.is_active:
        raise NotAuthenticated("the token's registration was cancelled" if registration.status == "cancelled"
                               else "the token's registration does not stand", code="registration_cancelled")
    edition = await ports.editions.get(registration.edition_id)
    now = ports.clock.now()
    if edition is None or (edition.is_over(now) and not await _survey_open(edition.edition_id, ports)):
        raise NotAuthenticated("the token's edition is over", code="edition_over")
    return replace(caller, edition_id=registration.edition_id)


async def _survey_open(edition_id: str, ports: Ports) -> bool:
    form = await ports.surveys.form(edition_id)
    return form is not None and ports.clock.now() < form.opened.closes_at


async def _partner(api_key: str, ports: Ports) -> Caller:
    key = await ports.api_keys.active_by_fingerprint(fingerprint(api_key))
    if key is None:
        raise NotAuthenticated("unknown or revoked API key")
    return Caller.partner(key.organisation_id, key.key_id)
