"""The Kubernetes manifests, checked offline: every object against the Kubernetes JSON Schemas (kubernetes-validate,
strict: no unknown field), every pod against Pod Security "restricted", pinned images, startup probes, budgets and
autoscalers that fit the topics' partitions, network policies that close every pod and open what it needs."""

from functools import cache
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from koos_contracts.access import ACCESS_BY_SERVICE

ROOT = Path(__file__).resolve().parents[3]
MANIFESTS = sorted((ROOT / "deploy" / "kubernetes").glob("*.yaml"))
KUBERNETES = "1.33.0"
STRIMZI_KINDS = {"Kafka", "KafkaNodePool", "KafkaTopic", "KafkaUser"}
WORKLOADS = {"Deployment", "StatefulSet", "Job"}


@cache
def _documents(path: Path) -> tuple[dict[str, Any], ...]:
    """A manifest's objects (read once: the tests only read them)."""
    text = path.read_text().replace("${ORGANISATION}", "oslo-kommune")
    return tuple(d for d in yaml.load_all(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) if d)


def _everything() -> list[dict[str, Any]]:
    return [d for path in MANIFESTS for d in _documents(path)]


def _of_kind(*kinds: str) -> list[dict[str, Any]]:
    return [d for d in _everything() if d["kind"] in kinds]


def _name(document: dict[str, Any]) -> str:
    return str(document["metadata"]["name"])


def _containers(workload: dict[str, Any]) -> list[dict[str, Any]]:
    spec = workload["spec"]["template"]["spec"]
    return [*spec.get("initContainers", []), *spec["containers"]]


@pytest.mark.parametrize("path", MANIFESTS, ids=lambda p: p.name)
def test_every_kubernetes_object_matches_the_schema_of_its_kind(path: Path) -> None:
    for document in _documents(path):
        if document["apiVersion"].startswith("kafka.strimzi.io/"):
            assert document["kind"] in STRIMZI_KINDS and document["apiVersion"] == "kafka.strimzi.io/v1beta2"
            continue
        kubernetes_validate.validate(document, KUBERNETES, strict=True)


def test_a_schema_violation_is_caught() -> None:
    (deployment, *_) = _of_kind("Deployment")
    broken = yaml.safe_load(yaml.safe_dump(deployment))
    broken["spec"]["template"]["spec"]["containers"][0]["startupProbe"]["periodSecond"] = 5

    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, KUBERNETES, strict=True)


def test_strimzi_resources_belong_to_the_one_kafka_cluster() -> None:
    (cluster,) = _of_kind("Kafka")
    for document in _of_kind("KafkaNodePool", "KafkaTopic", "KafkaUser"):
        assert document["metadata"]["labels"]["strimzi.io/cluster"] == _name(cluster), _name(document)
    (internal,) = [lst for lst in cluster["spec"]["kafka"]["listeners"] if lst["type"] == "internal"]
    assert internal["networkPolicyPeers"] == [{"podSelector": {"matchLabels": {"app.kubernetes.io/part-of": "koos"}}}]


@pytest.mark.parametrize("workload", _of_kind(*WORKLOADS), ids=_name)
def test_every_pod_meets_pod_security_restricted(workload: dict[str, Any]) -> None:
    pod = workload["spec"]["template"]["spec"]
    assert pod["securityContext"]["runAsNonRoot"] is True and pod["securityContext"]["runAsUser"] > 0
    assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
    assert not {"hostNetwork", "hostPID", "hostIPC"} & set(pod)
    assert all(set(volume) - {"name"} <= {"emptyDir", "secret", "configMap", "persistentVolumeClaim", "projected"}
               for volume in pod.get("volumes", []))
    for container in _containers(workload):
        context = container["securityContext"]
        assert context["allowPrivilegeEscalation"] is False and context["capabilities"] == {"drop": ["ALL"]}
        assert context.get("privileged", False) is False and context["readOnlyRootFilesystem"] is True
        assert "/tmp" in {mount["mountPath"] for mount in container.get("volumeMounts", [])}


def test_both_namespaces_enforce_pod_security_restricted() -> None:
    namespaces = {_name(n): n["metadata"]["labels"] for n in _of_kind("Namespace")}
    assert set(namespaces) == {"koos", "db"}
    assert all(labels["pod-security.kubernetes.io/enforce"] == "restricted" for labels in namespaces.values())


@pytest.mark.parametrize("workload", _of_kind(*WORKLOADS), ids=_name)
def test_every_image_is_pinned_to_a_version(workload: dict[str, Any]) -> None:
    for container in _containers(workload):
        repository, _, tag = container["image"].rpartition(":")
        assert repository and "/" not in tag and tag[:1].isdigit() and tag != "latest", container["image"]


@pytest.mark.parametrize("workload", _of_kind("Deployment", "StatefulSet"), ids=_name)
def test_every_long_running_pod_has_a_startup_probe_that_outlasts_a_slow_start(workload: dict[str, Any]) -> None:
    for container in workload["spec"]["template"]["spec"]["containers"]:
        probe = container["startupProbe"]
        assert probe["periodSeconds"] * probe["failureThreshold"] >= 120


def _selects(selector: dict[str, Any], labels: dict[str, str]) -> bool:
    matched = all(labels.get(k) == v for k, v in selector.get("matchLabels", {}).items())
    for expression in selector.get("matchExpressions", []):
        present = labels.get(expression["key"])
        matched &= present in expression["values"] if expression["operator"] == "In" else present is not None
    return matched


def _pod_labels(workload: dict[str, Any]) -> dict[str, str]:
    return dict(workload["spec"]["template"]["metadata"]["labels"])


