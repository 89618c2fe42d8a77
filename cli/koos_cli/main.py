"""`koos`: run Koos on this machine, and operate Koos on any cluster."""

import asyncio
import signal
from pathlib import Path
from typing import Annotated

import typer

from koos_cli import access_commands, demo, demo_programme, dlq_commands, topic_commands
from koos_cli.access.provision import provision_services
from koos_cli.output import OUTPUT, Format, console, emit_rows
from koos_cli.servers import Servers, list_messages, read_message
from koos_cli.session import KoosTyper, Session, begin, current
from koos_cli.stack import SERVICES, Stack, is_ready
from koos_cli.target import ClusterOptions
from koos_cli.tokens import staff_token
from koos_kit.participant_tokens import new_key_pair

app = KoosTyper(help="Koos: servers and services on this machine; topics, consumer lag, dead letters and replays on "
                     "any cluster (--bootstrap-server, --profile).", no_args_is_help=True)
app.add_typer(access_commands.partner_app, name="partner")
app.add_typer(access_commands.kafka_app, name="kafka")
app.add_typer(dlq_commands.dlq_app, name="dlq")
topic_commands.register(app)
CLUSTER = "Cluster (default: the profile's, KOOS_KAFKA_*, or the local dev broker)"


@app.callback()
def main(bootstrap_server: str = typer.Option(None, "--bootstrap-server", "-b", rich_help_panel=CLUSTER,
                                              help="host:port[,host:port…] of the cluster."),
         security_protocol: str = typer.Option(None, "--security-protocol", rich_help_panel=CLUSTER,
                                               help="PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL (default: SASL_SSL "
                                                    "with --ca-file, SASL_PLAINTEXT with a user, else PLAINTEXT)."),
         sasl_mechanism: str = typer.Option(None, "--sasl-mechanism", rich_help_panel=CLUSTER,
                                            help="SCRAM-SHA-512 (default), SCRAM-SHA-256 or PLAIN."),
         username: str = typer.Option(None, "--username", "-u", rich_help_panel=CLUSTER),
         password: str = typer.Option(None, "--password", rich_help_panel=CLUSTER,
                                      help="Visible to other users of this machine; prefer --password-file."),
         password_file: Annotated[Path | None, typer.Option("--password-file", rich_help_panel=CLUSTER)] = None,
         ca_file: Annotated[Path | None, typer.Option("--ca-file", rich_help_panel=CLUSTER,
                                                      help="The CA that signed the brokers' certificates (PEM)."
                                                      )] = None,
         topic_prefix: str = typer.Option(None, "--topic-prefix", rich_help_panel=CLUSTER,
                                          help="The topic namespace (KOOS_TOPIC_PREFIX)."),
         profile: str = typer.Option(None, "--profile", "-P", rich_help_panel=CLUSTER,
                                     help="A profile of the config file (KOOS_PROFILE); `local`: the dev broker."),
         config: Annotated[Path | None, typer.Option(
             "--config", rich_help_panel=CLUSTER,
             help="The profiles file (KOOS_CONFIG; default ~/.config/koos/profiles.toml).")] = None,
         output: Annotated[Format, typer.Option(
             "--output", "-o", case_sensitive=False,
             help="table (for people) or json (for scripts), for every listing.")] = Format.TABLE,
         verbose: bool = typer.Option(False, "--verbose", "-v", help="Show the Kafka client's log and tracebacks.")
         ) -> None:
    """Koos on this machine and on any cluster."""
    options = ClusterOptions(bootstrap_server, security_protocol, sasl_mechanism, username, password,
                             _text(password_file), _text(ca_file), topic_prefix, profile, _text(config))
    begin(Session(options, output, verbose))


def _text(path: Path | None) -> str | None:
    return None if path is None else str(path)


def _stack() -> Stack:
    return Stack(Servers.from_env())


@app.command()
def up(demo_data: bool = typer.Option(True, "--demo/--no-demo", help="Load the demo course and a rush."),
       detach: bool = typer.Option(False, help="Leave everything running and return.")) -> None:
    """Start the servers, every service, the gateway and the web, load demo data; Ctrl-C stops it all."""
    stack = _stack()
    try:
        _start(stack)
        if demo_data:
            _load_demo(stack)
        _summary(stack)
        if not detach:
            _wait_for_stop()
    except BaseException:
        if not detach:
            console.print("[yellow]stopping…[/]")
            _stop(stack)
        raise
    if not detach:
        _stop(stack)
        console.print("[green]everything stopped[/]")


@app.command()
def down() -> None:
    """Stop every service and server of this state dir."""
    _stop(_stack())
    console.print("[green]everything stopped[/]")


