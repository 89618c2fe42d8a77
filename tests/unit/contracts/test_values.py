"""Short texts are one line; a person's name carries no link: bad input is refused where it comes in."""

import pytest
from pydantic import ValidationError

from koos_contracts.scheduling import PublishEdition
from koos_contracts.values import ERASED_NAME, Person, Venue, erased_address
from tests.builders import open_course


@pytest.mark.parametrize("name", ["Kari\nNordmann", "Kari\r\nBcc: all@example.org", "Kari\x00", "Kari\tN",
                                  "Kari\u2028Nordmann", "Kari\x85"])
def test_a_name_with_a_control_character_is_refused_with_the_reason(name: str) -> None:
    with pytest.raises(ValidationError, match="one line of text, without control characters"):
        Person(email="kari@example.org", name=name)


@pytest.mark.parametrize("name", ["Kari https://evil.example/login", "www.evil.example", "Kari at evil.com",
                                  "Bit.ly/offer Kari", "EVIL.NO"])
def test_a_name_that_carries_a_link_is_refused(name: str) -> None:
    with pytest.raises(ValidationError, match="must not contain a web address"):
        Person(email="kari@example.org", name=name)


@pytest.mark.parametrize("name", ["Päivi Hämäläinen", "Jüri Õunapuu", "J.R.R. Tolkien", "Anne-Marie O'Neil",
                                  "Dr. Kari Nordmann", "Ana.María López", "Øystein Ødegård"])
def test_real_names_are_accepted(name: str) -> None:
    assert Person(email="kari@example.org", name=name).name == name


def test_a_title_with_a_line_break_is_refused_and_a_description_may_have_several_lines() -> None:
    plan = open_course().model_dump()

    with pytest.raises(ValidationError, match=r"title\.en"):
        PublishEdition.model_validate({**plan, "title": {"en": "Service\r\ndesign"}})
    with pytest.raises(ValidationError, match="no NUL"):
        PublishEdition.model_validate({**plan, "description": {"en": "First line\x00"}})
    assert PublishEdition.model_validate({**plan, "description": {"en": "First line\nSecond line\n\tindented"}})


def test_a_venue_is_one_line_per_field() -> None:
    with pytest.raises(ValidationError, match="address"):
        Venue(name="Rådhuset", address="Rådhusplassen 1\nOslo", city="Oslo")


def test_an_erased_persons_record_stays_readable_but_no_other_reserved_address_is_taken() -> None:
    """What an erased contact reads as (in a store, or in an event whose key is gone) still parses as a Person;
    an address nobody can be mailed at is refused as before."""
    erased = Person(email=erased_address("a1b2"), name=ERASED_NAME)

    assert erased.email == "a1b2@erased.invalid"
    with pytest.raises(ValidationError):
        Person(email="someone@example.invalid", name="Kai")
