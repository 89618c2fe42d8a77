"""`koos partner add|revoke|list` and `koos kafka provision`: who may use Kafka, and for which organisation."""

import asyncio
import os

import typer
from rich.console import Console
from rich.table import Table

from koos_cli.access.admin import AccessError
from koos_cli.access.partners import add_partner, list_partners, revoke_partner
from koos_cli.access.provision import provision_services
from koos_cli.operator import operator_connection, service_password
from koos_cli.servers import Servers
from koos_contracts.topics import InvalidOrganisation
from koos_kit.messaging.security import KafkaConnection

partner_app = typer.Typer(help="Partner systems on Kafka: credentials, topics and ACLs of one organisation each.",
                  no_args_is_help=True)
kafka_app = typer.Typer(help="Kafka users, topics and ACLs of the services.", no_args_is_help=True)
console = Console()
PREFIX = typer.Option(os.environ.get("KOOS_TOPIC_PREFIX", ""), "--topic-prefix",
                      help="The topic namespace (KOOS_TOPIC_PREFIX).")


@partner_app.command()
def add(organisation: str = typer.Argument(..., help="The organisation id, e.g. helsingin-kaupunki."),
        prefix: str = PREFIX) -> None:
    """Create the partner's user (password shown once), its topics and its ACLs; nothing restarts."""
    connection = operator_connection()
    try:
        account = asyncio.run(add_partner(connection, organisation, prefix))
    except (InvalidOrganisation, AccessError) as error:
        raise typer.BadParameter(str(error)) from error
    table = Table("setting", "value", title=f"partner of {organisation} — the password is shown only now")
    for name, value in (*_where(connection),
                        ("sasl.mechanism", connection.sasl_mechanism), ("sasl.username", account.username),
                        ("sasl.password", account.password), ("write commands to", account.commands_topic),
                        ("read results from", account.results_topic),
                        ("read refused records from", account.dead_letters_topic),
                        ("consumer groups", f"{account.consumer_group} or {account.consumer_group}.<name>")):
        table.add_row(name, value)
    console.print(table)


@partner_app.command()
def revoke(organisation: str, prefix: str = PREFIX) -> None:
    """Remove the partner's ACLs and user: its next request is refused. Its topics are kept."""
    try:
        removed = asyncio.run(revoke_partner(operator_connection(), organisation, prefix))
    except (InvalidOrganisation, AccessError) as error:
        raise typer.BadParameter(str(error)) from error
    console.print(f"partner of {organisation}: " + ("revoked" if removed else "[yellow]there was none[/]"))


@partner_app.command(name="list")
def list_command(prefix: str = PREFIX) -> None:
    """Every partner with its user name and how many ACLs it has."""
    table = Table("organisation", "user", "ACLs")
    for partner in asyncio.run(list_partners(operator_connection(), prefix)):
        table.add_row(partner.organisation, partner.username, str(partner.acls))
    console.print(table)


@kafka_app.command()
def provision(prefix: str = PREFIX) -> None:
    """Create the services' SCRAM users (KOOS_KAFKA_PASSWORD_<SERVICE>), the topics and the services' ACLs."""
    created = asyncio.run(provision_services(operator_connection(), service_password, prefix))
    console.print(f"services' users and ACLs in place; {len(created)} topics created")


def _where(connection: KafkaConnection) -> list[tuple[str, str]]:
    """How a partner reaches this cluster: over TLS when the dev broker offers it."""
    if os.environ.get("KOOS_KAFKA_USERNAME"):
        return [("security.protocol", connection.security_protocol), ("bootstrap.servers", connection.bootstrap),
                ("ssl.ca.location", connection.ca_file or "(the system's CAs)")]
    kafka = Servers.from_env().kafka
    return [("security.protocol", "SASL_SSL  (or SASL_PLAINTEXT)"),
            ("bootstrap.servers", f"{kafka.tls_bootstrap}  (SASL_PLAINTEXT: {kafka.bootstrap})"),
            ("ssl.ca.location", str(kafka.tls.ca_file))]
