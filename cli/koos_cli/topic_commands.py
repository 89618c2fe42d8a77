"""`koos topics`, `topics describe`, `tail`, `lag` and `replay`: looking at topics and groups, and replaying."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import UTC, datetime

import typer

from koos_cli import inspect_topics
from koos_cli.describe import describe_topic
from koos_cli.failures import ConfigError, one_line_errors
from koos_cli.lag import consumer_lag
from koos_cli.output import OUTPUT, Format, console, emit_json, emit_json_line, emit_rows, errors, progress
from koos_cli.replay import ReplayRange, replay
from koos_cli.session import KoosTyper, current

topics_app = KoosTyper(help="Topics of the namespace: sizes, partitions, replicas, configs.",
                       invoke_without_command=True)


@topics_app.callback()
def topics(ctx: typer.Context, output: Format | None = OUTPUT) -> None:
    """List Koos topics with partitions and record counts (`koos topics describe NAME` for one)."""
    session = current()
    if output is not None:
        session.output = output
    if ctx.invoked_subcommand is not None:
        return
    with one_line_errors(session.where, verbose=session.verbose):
        target = session.target()
        sizes = inspect_topics.run(inspect_topics.topic_sizes(target.connection, target.topic_prefix))
    emit_rows([{"topic": s.name, "partitions": s.partitions, "records": s.records} for s in sizes],
              [("topic", "topic"), ("partitions", "partitions"), ("records", "records")], session.output)


@topics_app.command("describe")
def describe(name: str = typer.Argument(..., help="The topic (the namespace's prefix is added if missing)."),
             show_all_configs: bool = typer.Option(False, "--all-configs", help="Kafka's defaults too."),
             output: Format | None = OUTPUT) -> None:
    """A topic's partitions (leader, replicas, in-sync replicas, offsets, records) and its configs."""
    session = current()
    target = session.target()
    found = asyncio.run(describe_topic(target.connection, target.topic(name)))
    if session.format(output) is Format.JSON:
        emit_json(found.as_json())
        return
    console.print(f"[bold]{found.name}[/] · {len(found.partitions)} partitions · {found.records} records")
    emit_rows([{"partition": p.partition, "leader": p.leader, "replicas": p.replicas, "isr": p.isr,
                "start": p.start_offset, "end": p.end_offset, "records": p.records,
                "state": "under-replicated" if p.under_replicated else "in sync"} for p in found.partitions],
              [(k, k) for k in ("partition", "leader", "replicas", "isr", "start", "end", "records", "state")],
              Format.TABLE)
    configs = [c for c in found.configs if show_all_configs or c.worth_showing]
    emit_rows([{"config": c.name, "value": "‹sensitive›" if c.sensitive else c.value, "source": c.source}
               for c in configs], [("config", "config"), ("value", "value"), ("source", "source")], Format.TABLE)


@topics_app.command("list", hidden=True)
def list_topics(output: Format | None = OUTPUT) -> None:
    """The same as `koos topics`."""
    session = current()
    target = session.target()
    sizes = inspect_topics.run(inspect_topics.topic_sizes(target.connection, target.topic_prefix))
    emit_rows([{"topic": s.name, "partitions": s.partitions, "records": s.records} for s in sizes],
              [("topic", "topic"), ("partitions", "partitions"), ("records", "records")], session.format(output))


def tail(topic: str = typer.Argument(..., help="The topic (the namespace's prefix is added if missing)."),
         from_beginning: bool = typer.Option(True, help="Start at the oldest record."),
         follow: bool = typer.Option(False, "--follow", "-f", help="Keep waiting for new records."),
         show_personal_data: bool = typer.Option(False, help="Do not mask emails, names and comments."),
         output: Format | None = OUTPUT) -> None:
    """Print a topic's committed records as CloudEvents envelopes (JSON Lines with -o json)."""
    session = current()
    target = session.target()
    as_lines = session.format(output) is Format.JSON

    async def show() -> None:
        async for record in inspect_topics.records(target.connection, target.topic(topic),
                                                   from_beginning=from_beginning, follow=follow):
            item = inspect_topics.describe(record)
            item = item if show_personal_data else inspect_topics.redact(item)
            if as_lines:
                emit_json_line(item)
            else:
                console.print_json(inspect_topics.pretty(item))

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(show())


def lag(group: str = typer.Option(None, "--group", "-g", help="One consumer group (default: Koos's)."),
        output: Format | None = OUTPUT) -> None:
    """Consumer lag per group and partition: committed offset against the end of the partition."""
    session = current()
    target = session.target()
    with progress() as tracker:
        groups = asyncio.run(consumer_lag(target.connection, prefix=target.topic_prefix, group=group,
                                          tracker=tracker))
    if session.format(output) is Format.JSON:
        emit_json([g.as_json() for g in groups])
        return
    rows = [{**p.row(), "state": g.state, "members": g.members} for g in groups for p in g.partitions]
    emit_rows(rows, [("group", "group"), ("state", "state"), ("members", "members"), ("topic", "topic"),
                     ("partition", "partition"), ("committed_offset", "committed"), ("end_offset", "end"),
                     ("lag", "lag")], Format.TABLE, title=f"consumer lag · {target.connection.bootstrap}")
    if not groups:
        errors.print(f"no Koos consumer groups in the namespace {target.topic_prefix or '(none)'}")


def replay_command(
        topic: str = typer.Argument(..., help="The topic to replay (one the service consumes)."),
        into: str = typer.Option(..., "--into", help="The service that gets the records again, e.g. registration."),
        partition: int = typer.Option(None, "--partition", "-p", help="Only this partition."),
        from_offset: int = typer.Option(None, "--from-offset", help="First offset (in each partition)."),
        from_time: str = typer.Option(None, "--from-time", help="First record at or after this time (ISO 8601, "
                                                                 "UTC unless it says otherwise)."),
        to_offset: int = typer.Option(None, "--to-offset", help="Last offset, included (default: the end now)."),
        to_time: str = typer.Option(None, "--to-time", help="Last record at or before this time."),
        dry_run: bool = typer.Option(False, "--dry-run", help="Count what would go; send nothing."),
        output: Format | None = OUTPUT) -> None:
    """Hand a range of a topic to one service again, through its retry twin, due now (no other service sees it)."""
    session = current()
    target = session.target()
    span = ReplayRange(partition, from_offset, _epoch_ms(from_time), to_offset, _epoch_ms(to_time))
    with progress() as tracker:
        report = asyncio.run(replay(target.connection, target.topic(topic), into, target.topic_prefix, span,
                                    dry_run=dry_run, tracker=tracker))
    if session.format(output) is Format.JSON:
        emit_json(report.as_json())
        return
    verb = "would replay" if dry_run else "replayed"
    console.print(f"{verb} {report.records} records of {report.topic} into {into} "
                  f"(via {report.destination}, group {report.group})")
    emit_rows(report.rows(), [("partition", "partition"), ("first_offset", "first offset"),
                              ("last_offset", "last offset"), ("records", "records")], Format.TABLE)


def _epoch_ms(text: str | None) -> int | None:
    if text is None:
        return None
    if text.isdigit():
        return int(text)
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as error:
        raise ConfigError(f"not a time: {text!r} (ISO 8601, e.g. 2026-12-01T09:30:00Z, or epoch milliseconds)") \
            from error
    return int((moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp() * 1000)


def register(app: KoosTyper) -> None:
    """Put these commands on the `koos` app."""
    app.add_typer(topics_app, name="topics")
    app.command()(tail)
    app.command()(lag)
    app.command(name="replay")(replay_command)
