"""A partner written in no Koos language: a kcat script enrols a city's staff and reads the results back."""

import asyncio
import os
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from koos_cli.access.partners import PartnerAccount
from koos_kit.messaging.security import KafkaConnection
from tests.fixtures.partners import ESPOO, HELSINKI, PartnerStack

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
KCAT = ROOT / "scripts" / "kcat.sh"
SCRIPT = ROOT / "examples" / "partner_kcat.sh"
FIRST = ["Aino", "Eero", "Päivi", "Jyrki", "Sanna", "Mikko", "Tuula", "Ville", "Helmi", "Onni"]
LAST = ["Hämäläinen", "Mäkelä", "Virtanen", "Järvinen"]
SEATS, EMPLOYEES = 15, 20


def employees(folder: Path, domain: str) -> Path:
    """The HR system's export: twenty employees, name and address separated by a tab."""
    lines = [f"{FIRST[n % 10]} {LAST[n % 4]}\t{FIRST[n % 10].lower()}.{n}@{domain}" for n in range(EMPLOYEES)]
    path = folder / "employees.tsv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def kcat(connection: KafkaConnection, *arguments: str, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    """kcat as the partner runs it, with its SCRAM credentials over TLS."""
    settings = ["-b", connection.bootstrap, "-X", "security.protocol=SASL_SSL", "-X",
                f"ssl.ca.location={connection.ca_file}", "-X", "sasl.mechanisms=SCRAM-SHA-512",
                "-X", f"sasl.username={connection.username}", "-X", f"sasl.password={connection.password}"]
    return subprocess.run([str(KCAT), *settings, *arguments], capture_output=True, text=True, timeout=timeout,
                          input="{}\n", check=False)


def run_partner(stack: PartnerStack, account: PartnerAccount, edition_id: str, staff: Path) -> list[list[str]]:
    connection = stack.connection(account, tls=True)
    env = {**os.environ, "KCAT": str(KCAT), "KAFKA_BOOTSTRAP": connection.bootstrap,
           "KAFKA_CA_FILE": connection.ca_file, "KAFKA_USERNAME": account.username,
           "KAFKA_PASSWORD": account.password, "ORGANISATION": account.organisation, "EDITION_ID": edition_id,
           "TOPIC_PREFIX": stack.namespace.prefix, "RESULT_TIMEOUT": "120"}
    done = subprocess.run(["bash", str(SCRIPT), str(staff)], env=env, capture_output=True, text=True, timeout=300,
                          check=False)
    assert done.returncode == 0, f"partner script failed:\n{done.stdout}\n{done.stderr}"
    return [line.split("\t") for line in done.stdout.splitlines()]


@pytest.fixture
def kcat_installed() -> None:
    if shutil.which("kcat") is None:
        pytest.skip("kcat is not installed (scripts/bootstrap.sh installs it with apt-get)")


async def test_a_kcat_partner_enrols_twenty_employees_and_reads_exactly_one_result_for_each(
        kcat_installed: None, partner_stack: PartnerStack, tmp_path: Path) -> None:
    account = await partner_stack.partner(HELSINKI)
    plan = await partner_stack.publish_finnish_edition(HELSINKI, capacity=SEATS)

    results = await asyncio.to_thread(run_partner, partner_stack, account, str(plan.edition_id),
                                      employees(tmp_path, "hel.example"))

    assert len(results) == EMPLOYEES and len({command_id for _, _, command_id in results}) == EMPLOYEES
    assert Counter(kind for _, kind, _ in results) == {"koos.registration.RegistrationConfirmed.v1": SEATS,
                                                       "koos.registration.RegistrationWaitlisted.v1": 5}
    roster = await partner_stack.roster(HELSINKI, plan.edition_id)
    assert len(roster["confirmed"]) == SEATS and len(roster["waiting"]) == EMPLOYEES - SEATS


async def test_a_partner_of_another_city_is_refused_by_kafka_on_the_first_ones_topics(
        kcat_installed: None, partner_stack: PartnerStack) -> None:
    helsinki = await partner_stack.partner(HELSINKI)
    espoo_account = await partner_stack.partner(ESPOO)
    espoo = partner_stack.connection(espoo_account, tls=True)

    writes = kcat(espoo, "-P", "-t", helsinki.commands_topic, "-k", "x")
    reads = kcat(espoo, "-C", "-t", helsinki.results_topic, "-o", "beginning", "-e")
    own = kcat(espoo, "-C", "-t", espoo_account.results_topic, "-o", "beginning", "-e")

    assert writes.returncode != 0 and "authoriz" in writes.stderr.lower(), writes.stderr
    assert reads.returncode != 0 and "authoriz" in reads.stderr.lower(), reads.stderr
    assert own.returncode == 0, own.stderr
