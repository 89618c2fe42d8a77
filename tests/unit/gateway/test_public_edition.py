"""Anyone may read a published edition: what it is, when, where, seats left; never who registered."""

from tests.builders import person
from tests.unit.gateway.harness import Gateway


async def test_the_public_view_shows_the_course_and_seats_left_but_no_personal_data(gateway: Gateway) -> None:
    plan = await gateway.publish_edition(capacity=2)
    await gateway.registration_event(plan, person(1))
    await gateway.seats(plan, taken=1)

    answer = await gateway.client.get(f"/v1/public/editions/{plan.edition_id}")

    edition = answer.json()
    assert answer.status_code == 200
    assert edition["title"]["nb"] == "Introduksjon til tjenestedesign"
    assert edition["seats_left"] == 1 and edition["waiting"] == 0 and edition["registration"] == "open"
    assert [s["venue"]["city"] for s in edition["sessions"]] == ["Oslo"] * 3
    assert "organisation_id" not in edition and "capacity" not in edition
    assert person(1).email not in answer.text and person(1).name not in answer.text


async def test_the_public_view_of_an_unknown_edition_is_404(gateway: Gateway) -> None:
    answer = await gateway.client.get("/v1/public/editions/3f0e8c1a-1d7b-4a51-9a0f-b2c33e6f4d21")

    assert answer.status_code == 404


async def test_the_public_view_shows_the_newest_count_of_seats_and_line_whatever_order_it_came_in(
        gateway: Gateway) -> None:
    plan = await gateway.publish_edition(capacity=2)
    await gateway.seats(plan, taken=2, in_line=5, sequence=3)
    await gateway.seats(plan, taken=1, sequence=2)

    edition = (await gateway.client.get(f"/v1/public/editions/{plan.edition_id}")).json()

    assert edition["seats_left"] == 0 and edition["waiting"] == 5
