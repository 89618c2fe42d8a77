"""Builds the gateway from its settings: read models in its own database, Kafka in and out, the web app.

The gateway runs the kit's service lifecycle (topics, start-up hooks, the broker, background jobs) inside
its FastAPI app, and the kit's operator endpoints.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta

from fastapi import FastAPI

from koos_gateway.adapters.api_keys import MongoApiKeys
from koos_gateway.adapters.audit import MongoAuditLog
from koos_gateway.adapters.bus import KafkaCommandBus
from koos_gateway.adapters.commands import MongoCommandLog
from koos_gateway.adapters.edition_cache import CachedEditions
from koos_gateway.adapters.editions import MongoEditions
from koos_gateway.adapters.homework import MongoHomeworkGrid
from koos_gateway.adapters.ledgers import mongo_ledgers
from koos_gateway.adapters.oidc import oidc_tokens
from koos_gateway.adapters.people import MongoPeople
from koos_gateway.adapters.personal_data import GatewayHolder
from koos_gateway.adapters.privacy_requests import MongoPrivacyRequests
from koos_gateway.adapters.programmes import MongoProgrammes
from koos_gateway.adapters.rate_counts import LimitsPools, MongoCounters
from koos_gateway.adapters.registrations import MongoRegistrations
from koos_gateway.adapters.retention import GatewayRetention
from koos_gateway.adapters.selections import MongoSelections
from koos_gateway.adapters.surveys import MongoSurveyResults
from koos_gateway.adapters.teams import MongoTeams
from koos_gateway.adapters.tokens import JwtTokens, StaffTokenRules
from koos_gateway.config import Settings
from koos_gateway.domain.privacy import EXPORTS_KEPT
from koos_gateway.domain.rate_limit import Quota
from koos_gateway.entrypoints.consumers import subscription
from koos_gateway.entrypoints.http.app import HttpSettings, create_app
from koos_gateway.entrypoints.http.guards import BodyLimits
from koos_gateway.entrypoints.partner_topics import PartnerTopics
from koos_gateway.service_layer.partner_bridge import Outgoing
from koos_gateway.service_layer.partner_sealing import sealed_inward
from koos_gateway.service_layer.ports import TokenService
from koos_gateway.service_layer.rate_limits import RateLimiter, RateLimits
from koos_gateway.service_layer.unit import Policy, Ports
from koos_kit.logging import get_logger
from koos_kit.privacy.keyring import KeyWrapper
from koos_kit.privacy.sealing import KeyIssuer
from koos_kit.replies import CommandReplies
from koos_kit.wiring import Wiring

log = get_logger("koos.gateway")


@dataclass(frozen=True)
class Stores:
    """The gateway's collections, one adapter each."""

    editions: MongoEditions
    registrations: MongoRegistrations
    commands: MongoCommandLog
    surveys: MongoSurveyResults
    api_keys: MongoApiKeys
    teams: MongoTeams
    programmes: MongoProgrammes
    selections: MongoSelections
    homework: MongoHomeworkGrid

    @classmethod
    def of(cls, wiring: Wiring) -> "Stores":
        db = wiring.db
        return cls(MongoEditions(db["editions"]), MongoRegistrations(db["registrations"]),
                   MongoCommandLog(db["commands"]), MongoSurveyResults(db["survey_results"], db["survey_forms"]),
                   MongoApiKeys(db["api_keys"]), MongoTeams(db["team_programmes"]),
                   MongoProgrammes(db["programmes"]), MongoSelections(db["applications"], db["juries"]),
                   MongoHomeworkGrid(db["homework"]))


def bootstrap(settings: Settings) -> tuple[Wiring, FastAPI]:
    """The wired gateway and its app, ready to serve."""
    wiring = Wiring(settings)
    _warn_about_development_defaults(settings)
    stores = Stores.of(wiring)
    ports = _ports(wiring, stores, settings)
    wiring.consume(subscription(ports), title="gateway-read-models")
    naming = [wiring.db[name] for name in ("team_programmes", "applications", "juries")]
    wiring.answer_privacy_requests(GatewayHolder(wiring.db["registrations"], wiring.db["deliveries"], ports.people,
                                                 ports.privacy, naming, stores.homework), _replies(wiring))
    wiring.runtime.background.extend(PartnerTopics(settings, _admitting(wiring, ports)).loops())
    _maintain(wiring, stores, settings)
    http = HttpSettings(settings.service_name, settings.public_base_url, settings.signup_rate_per_minute,
                        settings.api_key_rate_per_minute, settings.cors_origins,
                        BodyLimits(settings.http_public_body_limit_bytes, settings.http_body_limit_bytes))
    app = create_app(ports, http, readiness=wiring.runtime.check, lifespan=wiring.runtime.lifespan,
                     rate_limits=_rate_limits(wiring, settings))
    return wiring, app


