"""docker-compose.yml cannot run here (no Docker engine); its shape is checked instead."""

from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[3]
KOOS_SERVICES = ("registration", "scheduling", "evaluation", "notifications", "gateway")


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


@pytest.mark.parametrize("name", KOOS_SERVICES)
def test_every_service_is_built_configured_checked_and_waits_for_its_servers(
        compose: dict[str, Any], name: str) -> None:
    service = compose["services"][name]
    assert service["build"]["target"] == name and service["build"]["dockerfile"] == "deploy/Dockerfile"
    assert service["environment"]["KOOS_KAFKA_BOOTSTRAP"] == "kafka:9092"
    assert "replicaSet=rs0" in service["environment"]["KOOS_MONGO_URL"]
    assert "/readyz" in " ".join(service["healthcheck"]["test"])
    conditions = {dep: cond["condition"] for dep, cond in service["depends_on"].items()}
    assert conditions.items() >= {"kafka": "service_healthy", "mongo": "service_healthy"}.items()


def test_kafka_runs_in_kraft_mode_without_auto_created_topics(compose: dict[str, Any]) -> None:
    kafka = compose["services"]["kafka"]
    assert kafka["image"].startswith("apache/kafka:4.")
    assert kafka["environment"]["KAFKA_PROCESS_ROLES"] == "broker,controller"
    assert kafka["environment"]["KAFKA_AUTO_CREATE_TOPICS_ENABLE"] == "false"
    assert "healthcheck" in kafka


def test_mongo_is_a_single_node_replica_set_of_a_supported_version(compose: dict[str, Any]) -> None:
    mongo = compose["services"]["mongo"]
    assert mongo["image"].split(":")[1].split(".")[0] in ("7", "8")
    assert "--replSet" in mongo["command"] and "rs.initiate" in " ".join(mongo["healthcheck"]["test"])


def test_the_dockerfile_has_a_target_per_service() -> None:
    dockerfile = (ROOT / "deploy" / "Dockerfile").read_text()
    assert "COPY web web" in dockerfile
    for name in (*KOOS_SERVICES, "web"):
        assert f"AS {name}\n" in dockerfile and f'"koos_{name}"' in dockerfile


def test_every_service_has_a_kubernetes_deployment_with_probes() -> None:
    documents = list(yaml.safe_load_all((ROOT / "deploy" / "kubernetes" / "koos.yaml").read_text()))
    deployments = {d["metadata"]["name"]: d for d in documents if d["kind"] == "Deployment"}
    assert set(deployments) == {f"koos-{name}" for name in (*KOOS_SERVICES, "web")}
    for deployment in deployments.values():
        (container,) = deployment["spec"]["template"]["spec"]["containers"]
        assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
        assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
        assert {"configMapRef": {"name": "koos-config"}} in container["envFrom"]


def test_the_web_calls_only_the_gateway_and_needs_its_own_secret(compose: dict[str, Any]) -> None:
    web = compose["services"]["web"]
    environment = web["environment"]
    assert web["build"]["target"] == "web" and web["build"]["args"]["PACKAGE"] == "koos-web"
    assert environment["KOOS_GATEWAY_URL"] == "http://gateway:8000"
    assert not {"KOOS_KAFKA_BOOTSTRAP", "KOOS_MONGO_URL"} & set(environment)
    assert environment["KOOS_WEB_COOKIE_SECRET"].startswith("${KOOS_WEB_COOKIE_SECRET:?")
    assert web["depends_on"] == {"gateway": {"condition": "service_healthy"}}
    assert "/readyz" in " ".join(web["healthcheck"]["test"])
    assert compose["services"]["notifications"]["environment"]["KOOS_WEB_BASE_URL"] == environment["KOOS_WEB_BASE_URL"]


def test_on_kubernetes_the_web_and_the_mails_share_one_public_address_and_the_gateway_trusts_the_provider() -> None:
    documents = list(yaml.safe_load_all((ROOT / "deploy" / "kubernetes" / "koos.yaml").read_text()))
    (config,) = [d for d in documents if d["kind"] == "ConfigMap"]
    data = config["data"]
    assert data["KOOS_WEB_BASE_URL"].startswith("https://") and data["KOOS_GATEWAY_URL"] == "http://koos-gateway:8000"
    assert data["KOOS_OIDC_ISSUER"] == data["KOOS_WEB_OIDC_ISSUER"]
    services = {d["metadata"]["name"] for d in documents if d["kind"] == "Service"}
    assert "koos-web" in services
