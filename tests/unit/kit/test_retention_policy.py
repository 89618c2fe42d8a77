"""Retention periods: the inventory's defaults, an organisation's own periods, and kinds that do not exist."""

from datetime import UTC, datetime, timedelta

import pytest

from koos_contracts.inventory import RETENTION
from koos_kit.retention import RetentionPolicy, UnknownRetentionKind

NOW = datetime(2030, 1, 15, tzinfo=UTC)


def test_an_organisation_without_periods_of_its_own_keeps_the_inventorys() -> None:
    windows = RetentionPolicy({"org-bergen": {"mail": 30}}).windows("mail", NOW)

    assert windows.cutoff("org-oslo") == NOW - timedelta(days=RETENTION["mail"].days)
    assert windows.cutoff("org-bergen") == NOW - timedelta(days=30)
    assert windows.is_past("org-bergen", NOW - timedelta(days=31))
    assert not windows.is_past("org-oslo", NOW - timedelta(days=31))


def test_the_filters_select_each_organisation_by_its_own_period_and_no_document_twice() -> None:
    windows = RetentionPolicy({"org-bergen": {"mail": 30}, "org-tartu": {"audit": 10}}).windows("mail", NOW)

    assert windows.filters("sent_at") == [
        {"sent_at": {"$lt": NOW - timedelta(days=90)}, "organisation_id": {"$nin": ["org-bergen"]}},
        {"organisation_id": "org-bergen", "sent_at": {"$lt": NOW - timedelta(days=30)}}]


def test_a_period_for_a_kind_the_inventory_does_not_know_is_refused() -> None:
    with pytest.raises(UnknownRetentionKind, match="'mails'"):
        RetentionPolicy({"org-bergen": {"mails": 30}})
