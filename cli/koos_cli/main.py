"""`koos`: run Koos on this machine and look inside it."""

import asyncio
import contextlib
import signal

import typer
from rich.console import Console
from rich.table import Table

from koos_cli import access_commands, demo, inspect_topics
from koos_cli.access.provision import provision_services
from koos_cli.servers import Servers, list_messages, read_message
from koos_cli.stack import SERVICES, Stack, is_ready
from koos_cli.tokens import staff_token
from koos_kit.participant_tokens import new_key_pair

app = typer.Typer(help="Koos on this machine: servers, services, topics, dead letters and the dev mailbox.",
                  no_args_is_help=True)
app.add_typer(access_commands.partner_app, name="partner")
app.add_typer(access_commands.kafka_app, name="kafka")
console = Console()


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
def status() -> None:
    """Show whether each server and service runs and is healthy."""
    stack = _stack()
    table = Table("component", "state", "address", "pid", "log")
    for server in stack.servers.status():
        table.add_row(f"{server.name} ({server.version})", _state(server.running, server.healthy),
                      server.address, str(server.pid or "-"), str(server.log_file))
    for spec in SERVICES:
        process = stack.process(spec)
        pid = process.pid()
        table.add_row(spec.name, _state(pid is not None, pid is not None and is_ready(spec)), spec.url,
                      str(pid or "-"), str(process.log_file))
    console.print(table)


@app.command()
def topics() -> None:
    """List Koos topics with partitions and record counts."""
    table = Table("topic", "partitions", "records")
    for size in inspect_topics.run(inspect_topics.topic_sizes(_stack().servers.kafka.connection())):
        table.add_row(size.name, str(size.partitions), str(size.records))
    console.print(table)


@app.command()
def tail(topic: str, from_beginning: bool = typer.Option(True, help="Start at the oldest record."),
         follow: bool = typer.Option(False, "--follow", "-f", help="Keep waiting for new records."),
         show_personal_data: bool = typer.Option(False, help="Do not mask emails, names and comments.")) -> None:
    """Print a topic's records as CloudEvents envelopes."""
    _print_records(topic, from_beginning, follow, show_personal_data)


@app.command()
def dlq(topic: str, follow: bool = typer.Option(False, "--follow", "-f"),
        show_personal_data: bool = typer.Option(False, help="Do not mask emails, names and comments.")) -> None:
    """Print the dead letters of a topic, with the reason each was set aside."""
    name = topic if topic.endswith(".dlq") else f"{topic}.dlq"
    _print_records(name, True, follow, show_personal_data)


@app.command()
def mail(key: str = typer.Argument(None, help="Show one message whole.")) -> None:
    """List the dev mailbox (every mail the SMTP server received), or show one message."""
    maildir = _stack().servers.smtp.maildir
    if key:
        console.print(read_message(maildir, key).as_string())
        return
    table = Table("received", "to", "subject")
    table.add_column("key", overflow="fold")
    for message in list_messages(maildir):
        table.add_row(str(message.received_at), message.to, message.subject, message.key)
    console.print(table)


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


def _print_records(topic: str, from_beginning: bool, follow: bool, show_personal_data: bool) -> None:
    async def show() -> None:
        connection = _stack().servers.kafka.connection()
        async for item in inspect_topics.records(connection, topic, from_beginning=from_beginning, follow=follow):
            console.print_json(inspect_topics.pretty(item if show_personal_data else inspect_topics.redact(item)))

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(show())


def _state(running: bool, healthy: bool) -> str:
    if healthy:
        return "[green]healthy[/]"
    return "[yellow]running, not ready[/]" if running else "[red]stopped[/]"


if __name__ == "__main__":
    app()
