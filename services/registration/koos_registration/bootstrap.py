"""Builds the registration service from its settings."""

from datetime import timedelta

from koos_kit.wiring import Wiring
from koos_registration.adapters.registrations import MongoRegistrations
from koos_registration.adapters.seats import MongoSeats
from koos_registration.config import Settings
from koos_registration.entrypoints.consumers import commands, editions
from koos_registration.service_layer.handlers import Ports


def bootstrap(settings: Settings) -> Wiring:
    """The wired service, ready to run."""
    wiring = Wiring(settings)
    registrations_collection = wiring.db["registrations"]
    relay = wiring.relay([registrations_collection])
    registrations = MongoRegistrations(registrations_collection, relay, wiring.clock)
    ports = Ports(seats=MongoSeats(wiring.db["offers"]), registrations=registrations,
                  publisher=wiring.publisher, clock=wiring.clock, factory=wiring.factory,
                  unknown_edition_grace=timedelta(seconds=settings.unknown_edition_grace_seconds))
    wiring.on_startup(registrations.ensure_indexes)
    wiring.consume(editions(ports), title="registration-editions")
    wiring.consume(commands(ports), title="registration-commands")
    return wiring
