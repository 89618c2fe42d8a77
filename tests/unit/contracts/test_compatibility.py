"""A published event version may grow optional fields but never lose, retype or newly require one."""

from typing import Any

from pydantic import BaseModel

from koos_contracts.compatibility import breaking_changes
from koos_contracts.schemagen import generated_files, problems
from koos_contracts.values import Venue


class Published(BaseModel):
    edition_id: str
    capacity: int
    venue: Venue
    note: str | None = None


def schema(model: type[BaseModel]) -> dict[str, Any]:
    return model.model_json_schema(mode="serialization")


def test_adding_an_optional_field_is_compatible() -> None:
    class Grown(Published):
        language: str = "en"

    assert breaking_changes(schema(Published), schema(Grown)) == []


def test_removing_a_field_breaks_consumers() -> None:
    class Shrunk(BaseModel):
        edition_id: str
        venue: Venue
        note: str | None = None

    assert breaking_changes(schema(Published), schema(Shrunk)) == ["capacity: field removed"]


def test_retyping_a_field_breaks_consumers() -> None:
    class Retyped(BaseModel):
        edition_id: str
        capacity: str
        venue: Venue
        note: str | None = None

    assert breaking_changes(schema(Published), schema(Retyped)) == [
        "capacity: type changed from {'type': 'integer'} to {'type': 'string'}"]


def test_making_an_optional_field_required_breaks_producers() -> None:
    class Stricter(BaseModel):
        edition_id: str
        capacity: int
        venue: Venue
        note: str

    assert "note: field became required" in breaking_changes(schema(Published), schema(Stricter))


def test_a_change_inside_a_nested_value_is_found() -> None:
    class OtherVenue(BaseModel):
        name: str
        city: str

    class Moved(BaseModel):
        edition_id: str
        capacity: int
        venue: OtherVenue
        note: str | None = None

    assert breaking_changes(schema(Published), schema(Moved)) == ["venue.address: field removed"]


def test_the_committed_schemas_and_asyncapi_match_the_models() -> None:
    assert problems() == []
    assert any(path.name == "asyncapi.json" for path in generated_files())
