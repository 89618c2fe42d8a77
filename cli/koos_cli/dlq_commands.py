"""`koos dlq inspect|redrive|purge`: the dead letters of a topic, looked at, sent back, or deleted."""

from __future__ import annotations

import asyncio
import contextlib
import sys

import typer

from koos_cli import inspect_topics
from koos_cli.dlq import DeadLetter, Selection, dlq_topic, read_dead_letters
from koos_cli.failures import ConfigError
from koos_cli.output import OUTPUT, Format, console, emit_json, emit_json_line, emit_rows, errors, progress
from koos_cli.purge import plan_purge, purge
from koos_cli.redrive import by_destination, plan_redrive, redrive
from koos_cli.session import KoosTyper, current
from koos_cli.target import Target

dlq_app = KoosTyper(help="Dead letters: inspect them, redrive them to their topic, purge them.",
                    no_args_is_help=True)

TOPIC = typer.Argument(..., help="A topic or its .dlq twin (the namespace's prefix is added if missing).")
FROM_OFFSET = typer.Option(None, "--from-offset", help="First DLQ offset.")
TO_OFFSET = typer.Option(None, "--to-offset", help="Last DLQ offset, included.")
PARTITION = typer.Option(None, "--partition", "-p", help="Only this partition of the DLQ.")
TYPES = typer.Option([], "--type", "-t", help="CloudEvents type, exact or a pattern (koos.registration.*); "
                                                "repeatable.")
ERROR_TYPES = typer.Option([], "--error-type", "-e", help="Error type (MalformedRecord, WaitedTooLong, …); "
                                                            "repeatable.")
REASON = typer.Option(None, "--reason", "-r", help="A piece of the reason, any case.")
SUMMARY = [("partition", "partition"), ("offset", "offset"), ("type", "type"), ("error_type", "error type"),
           ("reason", "reason"), ("source", "source (topic/partition/offset)"), ("failed_at", "failed at")]


def _selection(from_offset: int | None, to_offset: int | None, partition: int | None, types: list[str],
               error_types: list[str], reason: str | None) -> Selection:
    return Selection(from_offset, to_offset, partition, tuple(types), tuple(error_types), reason)


def _letters(target: Target, topic: str, selection: Selection) -> list[DeadLetter]:
    with progress() as tracker:
        return asyncio.run(read_dead_letters(target.connection, topic, selection, tracker))


@dlq_app.command()
def inspect(topic: str = TOPIC, from_offset: int = FROM_OFFSET, to_offset: int = TO_OFFSET,
            partition: int = PARTITION, types: list[str] = TYPES, error_types: list[str] = ERROR_TYPES,
            reason: str = REASON, follow: bool = typer.Option(False, "--follow", "-f", help="Wait for new ones."),
            show_personal_data: bool = typer.Option(False, help="Do not mask emails, names and comments (JSON)."),
            output: Format | None = OUTPUT) -> None:
    """Dead letters with their reason, error type and source; -o json gives each whole (JSON Lines)."""
    session = current()
    target = session.target()
    name = target.topic(dlq_topic(topic))
    selection = _selection(from_offset, to_offset, partition, types, error_types, reason)
    as_lines = session.format(output) is Format.JSON
    if follow:
        _follow(target, name, selection, as_lines, show_personal_data)
        return
    letters = _letters(target, name, selection)
    if as_lines:
        for letter in letters:
            emit_json_line(letter.full(show_personal_data))
        return
    emit_rows([letter.summary() for letter in letters], SUMMARY, Format.TABLE,
              title=f"{name}: {len(letters)} dead letters")


def _follow(target: Target, name: str, selection: Selection, as_lines: bool, show_personal_data: bool) -> None:
    async def show() -> None:
        async for record in inspect_topics.records(target.connection, name, from_beginning=True, follow=True):
            letter = DeadLetter.of(record)
            if not selection.matches(letter):
                continue
            if as_lines:
                emit_json_line(letter.full(show_personal_data))
            else:
                summary = letter.summary()
                console.print(" · ".join(f"{heading}: {summary[key]}" for key, heading in SUMMARY))

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(show())


