"""The Grafana dashboard and the Prometheus alert rules in deploy/ name only metrics and labels the code defines."""

import json
import re
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml
from prometheus_client.metrics import MetricWrapperBase

import koos_gateway.entrypoints.http.middleware as gateway_metrics
import koos_kit.metrics as kit_metrics
import koos_notifications.service_layer.metrics as notification_metrics

ROOT = Path(__file__).resolve().parents[3]
MODULES: tuple[ModuleType, ...] = (kit_metrics, notification_metrics, gateway_metrics)
SUFFIXES = {"counter": ("_total",), "gauge": ("",), "histogram": ("_bucket", "_sum", "_count"),
            "summary": ("_sum", "_count")}
METRIC = re.compile(r"\b(koos_[a-z0-9_]+)\b(?:\{([^}]*)\})?")
GROUPED = re.compile(r"\b(?:by|without)\s*\(([^)]*)\)")


def defined() -> dict[str, frozenset[str]]:
    """Every series name the services expose, with the labels of its metric."""
    series: dict[str, frozenset[str]] = {}
    for module in MODULES:
        for metric in vars(module).values():
            if isinstance(metric, MetricWrapperBase):
                labels = frozenset(metric._labelnames) | ({"le"} if metric._type == "histogram" else set())
                for suffix in SUFFIXES[metric._type]:
                    series[metric._name + suffix] = labels
    return series


def dashboard() -> dict[str, Any]:
    return json.loads((ROOT / "deploy" / "grafana" / "koos.json").read_text())


def alert_rules() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "deploy" / "prometheus" / "alerts.yml").read_text())


def dashboard_expressions() -> list[str]:
    return [target["expr"] for panel in dashboard()["panels"] for target in panel.get("targets", [])]


def rule_expressions() -> list[str]:
    return [rule["expr"] for group in alert_rules()["groups"] for rule in group["rules"]]


def test_the_dashboard_is_json_grafana_can_import_with_a_prometheus_data_source() -> None:
    board = dashboard()

    assert board["uid"] and board["title"] == "Koos operations" and board["schemaVersion"] >= 36
    assert {v["name"]: v["type"] for v in board["templating"]["list"]} == {"datasource": "datasource"}
    assert len({p["id"] for p in board["panels"]}) == len(board["panels"])
    assert all(t["datasource"]["uid"] == "${datasource}" for p in board["panels"] for t in p.get("targets", []))


def test_the_alert_rules_parse_into_the_expected_groups_each_rule_with_a_severity_and_a_summary() -> None:
    groups = alert_rules()["groups"]

    assert [g["name"] for g in groups] == ["koos-consumers", "koos-dead-letters", "koos-outbox",
                                           "koos-notifications", "koos-services"]
    for rule in (r for g in groups for r in g["rules"]):
        assert re.fullmatch(r"Koos[A-Za-z]+", rule["alert"]) and rule["expr"].strip()
        assert rule["labels"]["severity"] in {"info", "warning", "critical"}
        assert rule["annotations"]["summary"]


@pytest.mark.parametrize("source", ["dashboard", "alert rules"])
def test_every_metric_named_is_one_the_services_expose_and_the_operator_gauges_are_all_used(source: str) -> None:
    expressions = dashboard_expressions() if source == "dashboard" else rule_expressions()
    series = defined()

    named = {match[0] for expr in expressions for match in METRIC.findall(expr)}

    assert named - series.keys() == set()
    sampled = {"koos_consumer_lag", "koos_dlq_depth", "koos_outbox_oldest_pending_seconds",
               "koos_notifications_mails_in_doubt", "koos_notifications_oldest_pending_reminder_seconds"}
    assert sampled <= named


@pytest.mark.parametrize("expr", dashboard_expressions() + rule_expressions())
def test_every_label_an_expression_groups_or_filters_by_belongs_to_its_metrics(expr: str) -> None:
    series = defined()
    metrics = METRIC.findall(expr)
    labels = frozenset().union(*(series[name] for name, _ in metrics if name in series))

    grouped = {label.strip() for group in GROUPED.findall(expr) for label in group.split(",") if label.strip()}
    filtered = {re.split(r"[=!~]", part)[0].strip() for _, selector in metrics for part in selector.split(",")
                if part.strip()}

    assert grouped | filtered <= labels, expr