@pytest.mark.parametrize("workload", _of_kind("Deployment", "StatefulSet"), ids=_name)
def test_every_workload_has_a_disruption_budget_that_lets_a_node_drain(workload: dict[str, Any]) -> None:
    budgets = [b for b in _of_kind("PodDisruptionBudget")
               if b["metadata"].get("namespace") == workload["metadata"].get("namespace")
               and _selects(b["spec"]["selector"], _pod_labels(workload))]
    assert len(budgets) == 1, _name(workload)
    spec = budgets[0]["spec"]
    assert spec.get("maxUnavailable", 0) >= 1 or spec["minAvailable"] < workload["spec"]["replicas"]


def _autoscalers() -> dict[str, dict[str, Any]]:
    return {a["spec"]["scaleTargetRef"]["name"]: a["spec"] for a in _of_kind("HorizontalPodAutoscaler")}


def test_every_koos_deployment_scales_on_cpu_within_its_replicas() -> None:
    deployments = {_name(d): d for d in _of_kind("Deployment")}
    scalers = _autoscalers()
    assert set(scalers) == set(deployments)
    for name, spec in scalers.items():
        assert spec["minReplicas"] <= deployments[name]["spec"]["replicas"] <= spec["maxReplicas"]
        assert {"type": "Utilization", "averageUtilization": 70} in [
            m["resource"]["target"] for m in spec["metrics"] if m["type"] == "Resource"]


@pytest.mark.parametrize("service", [s for s in ACCESS_BY_SERVICE if s != "gateway"])
def test_a_consumer_scales_to_no_more_replicas_than_the_partitions_it_can_own(service: str) -> None:
    partitions = max(topic.partitions for topic in ACCESS_BY_SERVICE[service].consumes)
    assert _autoscalers()[f"koos-{service}"]["maxReplicas"] <= partitions


def test_registration_and_notifications_also_scale_on_their_consumer_lag() -> None:
    for service in ("registration", "notifications"):
        (lag,) = [m["external"] for m in _autoscalers()[f"koos-{service}"]["metrics"] if m["type"] == "External"]
        assert lag["metric"] == {"name": "koos_consumer_lag", "selector": {"matchLabels": {"service": service}}}


def test_the_gateways_rate_limit_shares_assume_as_many_replicas_as_it_may_scale_to() -> None:
    (gateway,) = [d for d in _of_kind("Deployment") if _name(d) == "koos-gateway"]
    environment = {e["name"]: e.get("value") for e in gateway["spec"]["template"]["spec"]["containers"][0]["env"]}
    assert int(environment["KOOS_RATE_LIMIT_REPLICAS"]) == _autoscalers()["koos-gateway"]["maxReplicas"]


def _policies_for(labels: dict[str, str], namespace: str, kind: str) -> list[dict[str, Any]]:
    return [p["spec"] for p in _of_kind("NetworkPolicy") if p["metadata"]["namespace"] == namespace
            and kind in p["spec"]["policyTypes"] and _selects(p["spec"]["podSelector"], labels)]


def _egress_ports(labels: dict[str, str], namespace: str) -> set[int]:
    return {port["port"] for spec in _policies_for(labels, namespace, "Egress") for rule in spec.get("egress", [])
            for port in rule.get("ports", [])}


@pytest.mark.parametrize("workload", _of_kind(*WORKLOADS), ids=_name)
def test_every_pod_is_closed_by_a_default_deny_policy_and_may_resolve_names(workload: dict[str, Any]) -> None:
    labels, namespace = _pod_labels(workload), workload["metadata"].get("namespace", "koos")
    closing = [spec for spec in _policies_for(labels, namespace, "Ingress")
               if not spec.get("ingress") and set(spec["policyTypes"]) == {"Ingress", "Egress"}]
    assert closing, _name(workload)
    assert 53 in _egress_ports(labels, namespace)


def test_only_the_five_services_reach_kafka_and_mongodb_and_only_notifications_reaches_smtp() -> None:
    pods = {_name(d): (_pod_labels(d), d["metadata"].get("namespace", "koos")) for d in _of_kind("Deployment")}
    for name, (labels, namespace) in pods.items():
        ports = _egress_ports(labels, namespace)
        is_service = name.removeprefix("koos-") in ACCESS_BY_SERVICE
        assert ({9093, 27017} <= ports) is is_service and not ({9093, 27017} & ports and not is_service), name
        assert (587 in ports) is (name == "koos-notifications"), name
    (mongo,) = [p["spec"] for p in _of_kind("NetworkPolicy") if _name(p) == "mongo"]
    koos_side = [peer for rule in mongo["ingress"] for peer in rule["from"] if "namespaceSelector" in peer]
    koos_namespace = {"matchLabels": {"kubernetes.io/metadata.name": "koos"}}
    assert [peer["namespaceSelector"] for peer in koos_side] == [koos_namespace]
    assert not _selects(koos_side[0]["podSelector"], pods["koos-web"][0])


def test_mongodb_is_a_three_member_replica_set_on_separate_nodes_that_koos_is_pointed_at() -> None:
    (mongo,) = _of_kind("StatefulSet")
    (config,) = _of_kind("ConfigMap")
    members = [f"mongo-{n}.mongo.db.svc:27017" for n in range(mongo["spec"]["replicas"])]
    pod = mongo["spec"]["template"]["spec"]
    assert mongo["spec"]["replicas"] == 3 and "--replSet" in pod["containers"][0]["args"]
    assert pod["affinity"]["podAntiAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]
    assert config["data"]["KOOS_MONGO_URL"] == f"mongodb://{','.join(members)}/?replicaSet=rs0"
    (job,) = _of_kind("Job")
    script = " ".join(job["spec"]["template"]["spec"]["containers"][0]["command"])
    assert all(member in script for member in members) and "rs.initiate" in script
