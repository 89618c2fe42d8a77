"""The designed Kafka rights match what the services really consume and publish; partners stay at home."""

import importlib
import inspect
from types import SimpleNamespace

import pytest

from koos_cli.access.acl import Operation, Pattern, Resource
from koos_cli.access.grants import partner_bindings, service_bindings
from koos_contracts import Command, Event
from koos_contracts.access import ACCESS_BY_SERVICE, SERVICE_ACCESS
from koos_contracts.catalogue import MESSAGE_TYPES
from koos_contracts.personal_data import HOLDERS, PersonalDataErased, PersonalDataExported
from koos_contracts.topics import (
    ALL_TOPICS,
    PRIVACY_KEYS,
    InvalidOrganisation,
    PartnerTopics,
    organisation_of_partner_topic,
    organisation_slug,
)
from koos_kit.privacy.requests import requests_subscription

SUBSCRIPTIONS = {
    "scheduling": ("subscription", "facts"),
    "registration": ("commands", "editions"),
    "evaluation": ("facts", "commands"),
    "notifications": ("subscription", "commands"),
    "gateway": ("subscription",),
}


@pytest.mark.parametrize("service", sorted(SUBSCRIPTIONS))
def test_a_service_may_read_exactly_the_topics_it_subscribes_to(service: str) -> None:
    consumers = importlib.import_module(f"koos_{service}.entrypoints.consumers")
    subscriptions = [getattr(consumers, name) for name in SUBSCRIPTIONS[service]]
    subscribed = {topic for make in subscriptions
                  for topic in make(*[None] * len(inspect.signature(make).parameters)).topics}
    if service in HOLDERS:
        subscribed |= {*requests_subscription(SimpleNamespace(service=service)).topics,  # type: ignore[arg-type]
                       PRIVACY_KEYS.name}

    assert subscribed == {topic.name for topic in ACCESS_BY_SERVICE[service].consumes}


@pytest.mark.parametrize("access", SERVICE_ACCESS, ids=lambda a: a.service)
def test_a_service_may_write_exactly_the_topics_of_the_messages_it_makes(access: object) -> None:
    service = access.service  # type: ignore[attr-defined]
    if service == "gateway":
        made = {m.topic.name for m in MESSAGE_TYPES.values() if issubclass(m, Command)} | {PRIVACY_KEYS.name}
    else:
        made = {m.topic.name for m in MESSAGE_TYPES.values()
                if issubclass(m, Event) and m.topic.service == service}
    if service in HOLDERS:
        made |= {PersonalDataErased.topic.name, PersonalDataExported.topic.name}
    assert made == {topic.name for topic in access.publishes}  # type: ignore[attr-defined]


def test_consumed_topics_come_with_their_twins_group_and_transactional_ids() -> None:
    bindings = service_bindings(ACCESS_BY_SERVICE["registration"], "t1.")
    by_name = {(b.resource, b.name, b.operation, b.pattern) for b in bindings}

    assert (Resource.TOPIC, "t1.koos.registration.commands.v1", Operation.READ, Pattern.LITERAL) in by_name
    assert (Resource.TOPIC, "t1.koos.registration.commands.v1.dlq", Operation.WRITE, Pattern.LITERAL) in by_name
    assert (Resource.TOPIC, "t1.koos.registration.commands.v1.retry", Operation.READ, Pattern.LITERAL) in by_name
    assert (Resource.TOPIC, "t1.koos.registration.commands.v1.retry", Operation.WRITE, Pattern.LITERAL) in by_name
    assert (Resource.TOPIC, "t1.koos.registration.registrations.v1", Operation.WRITE, Pattern.LITERAL) in by_name
    assert (Resource.GROUP, "t1.koos-registration", Operation.READ, Pattern.PREFIXED) in by_name
    assert (Resource.TRANSACTIONAL_ID, "t1.koos-registration", Operation.WRITE, Pattern.PREFIXED) in by_name
    assert not [b for b in bindings if b.resource is Resource.TOPIC and b.pattern is Pattern.PREFIXED]
    assert {b.principal for b in bindings} == {"User:koos-registration"}


def test_a_partner_has_rights_on_its_own_topics_and_groups_only() -> None:
    bindings = partner_bindings("helsingin-kaupunki")
    topics = {(b.name, b.operation) for b in bindings if b.resource is Resource.TOPIC}
    internal = {t.name for t in ALL_TOPICS} | {t.dlq for t in ALL_TOPICS}

    assert topics == {("koos.partner.helsingin-kaupunki.commands.v1", Operation.WRITE),
                      ("koos.partner.helsingin-kaupunki.results.v1", Operation.READ),
                      ("koos.partner.helsingin-kaupunki.commands.v1.dlq", Operation.READ)}
    assert not {name for name, _ in topics} & internal
    assert all(b.pattern is Pattern.LITERAL for b in bindings if b.resource is Resource.TOPIC)
    groups = {(b.name, b.pattern) for b in bindings if b.resource is Resource.GROUP}
    assert groups == {("partner-helsingin-kaupunki", Pattern.LITERAL),
                      ("partner-helsingin-kaupunki.", Pattern.PREFIXED)}


@pytest.mark.parametrize("organisation", ["oslo-kommune", "helsingin-kaupunki", "tartu", "a1"])
def test_organisation_slugs_name_partner_topics_and_are_found_again(organisation: str) -> None:
    topics = PartnerTopics(organisation_slug(organisation))

    assert organisation_of_partner_topic(topics.commands) == organisation
    assert organisation_of_partner_topic(topics.results, "results") == organisation
    assert organisation_of_partner_topic(topics.results) is None
    assert organisation_of_partner_topic(topics.commands_dlq) is None


@pytest.mark.parametrize("bad", ["", "Oslo", "oslo.kommune", "-oslo", "oslo-", "tromsø", "a" * 64, "x y"])
def test_an_organisation_id_that_cannot_name_topics_is_refused(bad: str) -> None:
    with pytest.raises(InvalidOrganisation):
        organisation_slug(bad)
    assert organisation_of_partner_topic(f"koos.partner.{bad}.commands.v1") is None
