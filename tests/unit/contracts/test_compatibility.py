"""A published event version may grow optional fields but never lose, retype or newly require one."""

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

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


def test_closing_an_open_object_to_unknown_fields_breaks_tolerant_readers() -> None:
    class Closed(Published):
        model_config = ConfigDict(extra="forbid")

    assert breaking_changes(schema(Published), schema(Closed)) == ["(root): closed to fields it does not know"]


def test_changing_the_allowed_values_of_a_field_breaks_readers_and_writers() -> None:
    class Coded(BaseModel):
        code: Literal["closed", "full"]

    class Recoded(BaseModel):
        code: Literal["closed", "full", "cancelled"]

    assert breaking_changes(schema(Coded), schema(Recoded))[0].startswith("code: type changed")


def test_a_new_constraint_inside_a_map_of_texts_is_no_new_type() -> None:
    class Titled(BaseModel):
        title: dict[str, str]

    class Stricter(BaseModel):
        title: dict[str, Annotated[str, Field(max_length=200, pattern="^[^\\n]*$")]]

    assert breaking_changes(schema(Titled), schema(Stricter)) == []
