"""docker-compose.yml and the Kubernetes manifests cannot run here (no Docker, no cluster); their shape is checked."""

import importlib
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from koos_cli.access.grants import partner_bindings
from koos_cli.access.strimzi import PLACEHOLDER, generated_files, kafka_user, strimzi_acls
from koos_contracts.access import ACCESS_BY_SERVICE

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
    assert conditions.items() >= {"kafka-init": "service_completed_successfully", "mongo": "service_healthy"}.items()


@pytest.mark.parametrize("name", KOOS_SERVICES)
def test_every_service_logs_in_to_kafka_as_its_own_user_with_a_password_that_must_be_set(
        compose: dict[str, Any], name: str) -> None:
    environment = compose["services"][name]["environment"]
    assert environment["KOOS_KAFKA_SECURITY_PROTOCOL"] == "SASL_PLAINTEXT"
    assert environment["KOOS_KAFKA_USERNAME"] == ACCESS_BY_SERVICE[name].principal
    assert re.fullmatch(rf"\$\{{KOOS_KAFKA_PASSWORD_{name.upper()}:\?[^}}]+\}}", environment["KOOS_KAFKA_PASSWORD"])
    assert f"KOOS_KAFKA_PASSWORD_{name.upper()}" in compose["services"]["kafka-init"]["environment"]


def test_no_secret_in_the_compose_file_has_a_default(compose: dict[str, Any]) -> None:
    text = (ROOT / "docker-compose.yml").read_text()
    secrets = re.findall(r"\$\{(KOOS_[A-Z_]*(?:PASSWORD|SECRET|KEY)[A-Z_]*)([^}]*)\}", text)
    assert len({name for name, _ in secrets}) >= 10
    assert all(rest.startswith(":?") for _, rest in secrets), secrets


def secrets_of(name: str) -> set[str]:
    """The settings a service refuses to start without, as its own code names them."""
    module = importlib.import_module(f"koos_{name}.config")
    return {s.setting for s in module.Settings(kafka_security_protocol="SASL_SSL").secrets()}


@pytest.mark.parametrize("name", KOOS_SERVICES)
def test_every_service_gets_each_secret_it_needs_and_no_other(compose: dict[str, Any], name: str) -> None:
    environment = compose["services"][name]["environment"]
    required = {key for key, value in environment.items() if re.fullmatch(r"\$\{[A-Z_]+:\?[^}]*\}", str(value))}

    assert required == secrets_of(name)
    assert environment["KOOS_ENVIRONMENT"] == "production"


@pytest.mark.parametrize("name", KOOS_SERVICES)
def test_every_kubernetes_service_gets_its_secrets_by_name_from_a_secret_and_no_other(name: str) -> None:
    (deployment,) = [d for d in kubernetes("koos.yaml") if d["kind"] == "Deployment"
                     and d["metadata"]["name"] == f"koos-{name}"]
    (container,) = deployment["spec"]["template"]["spec"]["containers"]
    from_secrets = {e["name"]: e["valueFrom"]["secretKeyRef"] for e in container["env"] if "valueFrom" in e}

    assert set(from_secrets) == secrets_of(name)
    assert all(ref["name"] == "koos-secrets" for key, ref in from_secrets.items() if key != "KOOS_KAFKA_PASSWORD")
    assert not any("secretRef" in source for source in container["envFrom"])
    (config,) = [d for d in kubernetes("koos.yaml") if d["kind"] == "ConfigMap"]
    assert config["data"]["KOOS_ENVIRONMENT"] == "production"


def test_kafka_runs_in_kraft_mode_with_scram_acls_and_no_auto_created_topics(compose: dict[str, Any]) -> None:
    kafka = compose["services"]["kafka"]
    assert kafka["image"].startswith("apache/kafka:4.")
    script = (ROOT / "deploy" / "kafka" / "start.sh").read_text()
    for line in ("process.roles=broker,controller", "auto.create.topics.enable=false",
                 "allow.everyone.if.no.acl.found=false", "sasl.enabled.mechanisms=SCRAM-SHA-512",
                 "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer"):
        assert f"\n{line}\n" in script
    assert "PLAINTEXT://" not in script.replace("SASL_PLAINTEXT://", "")
    assert "--command-config" in " ".join(kafka["healthcheck"]["test"])
    assert compose["services"]["kafka-init"]["command"] == ["koos", "kafka", "provision"]


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


