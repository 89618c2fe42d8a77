"""Builds the registration service from its settings."""

from datetime import timedelta

from koos_kit.replies import CommandReplies
from koos_kit.wiring import Wiring
from koos_registration.adapters.book import MongoBook
from koos_registration.adapters.personal_data import RegistrationHolder
from koos_registration.adapters.retention import RegistrationRetention
from koos_registration.config import Settings
from koos_registration.entrypoints.consumers import commands, editions
from koos_registration.service_layer.handlers import Ports


def bootstrap(settings: Settings) -> Wiring:
    """The wired service, ready to run."""
    wiring = Wiring(settings)
    db = wiring.db
    relay = wiring.relay([db["replies"]])
    book = MongoBook(db["offers"], db["registrations"], db["line"], wiring.publisher)
    replies = CommandReplies(db["replies"], relay, wiring.clock)
    ports = Ports(book=book, replies=replies, clock=wiring.clock, factory=wiring.factory,
                  unknown_edition_grace=timedelta(seconds=settings.unknown_edition_grace_seconds))
    wiring.on_startup(book.ensure_indexes)
    wiring.on_startup(replies.ensure_indexes)
    wiring.consume(editions(ports), title="registration-editions")
    wiring.consume(commands(ports), title="registration-commands")
    holder = RegistrationHolder(db["offers"], db["registrations"])
    wiring.on_startup(holder.ensure_indexes)
    wiring.answer_privacy_requests(holder, replies)
    wiring.retention(RegistrationRetention(db["offers"], db["registrations"]).purges())
    return wiring
