"""`koos partner add|revoke|list` and `koos kafka provision`: who may use Kafka, and for which organisation."""

import asyncio

import typer
from rich.table import Table

from koos_cli.access.admin import AccessError
from koos_cli.access.partners import add_partner, list_partners, revoke_partner
from koos_cli.access.provision import provision_services
from koos_cli.failures import ConfigError, OperatorError
from koos_cli.operator import service_password
from koos_cli.output import OUTPUT, Format, console, emit_json, emit_rows
from koos_cli.servers import Servers
from koos_cli.session import KoosTyper, current
from koos_cli.target import Target, with_prefix
from koos_contracts.topics import InvalidOrganisation

partner_app = KoosTyper(help="Partner systems on Kafka: credentials, topics and ACLs of one organisation each.",
                        no_args_is_help=True)
kafka_app = KoosTyper(help="Kafka users, topics and ACLs of the services.", no_args_is_help=True)
PREFIX = typer.Option(None, "--topic-prefix", help="The topic namespace (default: the global --topic-prefix, "
                                                   "the profile's, or KOOS_TOPIC_PREFIX).")


def _target(prefix: str | None) -> Target:
    return with_prefix(current().target(), prefix)


@partner_app.command()
def add(organisation: str = typer.Argument(..., help="The organisation id, e.g. helsingin-kaupunki."),
        prefix: str = PREFIX, output: Format | None = OUTPUT) -> None:
    """Create the partner's user (password shown once), its topics and its ACLs; nothing restarts."""
    target = _target(prefix)
    connection = target.connection
    try:
        account = asyncio.run(add_partner(connection, organisation, target.topic_prefix))
    except InvalidOrganisation as error:
        raise ConfigError(str(error)) from error
    except AccessError as error:
        raise OperatorError(str(error)) from error
    settings = [*_where(target), ("sasl.mechanism", connection.sasl_mechanism), ("sasl.username", account.username),
                ("sasl.password", account.password), ("write commands to", account.commands_topic),
                ("read results from", account.results_topic),
                ("read refused records from", account.dead_letters_topic),
                ("consumer groups", f"{account.consumer_group} or {account.consumer_group}.<name>")]
    if current().format(output) is Format.JSON:
        emit_json({"organisation": organisation, **{name: value for name, value in settings}})
        return
    table = Table("setting", "value", title=f"partner of {organisation} — the password is shown only now")
    for name, value in settings:
        table.add_row(name, value)
    console.print(table)


@partner_app.command()
def revoke(organisation: str, prefix: str = PREFIX, output: Format | None = OUTPUT) -> None:
    """Remove the partner's ACLs and user: its next request is refused. Its topics are kept."""
    target = _target(prefix)
    try:
        removed = asyncio.run(revoke_partner(target.connection, organisation, target.topic_prefix))
    except InvalidOrganisation as error:
        raise ConfigError(str(error)) from error
    except AccessError as error:
        raise OperatorError(str(error)) from error
    if current().format(output) is Format.JSON:
        emit_json({"organisation": organisation, "revoked": removed})
        return
    console.print(f"partner of {organisation}: " + ("revoked" if removed else "[yellow]there was none[/]"))


@partner_app.command(name="list")
def list_command(prefix: str = PREFIX, output: Format | None = OUTPUT) -> None:
    """Every partner with its user name and how many ACLs it has."""
    target = _target(prefix)
    partners = asyncio.run(list_partners(target.connection, target.topic_prefix))
    emit_rows([{"organisation": p.organisation, "user": p.username, "acls": p.acls} for p in partners],
              [("organisation", "organisation"), ("user", "user"), ("acls", "ACLs")], current().format(output))


@kafka_app.command()
def provision(prefix: str = PREFIX, output: Format | None = OUTPUT) -> None:
    """Create the services' SCRAM users (KOOS_KAFKA_PASSWORD_<SERVICE>), the topics and the services' ACLs."""
    target = _target(prefix)
    created = asyncio.run(provision_services(target.connection, service_password, target.topic_prefix))
    if current().format(output) is Format.JSON:
        emit_json({"topics_created": created})
        return
    console.print(f"services' users and ACLs in place; {len(created)} topics created")


def _where(target: Target) -> list[tuple[str, str]]:
    """How a partner reaches this cluster: over TLS when the dev broker offers it."""
    connection = target.connection
    if not target.local:
        return [("security.protocol", connection.security_protocol), ("bootstrap.servers", connection.bootstrap),
                ("ssl.ca.location", connection.ca_file or "(the system's CAs)")]
    kafka = Servers.from_env().kafka
    return [("security.protocol", "SASL_SSL  (or SASL_PLAINTEXT)"),
            ("bootstrap.servers", f"{kafka.tls_bootstrap}  (SASL_PLAINTEXT: {kafka.bootstrap})"),
            ("ssl.ca.location", str(kafka.tls.ca_file))]
