"""Juried selection mails: applicants told in their own language (with their scores when shared), jurors reminded
only when they have work left."""

from datetime import UTC, datetime
from uuid import uuid4

from koos_contracts import jury
from koos_contracts.applications import Contact, Institution
from koos_contracts.values import Language, Participant, Person
from tests.unit.notifications.course import Course

AT = datetime(2027, 3, 1, 9, tzinfo=UTC)


def result(n: int, language: Language, selected: bool, scores: tuple[jury.GivenScore, ...] = ()
           ) -> jury.ApplicantResult:
    contact = Contact(person=Person(email=f"contact{n}@muuseum.example", name=f"Kai Õunapuu {n}",
                                    language=language), role="juht")
    return jury.ApplicantResult(application_id=uuid4(), institution=Institution(
        institution_id=f"muuseum-{n}", name=f"Muuseum {n}", kind="museum"), contacts=(contact,), selected=selected,
        rank=n, scores=scores)


async def test_the_selected_are_told_and_the_others_thanked_each_in_their_language_with_their_scores(
        course: Course) -> None:
    await course.publish()
    remark = jury.GivenScore(criterion="clarity", value=4, comment=jury.Comment(text="Selge sihtrühm"))
    results = (result(1, "et", True, (remark,)), result(2, "fi", False), result(3, "nb", False),
               result(4, "en", False))
    await course.deliver(jury.SelectionReleased(edition_id=course.edition_id, results=results, share_scores=True,
                                                released_at=AT))
    await course.send_due()

    subjects = {mail.recipient.email: mail.content.subject for mail in course.mailer.sent}
    assert subjects["contact1@muuseum.example"] == "Palju õnne! Muuseum 1 valiti mentorlusse"
    assert subjects["contact2@muuseum.example"].startswith("Kiitos osallistumisesta")
    assert subjects["contact3@muuseum.example"].startswith("Takk for at dere deltok")
    assert subjects["contact4@muuseum.example"].startswith("Thank you for taking part")
    (selected,) = course.mailer.to("contact1@muuseum.example")
    assert "clarity: 4 – Selge sihtrühm" in selected.content.text


async def test_only_the_jurors_listed_as_unfinished_are_reminded(course: Course) -> None:
    await course.publish()
    late = Participant(person_id="juror-c", email="juror-c@jury.example", name="Hindaja Kõiv", language="et")
    await course.deliver(jury.JurorsReminded(edition_id=course.edition_id,
                                             due=(jury.JurorDue(juror=late, unfinished=(uuid4(), uuid4())),)))
    await course.send_due()

    (reminder,) = course.mailer.sent
    assert reminder.recipient.email == "juror-c@jury.example"
    assert "hindamata 2 taotlus" in reminder.content.text
