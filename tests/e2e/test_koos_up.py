"""`koos up` brings everything up with demo data; a partner's plain script reaches a service; Ctrl-C stops all."""

import asyncio
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from aiokafka import AIOKafkaProducer
from pymongo import MongoClient

from koos_cli.demo import DEMO_EDITION, DEMO_ORGANISATION
from koos_contracts.identity import registration_id_for
from koos_kit.messaging.security import aiokafka_options
from tests.fixtures.servers import free_ports

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("gateway", "registration", "scheduling", "evaluation", "notifications", "web")


def _environment(state_dir: Path) -> dict[str, str]:
    kafka, controller, kafka_tls, mongo, smtp, smtp_api, *service_ports = free_ports(6 + len(SERVICES))
    env = {**os.environ, "KOOS_STATE_DIR": str(state_dir), "KOOS_KAFKA_PORT": str(kafka),
           "KOOS_KAFKA_CONTROLLER_PORT": str(controller), "KOOS_KAFKA_TLS_PORT": str(kafka_tls),
           "KOOS_MONGO_PORT": str(mongo), "KOOS_SMTP_PORT": str(smtp), "KOOS_SMTP_API_PORT": str(smtp_api)}
    env.update({f"KOOS_{name.upper()}_PORT": str(port) for name, port in zip(SERVICES, service_ports, strict=True)})
    for inherited in ("KOOS_TOPIC_PREFIX", "KOOS_MONGO_URL", "KOOS_KAFKA_BOOTSTRAP", "KOOS_HTTP_PORT",
                      "KOOS_SMTP_LOOKUP_URL", "KOOS_KAFKA_USERNAME", "KOOS_KAFKA_PASSWORD",
                      "KOOS_KAFKA_SECURITY_PROTOCOL"):
        env.pop(inherited, None)
    return env


def _wait_for_line(log: Path, text: str, process: subprocess.Popen[bytes], timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text in log.read_text(errors="replace"):
            return
        assert process.poll() is None, f"koos up exited early:\n{log.read_text(errors='replace')[-3000:]}"
        time.sleep(1)
    raise AssertionError(f"'{text}' not printed in {timeout} s:\n{log.read_text(errors='replace')[-3000:]}")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}").exists() and "zombie" not in Path(f"/proc/{pid}/status").read_text().lower()


def _koos(env: dict[str, str], *args: str) -> str:
    return subprocess.run([sys.executable, "-m", "koos_cli", *args], env={**env, "COLUMNS": "300"},
                          capture_output=True, text=True, timeout=120, check=True).stdout


def test_koos_up_runs_everything_and_ctrl_c_leaves_no_process_behind(tmp_path: Path) -> None:
    env = _environment(tmp_path / "state")
    log = tmp_path / "up.log"
    with log.open("wb") as out:
        up = subprocess.Popen([sys.executable, "-m", "koos_cli", "up"], env={**env, "COLUMNS": "200"},
                              stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
    try:
        _wait_for_line(log, "press Ctrl-C", up)
        status = _koos(env, "status")
        assert status.count("healthy") == 3 + len(SERVICES), status

        gateway = f"http://127.0.0.1:{env['KOOS_GATEWAY_PORT']}"
        assert httpx.get(f"{gateway}/v1/public/editions/{DEMO_EDITION}", timeout=10).status_code == 200
        web = f"http://127.0.0.1:{env['KOOS_WEB_PORT']}"
        assert f"Web: {web}" in log.read_text()
        assert "Tjenestedesign" in httpx.get(f"{web}/e/{DEMO_EDITION}?lang=nb", timeout=10).text
        assert "publish answered 201" in log.read_text() and "40 sign-ups accepted" in log.read_text()
        assert re.search(r"demo programme \S+ \(sotsiaalse-ettevotluse-vorgustik\): draft answered 20[12], 7 teams",
                         log.read_text())

        username, password = _add_partner(env)
        subprocess.run([sys.executable, str(ROOT / "examples" / "partner_register.py"), "--bootstrap",
                        f"127.0.0.1:{env['KOOS_KAFKA_TLS_PORT']}", "--ca-file",
                        str(tmp_path / "state" / "kafka" / "tls" / "ca.pem"), "--organisation", DEMO_ORGANISATION,
                        "--username", username, "--password", password, "--edition", str(DEMO_EDITION),
                        "--email", "kari.nordmann@partner.example", "--name", "Kari Nordmann", "--language", "nb"],
                       check=True, timeout=60, env=env)
        registrations = MongoClient(f"mongodb://127.0.0.1:{env['KOOS_MONGO_PORT']}")["koos_registration"]
        wanted = str(registration_id_for(DEMO_EDITION, "kari.nordmann@partner.example"))
        deadline = time.monotonic() + 60
        while registrations.registrations.find_one({"_id": wanted}) is None and time.monotonic() < deadline:
            time.sleep(0.5)
        assert registrations.registrations.find_one({"_id": wanted})["status"] in ("confirmed", "waiting")

        _operator_views(env)
        pids = [int(p.read_text()) for p in (tmp_path / "state").rglob("*.pid")]
        assert len(pids) == 3 + len(SERVICES)
    finally:
        up.send_signal(signal.SIGINT)
        up.wait(timeout=180)
    assert "everything stopped" in log.read_text()
    assert not [pid for pid in pids if _alive(pid)]


def _add_partner(env: dict[str, str]) -> tuple[str, str]:
    """`koos partner add` as an operator runs it: the user name and the password, shown once."""
    shown = _koos(env, "partner", "add", DEMO_ORGANISATION)
    username = re.search(r"sasl\.username\s*│\s*(\S+)", shown)
    password = re.search(r"sasl\.password\s*│\s*(\S+)", shown)
    assert username and password, shown
    assert DEMO_ORGANISATION in _koos(env, "partner", "list")
    return username[1], password[1]


def _operator_views(env: dict[str, str]) -> None:
    """What an operator sees with `koos topics`, `tail`, `dlq` and `mail`."""
    topics = _koos(env, "topics")
    assert "koos.registration.commands.v1" in topics and "koos.registration.commands.v1.dlq" in topics
    tail = _koos(env, "tail", "koos.registration.registrations.v1")
    assert "koos.registration.RegistrationConfirmed.v1" in tail and "‹redacted›" in tail
    assert "@oslo.kommune.example" not in tail
    asyncio.run(_send_poison(env))
    deadline = time.monotonic() + 60
    while "value is not JSON" not in (dead := _koos(env, "dlq", "inspect", "koos.registration.commands.v1")):
        assert time.monotonic() < deadline, dead
        time.sleep(1)
    deadline = time.monotonic() + 120
    while (mails := _koos(env, "mail")).count("oslo.kommune.example") < 40:
        assert time.monotonic() < deadline, mails
        time.sleep(2)


async def _send_poison(env: dict[str, str]) -> None:
    """An operator's record (the admin's credentials are in the state dir) that is not JSON."""
    from koos_cli.servers import Servers, ServerSettings

    admin = Servers(ServerSettings.from_env(env)).kafka.connection()
    producer = AIOKafkaProducer(**aiokafka_options(admin))
    await producer.start()
    await producer.send_and_wait("koos.registration.commands.v1", b"{not json", key=b"poison")
    await producer.stop()