def _warn_about_development_defaults(settings: Settings) -> None:
    if not settings.jwt_secret:
        log.warning("KOOS_JWT_SECRET is not set: staff tokens are checked with the development secret")
    if not settings.participant_token_public_key:
        log.warning("KOOS_PARTICIPANT_TOKEN_PUBLIC_KEY is not set: participant tokens are checked with the "
                    "development key")


def _ports(wiring: Wiring, stores: Stores, settings: Settings) -> Ports:
    staff = StaffTokenRules(settings.staff_token_secret, settings.jwt_issuer, settings.jwt_audience,
                            int(settings.jwt_max_lifetime_hours * 3600))
    tokens: TokenService = JwtTokens(staff, settings.participant_token_verifier())
    if settings.oidc_issuer:
        tokens = oidc_tokens(tokens, settings, wiring)
    policy = Policy(source=settings.source, command_wait_seconds=settings.command_wait_seconds)
    ledgers, deliveries = mongo_ledgers(wiring.db)
    wiring.on_startup(deliveries.ensure_indexes)
    audit = MongoAuditLog(wiring.db["audit"])
    wiring.on_startup(audit.ensure_indexes)
    return Ports(editions=CachedEditions(stores.editions), registrations=stores.registrations,
                 commands=stores.commands, surveys=stores.surveys, api_keys=stores.api_keys,
                 bus=KafkaCommandBus(wiring.publisher, settings.publish_timeout_seconds),
                 tokens=tokens, clock=wiring.clock, ledgers=ledgers, teams=stores.teams, audit=audit,
                 programmes=stores.programmes, policy=policy, selections=stores.selections, homework=stores.homework,
                 people=_people(wiring, settings), privacy=_privacy_requests(wiring))


def _admitting(wiring: Wiring, ports: Ports) -> Callable[[Outgoing], Awaitable[Outgoing]]:
    """A partner's registration gets its person's subject and goes inward sealed."""
    seal = wiring.publisher.seal or (lambda envelope: envelope)

    async def admit(outgoing: Outgoing) -> Outgoing:
        return await sealed_inward(outgoing, ports.people, seal)

    return admit


def _privacy_requests(wiring: Wiring) -> MongoPrivacyRequests:
    collection = wiring.db["privacy_requests"]
    requests = MongoPrivacyRequests(collection, wiring.relay([collection]), wiring.clock)
    wiring.on_startup(requests.ensure_indexes)

    async def forget_old_exports() -> None:
        await requests.forget_exports_before(wiring.clock.now() - EXPORTS_KEPT)

    wiring.every(3600, forget_old_exports, "forget-old-exports")
    return requests


def _replies(wiring: Wiring) -> CommandReplies:
    replied = wiring.db["replies"]
    replies = CommandReplies(replied, wiring.relay([replied]), wiring.clock)
    wiring.on_startup(replies.ensure_indexes)
    return replies


def _people(wiring: Wiring, settings: Settings) -> MongoPeople:
    personal = wiring.personal
    if personal is None:
        raise RuntimeError("the gateway handles personal data: its settings must say so")
    issuer = KeyIssuer(personal.ring, KeyWrapper(settings.key_encryption_key), settings.source)
    people = MongoPeople(wiring.db["people"], settings.key_encryption_key, personal, issuer, wiring.publisher)
    wiring.on_startup(people.ensure_indexes)
    return people


def _rate_limits(wiring: Wiring, settings: Settings) -> RateLimits:
    """Limits every replica shares through the gateway's database."""
    counters = MongoCounters(wiring.db["rate_counts"])
    wiring.on_startup(counters.ensure_indexes)
    wiring.every(60, counters.forget_expired, "forget-expired-rate-counts")
    pools, replicas = LimitsPools(counters), settings.rate_limit_replicas
    return RateLimits(RateLimiter(Quota("sign-up", settings.signup_rate_per_minute, 60, replicas), pools),
                      RateLimiter(Quota("api-key", settings.api_key_rate_per_minute, 60, replicas), pools))


def _maintain(wiring: Wiring, stores: Stores, settings: Settings) -> None:
    for store in (stores.editions, stores.registrations, stores.commands, stores.api_keys, stores.selections):
        wiring.on_startup(store.ensure_indexes)
    wiring.runtime.on_shutdown.insert(0, stores.commands.close)
    retention = timedelta(days=settings.command_retention_days)

    async def forget_old_commands() -> None:
        await stores.commands.forget_before(wiring.clock.now() - retention)

    wiring.every(3600, forget_old_commands, "forget-old-commands")
    wiring.retention(GatewayRetention(wiring.db).purges())
