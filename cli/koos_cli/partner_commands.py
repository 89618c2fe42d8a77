"""`koos partner add|revoke|list`: partner systems on Kafka, each confined to its organisation."""

import asyncio
import os

import typer
from rich.console import Console
from rich.table import Table

from koos_cli.access.admin import AccessError
from koos_cli.access.partners import add_partner, list_partners, revoke_partner
from koos_cli.servers import Servers
from koos_contracts.topics import InvalidOrganisation

app = typer.Typer(help="Partner systems on Kafka: credentials, topics and ACLs of one organisation each.",
                  no_args_is_help=True)
console = Console()
PREFIX = typer.Option(os.environ.get("KOOS_TOPIC_PREFIX", ""), "--topic-prefix",
                      help="The topic namespace (KOOS_TOPIC_PREFIX).")


def _kafka() -> Servers:
    return Servers.from_env()


@app.command()
def add(organisation: str = typer.Argument(..., help="The organisation id, e.g. helsingin-kaupunki."),
        prefix: str = PREFIX) -> None:
    """Create the partner's user (password shown once), its topics and its ACLs; nothing restarts."""
    kafka = _kafka().kafka
    try:
        account = asyncio.run(add_partner(kafka.connection(), organisation, prefix))
    except (InvalidOrganisation, AccessError) as error:
        raise typer.BadParameter(str(error)) from error
    table = Table("setting", "value", title=f"partner of {organisation} — the password is shown only now")
    for name, value in (("security.protocol", "SASL_PLAINTEXT  (or SASL_SSL)"),
                        ("bootstrap.servers", f"{kafka.bootstrap}  (SASL_SSL: {kafka.tls_bootstrap})"),
                        ("ssl.ca.location", str(kafka.tls.ca_file)),
                        ("sasl.mechanism", "SCRAM-SHA-512"), ("sasl.username", account.username),
                        ("sasl.password", account.password), ("write commands to", account.commands_topic),
                        ("read results from", account.results_topic),
                        ("read refused records from", account.dead_letters_topic),
                        ("consumer groups", f"{account.consumer_group} or {account.consumer_group}.<name>")):
        table.add_row(name, value)
    console.print(table)


@app.command()
def revoke(organisation: str, prefix: str = PREFIX) -> None:
    """Remove the partner's ACLs and user: its next request is refused. Its topics are kept."""
    try:
        removed = asyncio.run(revoke_partner(_kafka().kafka.connection(), organisation, prefix))
    except (InvalidOrganisation, AccessError) as error:
        raise typer.BadParameter(str(error)) from error
    console.print(f"partner of {organisation}: " + ("revoked" if removed else "[yellow]there was none[/]"))


@app.command(name="list")
def list_command(prefix: str = PREFIX) -> None:
    """Every partner with its user name and how many ACLs it has."""
    table = Table("organisation", "user", "ACLs")
    for partner in asyncio.run(list_partners(_kafka().kafka.connection(), prefix)):
        table.add_row(partner.organisation, partner.username, str(partner.acls))
    console.print(table)
