"""Builds the scheduling service from its settings."""

from koos_kit.replies import CommandReplies
from koos_kit.versioned import VersionedDocuments
from koos_kit.wiring import Wiring
from koos_scheduling.adapters.mentoring import MongoMentoringPlans
from koos_scheduling.adapters.programmes import MongoProgrammes
from koos_scheduling.adapters.repository import MongoEditionRepository
from koos_scheduling.config import Settings
from koos_scheduling.entrypoints.consumers import facts, subscription
from koos_scheduling.service_layer import handlers
from koos_scheduling.service_layer.handlers import Ports
from koos_scheduling.service_layer.programmes import ProgrammePorts


def bootstrap(settings: Settings) -> Wiring:
    """The wired service, ready to run."""
    wiring = Wiring(settings)
    editions, replied = wiring.db["editions"], wiring.db["replies"]
    programmes = wiring.db["programmes"]
    relay = wiring.relay([editions, replied, programmes, wiring.db["mentoring"]])
    plans = MongoMentoringPlans(VersionedDocuments(wiring.db["mentoring"], relay, wiring.clock))
    repository = MongoEditionRepository(editions, relay, wiring.clock)
    replies = CommandReplies(replied, relay, wiring.clock)
    ports = Ports(editions=repository, replies=replies, clock=wiring.clock, factory=wiring.factory,
                  mentoring=plans)
    programme_store = MongoProgrammes(programmes, relay, wiring.clock)
    programme_ports = ProgrammePorts(programmes=programme_store, replies=replies, factory=wiring.factory)
    wiring.on_startup(repository.ensure_indexes)
    wiring.on_startup(programme_store.ensure_indexes)
    wiring.on_startup(replies.ensure_indexes)
    wiring.on_startup(plans.ensure_indexes)
    wiring.consume(subscription(ports, programme_ports), title="scheduling-commands")
    wiring.consume(facts(ports), title="scheduling-facts")
    wiring.every(settings.session_end_poll_seconds, lambda: handlers.end_sessions_due(ports), "end-sessions")
    return wiring
