"""Finding and anonymising the people a stored document names, wherever it nests them."""

from koos_kit.privacy import ERASED_NAME, erased_address
from koos_kit.privacy.people_in import anonymised, forgotten, people_in

KAI = {"email": "kai@erm.example", "name": "Kai Õunapuu", "language": "et", "subject_id": "s-kai"}
MART = {"email": "mart@erm.example", "name": "Mart Kask", "language": "et", "person_id": "s-mart"}
OLD = {"email": "old@erm.example", "name": "Vana Kontakt", "language": "et"}
APPLICATION = {"institution": {"name": "ERM"},
               "contacts": [{"person": KAI, "role": "juht"}, {"person": OLD, "role": "x"}],
               "teams": [{"members": [{"participant": MART, "role": "ngo_staff"}]}], "motivation": {"text": "Miks"}}


def test_a_person_is_found_by_their_subject_wherever_the_document_nests_them() -> None:
    assert people_in(APPLICATION, "s-kai") == [("contacts.0.person", KAI)]
    assert people_in(APPLICATION, "s-mart") == [("teams.0.members.0.participant", MART)]
    assert people_in(APPLICATION, "s-nobody") == []


def test_an_erasure_anonymises_only_that_person_and_once() -> None:
    erased, count = anonymised(APPLICATION, "s-kai")
    again, second = anonymised(erased, "s-kai")

    assert count == 1 and second == 0 and again == erased
    assert erased["contacts"][0]["person"] == {**KAI, "name": ERASED_NAME, "email": erased_address("s-kai")}
    assert erased["contacts"][1]["person"] == OLD and erased["teams"] == APPLICATION["teams"]
    assert erased["contacts"][0]["role"] == "juht" and erased["institution"] == {"name": "ERM"}


def test_retention_forgets_everyone_a_document_names_with_its_free_text() -> None:
    purged, count = forgotten(APPLICATION, ("motivation.text", "absent.text"))
    again, second = forgotten(purged, ("motivation.text",))

    assert (count, second) == (3, 0) and again == purged
    assert {p["name"] for p in (purged["contacts"][0]["person"], purged["contacts"][1]["person"],
                                purged["teams"][0]["members"][0]["participant"])} == {ERASED_NAME}
    assert purged["motivation"] == {"text": ERASED_NAME} and purged["institution"] == {"name": "ERM"}
