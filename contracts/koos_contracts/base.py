"""Base classes of every message: immutable, typed by a versioned CloudEvents type, read tolerantly.

Readers ignore fields they do not know, so that a field added within a version breaks no consumer (see
`koos_contracts.compatibility`); the JSON Schemas say so by leaving `additionalProperties` open.
"""

from typing import ClassVar

from pydantic import BaseModel, ConfigDict

from koos_contracts.topics import Topic


class Message(BaseModel):
    """A message on Kafka; subclasses set the topic and the field that keys the partition."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    topic: ClassVar[Topic]
    key_field: ClassVar[str]
    version: ClassVar[int] = 1

    @classmethod
    def ce_type(cls) -> str:
        """The CloudEvents `type`, e.g. `koos.registration.RegistrationConfirmed.v1`."""
        return f"koos.{cls.topic.service}.{cls.__name__}.v{cls.version}"

    def partition_key(self) -> str:
        """The Kafka record key: messages with one key stay in order."""
        return str(getattr(self, self.key_field))

    def subject(self) -> str | None:
        """The CloudEvents `subject`: the entity the message is about."""
        return None


class Event(Message):
    """A fact that happened, named in the past tense."""


class Command(Message):
    """A request to a service, named in the imperative; it may be refused."""
