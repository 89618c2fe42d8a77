"""Every person a command names enters Koos under their subject id, with a data key, before the command leaves
the gateway: team members, an institution's contact and staff, jurors and mentors as well as a participant who
signs up. The services then keep each of them under that id (an erased person who comes back is a new one) and
every personal field about them travels sealed by their key, so export and erasure reach them like anyone."""

from typing import Any, TypeVar

from pydantic import BaseModel

from koos_contracts.values import Person
from koos_gateway.service_layer.ports import PersonDirectory

Model = TypeVar("Model", bound=BaseModel)


async def with_subjects(message: Model, organisation_id: str, people: PersonDirectory) -> Model:
    """The message with a subject id on every `Person` inside it that has none (itself when nothing changed)."""
    if isinstance(message, Person):
        if message.subject_id is not None:
            return message
        subject = await people.subject_for(organisation_id, str(message.email))
        return message.model_copy(update={"subject_id": subject})
    changed: dict[str, Any] = {}
    for name in type(message).model_fields:
        value = getattr(message, name)
        filled = await _filled(value, organisation_id, people)
        if filled is not value:
            changed[name] = filled
    return message.model_copy(update=changed) if changed else message


async def _filled(value: Any, organisation_id: str, people: PersonDirectory) -> Any:
    if isinstance(value, BaseModel):
        return await with_subjects(value, organisation_id, people)
    if isinstance(value, tuple | list) and any(isinstance(item, BaseModel) for item in value):
        items = [await _filled(item, organisation_id, people) for item in value]
        if all(new is old for new, old in zip(items, value, strict=True)):
            return value
        return type(value)(items)
    return value
