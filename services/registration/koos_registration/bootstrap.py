"""Builds the registration service from its settings."""

from datetime import timedelta

from koos_kit.replies import CommandReplies
from koos_kit.versioned import VersionedDocuments
from koos_kit.wiring import Wiring
from koos_registration.adapters.applications import MongoApplications
from koos_registration.adapters.book import MongoBook
from koos_registration.adapters.personal_data import RegistrationHolder
from koos_registration.adapters.retention import RegistrationRetention
from koos_registration.adapters.team_programmes import MongoTeamProgrammes
from koos_registration.config import Settings
from koos_registration.entrypoints.consumers import commands, editions
from koos_registration.service_layer.handlers import Ports
from koos_registration.service_layer.teams import TeamPorts


def bootstrap(settings: Settings) -> Wiring:
    """The wired service, ready to run."""
    wiring = Wiring(settings)
    db = wiring.db
    relay = wiring.relay([db["replies"], db["team_programmes"], db["applications"]])
    applications = MongoApplications(VersionedDocuments(db["applications"], relay, wiring.clock))
    book = MongoBook(db["offers"], db["registrations"], db["line"], wiring.publisher)
    replies = CommandReplies(db["replies"], relay, wiring.clock)
    ports = Ports(book=book, replies=replies, clock=wiring.clock, factory=wiring.factory,
                  unknown_edition_grace=timedelta(seconds=settings.unknown_edition_grace_seconds),
                  applications=applications)
    programmes = MongoTeamProgrammes(db["team_programmes"], relay, wiring.clock)
    team_ports = TeamPorts(programmes=programmes, replies=replies, factory=wiring.factory)
    wiring.on_startup(book.ensure_indexes)
    wiring.on_startup(programmes.ensure_indexes)
    wiring.on_startup(replies.ensure_indexes)
    wiring.on_startup(applications.ensure_indexes)
    wiring.consume(editions(ports), title="registration-editions")
    wiring.consume(commands(ports, team_ports), title="registration-commands")
    holder = RegistrationHolder(db["offers"], db["registrations"], programmes, db["applications"])
    wiring.on_startup(holder.ensure_indexes)
    wiring.answer_privacy_requests(holder, replies)
    wiring.retention(RegistrationRetention(db["offers"], db["registrations"], db["team_programmes"],
                                           db["applications"]).purges())
    return wiring
