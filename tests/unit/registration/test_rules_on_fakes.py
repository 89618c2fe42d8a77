"""Registration's behaviour suite on the fake store (the same suite runs on MongoDB in tests/integration)."""

import pytest

from koos_kit.events import EventFactory
from koos_registration.service_layer.handlers import Ports
from tests.behaviour.registration_rules import *  # noqa: F403
from tests.behaviour.registration_rules import NOW, Registrar
from tests.fakes import FixedClock, RecordingPublisher
from tests.unit.registration.fakes import FakeBook, FakeReplies


@pytest.fixture
def registrar() -> Registrar:
    publisher, clock = RecordingPublisher(), FixedClock(NOW)
    book = FakeBook(publisher)
    ports = Ports(book, FakeReplies(publisher), clock, EventFactory("/t"))

    def crash_next_commit() -> None:
        book.crash_after_offer_write = True

    return Registrar(ports, publisher, clock, crash_next_commit, second=ports)
