"""Who may call what: tokens are checked, roles are enforced, partners use API keys bound to one organisation."""

import pytest

from koos_contracts.registration import RegisterParticipant
from tests.builders import open_course, person
from tests.unit.gateway.harness import BERGEN, OSLO, Gateway, bearer, staff, staff_token


async def test_a_request_without_credentials_is_refused_401_as_json(gateway: Gateway) -> None:
    answer = await gateway.client.get("/v1/editions")

    assert answer.status_code == 401
    assert answer.headers["WWW-Authenticate"] == "Bearer"
    assert answer.json()["error"]["code"] == "not_authenticated"


@pytest.mark.parametrize(("token", "reason"), [
    (staff_token(secret="another-secret-of-at-least-32-bytes!"), "the token is not valid"),
    (staff_token(issuer="someone-else"), "the token is not valid"),
    (staff_token(expires_in=-60), "the token has expired"),
    ("not-a-jwt", "the token is not valid"),
])
async def test_a_bad_or_expired_token_is_refused_401_with_the_reason(gateway: Gateway, token: str,
                                                                     reason: str) -> None:
    answer = await gateway.client.get("/v1/editions", headers=bearer(token))

    assert answer.status_code == 401
    assert answer.json()["error"]["reason"] == reason


async def test_a_token_may_not_claim_to_be_a_partner_system(gateway: Gateway) -> None:
    answer = await gateway.client.get("/v1/editions", headers=bearer(staff_token(role="partner")))

    assert answer.status_code == 401


async def test_a_trainer_may_not_publish_an_edition(gateway: Gateway) -> None:
    answer = await gateway.client.post("/v1/editions", json=open_course().model_dump(mode="json"),
                                       headers=staff(role="trainer"))

    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "forbidden"
    assert gateway.bus.sent == []


async def test_a_participant_may_not_list_editions(gateway: Gateway) -> None:
    plan = await gateway.publish_edition()
    await gateway.registration_event(plan, person(1))

    answer = await gateway.client.get("/v1/editions", headers=bearer(gateway.participant_token(person(1), plan)))

    assert answer.status_code == 403


async def test_staff_list_only_their_own_organisations_editions(gateway: Gateway) -> None:
    ours = await gateway.publish_edition(OSLO)
    await gateway.publish_edition(BERGEN)

    answer = await gateway.client.get("/v1/editions", headers=staff(role="trainer"))

    assert [e["edition_id"] for e in answer.json()["items"]] == [str(ours.edition_id)]


async def test_an_operator_issues_a_partner_key_that_registers_for_its_organisation_only(gateway: Gateway) -> None:
    plan = await gateway.publish_edition(OSLO)
    issued = await gateway.client.post("/v1/admin/api-keys", json={"organisation_id": OSLO, "label": "HR system"},
                                       headers=staff(BERGEN, role="operator"))
    assert issued.status_code == 201
    key = {"X-API-Key": issued.json()["api_key"]}

    answer = await gateway.client.post(f"/v1/editions/{plan.edition_id}/registrations",
                                       json=person(1).model_dump(mode="json"), headers=key)

    assert answer.status_code == 202
    (command,) = gateway.sent(RegisterParticipant)
    assert command.organisationid == OSLO


async def test_the_secret_of_a_partner_key_is_shown_once_and_never_listed(gateway: Gateway) -> None:
    operator = staff(role="operator")
    issued = (await gateway.client.post("/v1/admin/api-keys", json={"organisation_id": OSLO, "label": "CRM"},
                                        headers=operator)).json()

    listed = (await gateway.client.get("/v1/admin/api-keys", params={"organisation_id": OSLO},
                                       headers=operator)).json()

    assert issued["api_key"].startswith("koos_")
    assert [k["key_id"] for k in listed] == [issued["key_id"]]
    assert issued["api_key"] not in str(listed)


async def test_a_revoked_partner_key_is_refused_at_once(gateway: Gateway) -> None:
    operator = staff(role="operator")
    issued = (await gateway.client.post("/v1/admin/api-keys", json={"organisation_id": OSLO, "label": "CRM"},
                                        headers=operator)).json()
    revoked = await gateway.client.delete(f"/v1/admin/api-keys/{issued['key_id']}", headers=operator)

    answer = await gateway.client.get("/v1/editions", headers={"X-API-Key": issued["api_key"]})

    assert revoked.json()["active"] is False
    assert answer.status_code == 401
    assert answer.json()["error"]["reason"] == "unknown or revoked API key"


async def test_only_operators_manage_api_keys(gateway: Gateway) -> None:
    answer = await gateway.client.post("/v1/admin/api-keys", json={"organisation_id": OSLO, "label": "CRM"},
                                       headers=staff(role="organiser"))

    assert answer.status_code == 403


async def test_revoking_an_unknown_key_is_404(gateway: Gateway) -> None:
    answer = await gateway.client.delete("/v1/admin/api-keys/no-such-key", headers=staff(role="operator"))

    assert answer.status_code == 404


async def test_a_client_learns_the_role_and_organisation_its_credential_stands_for(gateway: Gateway) -> None:
    trainer = await gateway.client.get("/v1/me/caller", headers=staff(BERGEN, role="trainer"))
    nobody = await gateway.client.get("/v1/me/caller")

    assert trainer.json() == {"kind": "staff", "organisation_id": BERGEN, "role": "trainer"}
    assert nobody.status_code == 401
