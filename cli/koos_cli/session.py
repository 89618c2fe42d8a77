"""One invocation of `koos`: its global options, its target cluster (resolved on first use), its output format,
and the Typer that turns every command's failures into one line and an exit code."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, TypeVar

import typer

from koos_cli.failures import ExitCode, OperatorError, one_line_errors
from koos_cli.output import Format
from koos_cli.servers import Servers
from koos_cli.servers.kafka_credentials import ADMIN
from koos_cli.target import ClusterOptions, Target, resolve
from koos_kit.messaging.security import KafkaConnection

F = TypeVar("F", bound=Callable[..., Any])


@dataclass
class Session:
    """What the global options say; the target is resolved when a command first needs Kafka."""

    options: ClusterOptions = field(default_factory=ClusterOptions)
    output: Format = Format.TABLE
    verbose: bool = False
    environ: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    _target: Target | None = None

    def target(self) -> Target:
        if self._target is None:
            self._target = resolve(self.options, self.environ, local_connection)
        return self._target

    def format(self, given: Format | None) -> Format:
        """The command's --output if given, else the global one."""
        return given or self.output

    def where(self) -> str:
        """The cluster as messages name it."""
        if self._target is None:
            return self.options.bootstrap_server or "the cluster"
        return self._target.connection.bootstrap + (" (the local dev broker: `koos up` starts it)"
                                                    if self._target.local else "")


def local_connection() -> KafkaConnection:
    """This state dir's dev broker as its admin, if one was ever set up here."""
    kafka = Servers.from_env().kafka
    if not (kafka.credentials.folder / ADMIN).exists():
        raise OperatorError(f"no local dev broker in {kafka.home.parent} (`koos up` starts one); "
                            f"name a cluster with --bootstrap-server or --profile", ExitCode.UNREACHABLE)
    return kafka.connection()


_CURRENT: ContextVar[Session | None] = ContextVar("koos_session", default=None)


def begin(session: Session) -> Session:
    """Make a session the running command's (the `koos` callback does, once per invocation)."""
    _CURRENT.set(session)
    return session


def current() -> Session:
    """The session of the running command (a default one when a command runs without the `koos` callback)."""
    session = _CURRENT.get()
    return session if session is not None else begin(Session())


class KoosTyper(typer.Typer):
    """A Typer whose commands report failures in one line with an exit code (see `koos_cli.failures`)."""

    def command(self, *args: Any, **kwargs: Any) -> Callable[[F], F]:
        register = super().command(*args, **kwargs)

        def decorator(function: F) -> F:
            @functools.wraps(function)
            def guarded(*call_args: Any, **call_kwargs: Any) -> Any:
                session = current()
                with one_line_errors(session.where, verbose=session.verbose):
                    return function(*call_args, **call_kwargs)

            register(guarded)
            return function

        return decorator