@app.command()
def status(output: Format | None = OUTPUT) -> None:
    """Show whether each server and service of this machine runs and is healthy."""
    stack = _stack()
    rows = [{"component": server.name, "version": server.version, "state": _state(server.running, server.healthy),
             "address": server.address, "pid": server.pid, "log": str(server.log_file)}
            for server in stack.servers.status()]
    for spec in SERVICES:
        process = stack.process(spec)
        pid = process.pid()
        rows.append({"component": spec.name, "version": None,
                     "state": _state(pid is not None, pid is not None and is_ready(spec)), "address": spec.url,
                     "pid": pid, "log": str(process.log_file)})
    fmt = current().format(output)
    if fmt is Format.TABLE:
        for row in rows:
            row["component"] = f"{row['component']} ({row['version']})" if row["version"] else row["component"]
            row["state"] = _coloured(str(row["state"]))
    emit_rows(rows, [("component", "component"), ("state", "state"), ("address", "address"), ("pid", "pid"),
                     ("log", "log")], fmt)


@app.command()
def mail(key: str = typer.Argument(None, help="Show one message whole."), output: Format | None = OUTPUT) -> None:
    """List the dev mailbox (every mail the SMTP server received), or show one message."""
    maildir = _stack().servers.smtp.maildir
    if key:
        console.print(read_message(maildir, key).as_string())
        return
    rows = [{"received": m.received_at, "to": m.to, "subject": m.subject, "message_id": m.message_id, "key": m.key}
            for m in list_messages(maildir)]
    emit_rows(rows, [("received", "received"), ("to", "to"), ("subject", "subject"), ("key", "key")],
              current().format(output))


@app.command()
def token(organisation: str = typer.Option(demo.DEMO_ORGANISATION, "--org"),
          role: str = typer.Option("organiser"), subject: str = typer.Option("demo-organiser")) -> None:
    """Print a staff bearer token for the local gateway."""
    typer.echo(staff_token(_stack().jwt_secret(), organisation_id=organisation, role=role, subject=subject))


@app.command()
def keypair() -> None:
    """Print a new key pair for participant tokens: the private key for notifications, the public for the gateway."""
    private, public = new_key_pair()
    typer.echo(f"KOOS_PARTICIPANT_TOKEN_PRIVATE_KEY={private}")
    typer.echo(f"KOOS_PARTICIPANT_TOKEN_PUBLIC_KEY={public}")


def _start(stack: Stack) -> None:
    with console.status("starting servers…") as spinner:
        stack.servers.start_all(progress=lambda message: spinner.update(message))
        spinner.update("kafka: service users, topics and ACLs…")
        kafka = stack.servers.kafka
        asyncio.run(provision_services(kafka.connection(), kafka.credentials.password, stack.topic_prefix))
        for spec in SERVICES:
            spinner.update(f"starting {spec.name}…")
            stack.start(spec)


def _stop(stack: Stack) -> None:
    for spec in reversed(SERVICES):
        stack.stop(spec)
    stack.servers.stop_all()


def _load_demo(stack: Stack) -> None:
    gateway = next(s for s in SERVICES if s.name == "gateway")
    secret = stack.jwt_secret()
    organiser = staff_token(secret, organisation_id=demo.DEMO_ORGANISATION, role="organiser", subject="demo")
    with console.status("loading demo data…"):
        outcome = demo.load(gateway.url, organiser)
    published = {201: "published", 409: "published before"}.get(outcome["edition"], f"answered {outcome['edition']}")
    console.print(f"demo course {demo.DEMO_EDITION}: {published}, publish answered {outcome['edition']}, "
                  f"{outcome['registrations_accepted']} sign-ups accepted")
    network = staff_token(secret, organisation_id=demo_programme.DEMO_NETWORK, role="organiser", subject="demo")
    with console.status("loading the demo development programme…"):
        loaded = demo_programme.load(gateway.url, network)
    console.print(f"demo programme {demo_programme.DEMO_PROGRAMME} ({demo_programme.DEMO_NETWORK}): draft answered "
                  f"{loaded['programme']}, {loaded['teams']} teams (`koos token --org {demo_programme.DEMO_NETWORK}`)")


def _summary(stack: Stack) -> None:
    gateway, web = (next(s for s in SERVICES if s.name == name) for name in ("gateway", "web"))
    console.print(f"[bold green]Koos is up.[/] Web: {web.url} (organisers: {web.url}/staff, development login) · "
                  f"demo course: {web.url}/e/{demo.DEMO_EDITION}")
    console.print(f"API docs: {gateway.url}/docs · mailbox: `koos mail` · topics: `koos topics` · "
                  f"organiser token: `koos token`")


def _wait_for_stop() -> None:
    async def wait() -> None:
        stopping = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stopping.set)
        console.print("press Ctrl-C to stop everything")
        await stopping.wait()

    asyncio.run(wait())


def _state(running: bool, healthy: bool) -> str:
    if healthy:
        return "healthy"
    return "running, not ready" if running else "stopped"


def _coloured(state: str) -> str:
    return {"healthy": "[green]healthy[/]", "stopped": "[red]stopped[/]"}.get(state, f"[yellow]{state}[/]")


if __name__ == "__main__":
    app()