def kubernetes(name: str) -> list[dict[str, Any]]:
    return [d for d in yaml.safe_load_all((ROOT / "deploy" / "kubernetes" / name).read_text()) if d]


def test_the_strimzi_cluster_authenticates_every_listener_with_scram_and_authorises_by_acl() -> None:
    (kafka,) = [d for d in kubernetes("kafka.yaml") if d["kind"] == "Kafka"]
    listeners = kafka["spec"]["kafka"]["listeners"]
    assert all(listener["authentication"]["type"] == "scram-sha-512" for listener in listeners)
    assert all(listener["tls"] for listener in listeners if listener["type"] != "internal")
    assert kafka["spec"]["kafka"]["authorization"]["type"] == "simple"
    assert kafka["spec"]["kafka"]["config"]["allow.everyone.if.no.acl.found"] is False


def test_the_committed_strimzi_users_and_topics_are_what_the_design_gives() -> None:
    for path, text in generated_files().items():
        assert path.read_text() == text, f"{path.name} is stale: run python -m koos_cli.access.strimzi"
    documents = kubernetes("kafka-access.yaml")
    users = {d["metadata"]["name"]: d for d in documents if d["kind"] == "KafkaUser"}
    assert set(users) == {f"koos-{name}" for name in KOOS_SERVICES}
    topics = [d["spec"] for d in documents if d["kind"] == "KafkaTopic"]
    assert {t["replicas"] for t in topics} == {3} and {t["config"]["min.insync.replicas"] for t in topics} == {"2"}


def test_the_partner_template_gives_an_organisation_its_own_topics_only() -> None:
    text = (ROOT / "deploy" / "kubernetes" / "partner-template.yaml").read_text()
    documents = list(yaml.safe_load_all(text.replace(PLACEHOLDER, "tampereen-kaupunki")))
    (user,) = [d for d in documents if d["kind"] == "KafkaUser"]
    assert user == kafka_user("partner-tampereen-kaupunki", partner_bindings("tampereen-kaupunki"))
    acls = user["spec"]["authorization"]["acls"]
    assert acls == strimzi_acls(partner_bindings("tampereen-kaupunki"))
    assert all("tampereen-kaupunki" in acl["resource"]["name"] for acl in acls)


@pytest.mark.parametrize("name", KOOS_SERVICES)
def test_every_kubernetes_service_logs_in_as_its_kafka_user_over_tls(name: str) -> None:
    (deployment,) = [d for d in kubernetes("koos.yaml") if d["kind"] == "Deployment"
                     and d["metadata"]["name"] == f"koos-{name}"]
    pod = deployment["spec"]["template"]["spec"]
    (container,) = pod["containers"]
    env = {e["name"]: e for e in container["env"]}
    assert env["KOOS_KAFKA_USERNAME"]["value"] == ACCESS_BY_SERVICE[name].principal
    assert env["KOOS_KAFKA_PASSWORD"]["valueFrom"]["secretKeyRef"] == {"name": f"koos-{name}", "key": "password"}
    (config,) = [d for d in kubernetes("koos.yaml") if d["kind"] == "ConfigMap"]
    assert config["data"]["KOOS_KAFKA_SECURITY_PROTOCOL"] == "SASL_SSL"
    mount = next(m for m in container["volumeMounts"] if m["name"] == "kafka-ca")
    assert config["data"]["KOOS_KAFKA_CA_FILE"].startswith(mount["mountPath"])
    assert next(v for v in pod["volumes"] if v["name"] == "kafka-ca")["secret"]["secretName"] == "koos-cluster-ca-cert"
