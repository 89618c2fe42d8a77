"""A partner system's view of Koos: register a person by publishing one CloudEvent to its own Kafka topic.

Uses nothing of Koos, only aiokafka and the documented contract (contracts/asyncapi.json, channel
`partner_commands`), with the credentials `koos partner add ORGANISATION` printed:

    python examples/partner_register.py --bootstrap 127.0.0.1:19092 --organisation oslo-kommune \\
        --username partner-oslo-kommune --password ... \\
        --edition <edition id> --email kari@example.no --name "Kari Nordmann" --language nb

Over TLS: --bootstrap 127.0.0.1:19094 --ca-file .koos/kafka/tls/ca.pem.
"""

import argparse
import asyncio
import json
import uuid
from datetime import UTC, datetime

from aiokafka import AIOKafkaProducer
from aiokafka.helpers import create_ssl_context

TYPE = "koos.registration.RegisterParticipant.v1"


def record(args: argparse.Namespace) -> tuple[bytes, bytes, list[tuple[str, bytes]]]:
    """Key, value and CloudEvents binary-mode headers of the command."""
    event_id = str(uuid.uuid4())
    data = {"edition_id": args.edition, "person": {"email": args.email, "name": args.name,
                                                   "language": args.language}}
    attributes = {
        "id": event_id, "source": "/partners/hr-system", "type": TYPE, "specversion": "1.0",
        "time": datetime.now(UTC).isoformat(), "correlationid": event_id,
        "organisationid": args.organisation, "partitionkey": args.edition,
    }
    headers = [(f"ce_{name}", value.encode()) for name, value in attributes.items()]
    headers.append(("content-type", b"application/json"))
    return args.edition.encode(), json.dumps(data).encode(), headers


async def main(args: argparse.Namespace) -> None:
    """Publish the command and wait for Kafka's acknowledgement."""
    tls = {"security_protocol": "SASL_SSL", "ssl_context": create_ssl_context(cafile=args.ca_file)} \
        if args.ca_file else {"security_protocol": "SASL_PLAINTEXT"}
    producer = AIOKafkaProducer(bootstrap_servers=args.bootstrap, enable_idempotence=True, acks="all",
                                sasl_mechanism="SCRAM-SHA-512", sasl_plain_username=args.username,
                                sasl_plain_password=args.password, **tls)
    await producer.start()
    try:
        key, value, headers = record(args)
        topic = f"{args.topic_prefix}koos.partner.{args.organisation}.commands.v1"
        await producer.send_and_wait(topic, value, key=key, headers=headers)
    finally:
        await producer.stop()
    print(f"published {TYPE} for edition {args.edition}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for name in ("bootstrap", "organisation", "username", "password", "edition", "email", "name"):
        parser.add_argument(f"--{name}", required=True)
    parser.add_argument("--language", default="en", choices=["et", "fi", "nb", "en"])
    parser.add_argument("--ca-file", default="", help="The broker's CA certificate: connect over TLS.")
    parser.add_argument("--topic-prefix", default="")
    asyncio.run(main(parser.parse_args()))