@dlq_app.command("redrive")
def redrive_command(topic: str = TOPIC, from_offset: int = FROM_OFFSET, to_offset: int = TO_OFFSET,
                    partition: int = PARTITION, types: list[str] = TYPES, error_types: list[str] = ERROR_TYPES,
                    reason: str = REASON,
                    dry_run: bool = typer.Option(False, "--dry-run", help="Show what would go; send nothing."),
                    output: Format | None = OUTPUT) -> None:
    """Send the selected dead letters back to the topic they came from, each once, without their DLQ headers."""
    session = current()
    target = session.target()
    name = target.topic(dlq_topic(topic))
    letters = _letters(target, name, _selection(from_offset, to_offset, partition, types, error_types, reason))
    with progress() as tracker:
        if dry_run:
            plan = asyncio.run(plan_redrive(target.connection, letters, tracker))
        else:
            plan = asyncio.run(redrive(target.connection, letters, target.topic_prefix, tracker))
    sent = [item for item in plan if not item.already_sent]
    if session.format(output) is Format.JSON:
        emit_json({"topic": name, "dry_run": dry_run, "selected": len(plan), "sent": 0 if dry_run else len(sent),
                   "would_send": len(sent) if dry_run else 0,
                   "already_sent": len(plan) - len(sent), "destinations": by_destination(plan),
                   "dead_letters": [item.row() for item in plan]})
        return
    rows = [{**item.row(), "already_sent": "yes" if item.already_sent else "no"} for item in plan]
    emit_rows(rows, [*SUMMARY[:5], ("destination", "to"), ("already_sent", "redriven before")], Format.TABLE,
              title=f"{name}: {len(plan)} selected")
    verb = "would send" if dry_run else "sent"
    where = ", ".join(f"{count} to {topic}" for topic, count in by_destination(plan).items()) or "nothing"
    console.print(f"{verb} {len(sent)} ({where}); {len(plan) - len(sent)} redriven before, not sent again")


@dlq_app.command("purge")
def purge_command(topic: str = TOPIC,
                  before: int = typer.Option(None, "--before", help="Delete the dead letters before this offset."),
                  everything: bool = typer.Option(False, "--all", help="Delete every dead letter there is now."),
                  partition: int = PARTITION,
                  dry_run: bool = typer.Option(False, "--dry-run", help="Say what would go; delete nothing."),
                  yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask."),
                  output: Format | None = OUTPUT) -> None:
    """Delete dead letters before an offset (Kafka deletes a partition's prefix only); says first how many of
    them were never redriven, and asks."""
    if (before is None) == (not everything):
        raise ConfigError("say what to purge: --before OFFSET or --all")
    session = current()
    target = session.target()
    name = target.topic(dlq_topic(topic))
    with progress() as tracker:
        plan = asyncio.run(plan_purge(target.connection, name, before=before, partition=partition, tracker=tracker))
    as_json = session.format(output) is Format.JSON
    summary = (f"{name}: {len(plan.dead_letters)} dead letters before "
               + ", ".join(f"offset {c.before} (partition {c.partition})" for c in plan.cuts)
               + f"; {len(plan.never_redriven)} of them were never redriven")
    if not as_json:
        console.print(summary)
    if dry_run or (not plan.dead_letters and not any(c.count for c in plan.cuts)):
        _purged(as_json, plan.as_json(), {}, dry_run=True)
        return
    if not yes:
        if not sys.stdin.isatty():
            raise ConfigError("purging deletes dead letters for good: add --yes (or run it in a terminal)")
        typer.confirm(f"delete them{' (including the never redriven)' if plan.never_redriven else ''}?",
                      abort=True, err=True)
    low = asyncio.run(purge(target.connection, plan))
    _purged(as_json, plan.as_json(), low, dry_run=False)


def _purged(as_json: bool, plan: dict[str, object], low: dict[int, int], *, dry_run: bool) -> None:
    if as_json:
        emit_json({**plan, "dry_run": dry_run, "new_start_offsets": {str(p): o for p, o in low.items()}})
    elif dry_run:
        errors.print("dry run: nothing deleted")
    else:
        console.print("purged; partitions now start at " + ", ".join(f"{o} (partition {p})" for p, o in low.items()))
