"""The fault-injection suite, short: a rush with cancellations and promotions while every service and the gateway
are killed and the broker and the database restarted, with poison between
the valid commands; every command, effect and mail exactly once, every poison record in its DLQ with a reason.
The full run is `python -m benchmarks.faults` (benchmarks/README.md)."""

import os
from collections.abc import Iterator

import pytest

from benchmarks.faults.suite import Plan, run
from benchmarks.faults.target import SERVICE_KINDS, Part, Target, server_part
from koos_cli.servers import Servers
from tests.fixtures.servers import KafkaCluster, SmtpEndpoint
from tests.fixtures.services import Namespace, ServiceProcess
from tests.fixtures.stack import Stack, staff_token

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(1200)]  # a few minutes; far longer on a crowded machine

SHORT = Plan(rounds=1, broker_restarts=1, database_restarts=1, poison=200, kinds=SERVICE_KINDS, editions=2,
             capacity=6, at_least=20, gap=(0.3, 1.0), stall_bound=120.0, settle_timeout=240.0)
"""R1 kills each service and the gateway once, R2 and R3 restart the broker and the database once each (the full
run kills Kafka and the Mongo-wire server too), R4 sends 200 poison records of every family, huge values among them
(a record at the broker's limit plus the DLQ's headers fits its `.dlq` twin, which takes larger records)."""


def service_part(service: ServiceProcess) -> Part:
    def start() -> None:
        service.start()

    return Part(service.name, service.kill, start, service.stop)


@pytest.fixture
def target(stack: Stack, koos_test_servers: Servers, kafka_cluster: KafkaCluster, mongo_url: str,
           smtp_server: SmtpEndpoint, namespace: Namespace) -> Iterator[Target]:
    if not kafka_cluster.secured or os.environ.get("KOOS_MONGO_URL"):
        pytest.skip("the suite kills the servers: only those the test session started itself")
    parts = {name: service_part(service) for name, service in stack.services.items()}
    parts.update(kafka=server_part(koos_test_servers.kafka), mongo=server_part(koos_test_servers.mongo))
    yield Target(stack.services["gateway"].url, staff_token(), kafka_cluster.admin, mongo_url,
                 namespace.database("registration"), smtp_server.maildir, namespace.prefix, parts)
    for server in (koos_test_servers.kafka, koos_test_servers.mongo):  # the next tests need them, whatever happened
        server.start()


async def test_under_kills_restarts_and_poison_every_effect_and_mail_happens_exactly_once(target: Target) -> None:
    result = await run(target, SHORT)

    failed = [f"{check.name}: {check.value} ({check.detail})" for check in result.checks if not check.ok]
    assert not failed, "\n".join(failed)
    assert sorted(r.fault.label for r in result.recoveries) == [
        "R1 kill -9 evaluation", "R1 kill -9 gateway", "R1 kill -9 notifications", "R1 kill -9 registration",
        "R1 kill -9 scheduling", "R2 restart kafka", "R3 restart mongo"]
