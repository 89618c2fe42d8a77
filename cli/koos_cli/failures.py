"""What goes wrong for an operator, said in one line with an exit code a script can test.

| code | meaning |
| ---- | ------- |
| 0 | done |
| 1 | failed (Kafka refused a request, or something unexpected; `--verbose` shows the traceback) |
| 2 | usage: a wrong option, profile or config file |
| 3 | unreachable: no server answers at the address, or TLS failed |
| 4 | refused: wrong credentials, or the user may not do that (ACLs) |
| 5 | not found: no such topic, consumer group or record |
| 6 | conflict: another run took over (a concurrent redrive), nothing was sent |
"""

from __future__ import annotations

import logging
import ssl
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import IntEnum

import typer
from aiokafka.errors import (
    ClusterAuthorizationFailedError,
    GroupAuthorizationFailedError,
    InvalidProducerEpoch,
    KafkaConnectionError,
    KafkaError,
    KafkaTimeoutError,
    ProducerFenced,
    RequestTimedOutError,
    SaslAuthenticationFailed,
    TopicAuthorizationFailedError,
    TransactionalIdAuthorizationFailed,
    UnknownTopicOrPartitionError,
)


class ExitCode(IntEnum):
    OK = 0
    FAILED = 1
    USAGE = 2
    UNREACHABLE = 3
    REFUSED = 4
    NOT_FOUND = 5
    CONFLICT = 6


class OperatorError(Exception):
    """A failure to report in one line."""

    code = ExitCode.FAILED

    def __init__(self, message: str, code: ExitCode | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code


class ConfigError(OperatorError):
    code = ExitCode.USAGE


class NotFound(OperatorError):
    code = ExitCode.NOT_FOUND


class Refused(OperatorError):
    code = ExitCode.REFUSED


class ConnectionCauses(logging.Handler):
    """Keeps the errors aiokafka logs while it tries to connect: its exception only says "Unable to bootstrap"."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.causes: list[BaseException] = []

    def emit(self, record: logging.LogRecord) -> None:
        args = record.args if isinstance(record.args, tuple) else ()
        self.causes += [arg for arg in args if isinstance(arg, BaseException)]


@contextmanager
def one_line_errors(where: Callable[[], str], *, verbose: bool = False) -> Iterator[None]:
    """Turn failures into `koos: <what happened>` on stderr and an exit code; tracebacks only when verbose."""
    causes = ConnectionCauses()
    library = logging.getLogger("aiokafka")
    propagated = library.propagate
    library.addHandler(causes)
    library.propagate = verbose
    try:
        yield
    except KeyboardInterrupt:
        raise
    except BaseException as error:
        if _is_exit(error):
            raise
        failure = explain(error, where(), causes.causes)
        if verbose:
            raise
        print(f"koos: {failure}", file=sys.stderr)
        raise SystemExit(int(failure.code)) from None
    finally:
        library.removeHandler(causes)
        library.propagate = propagated


def explain(error: BaseException, where: str, causes: list[BaseException]) -> OperatorError:
    """The one line for a failure while talking to the cluster at `where`."""
    if isinstance(error, OperatorError):
        return error
    if isinstance(error, KafkaConnectionError):
        return _connection_failure(where, causes, error)
    if isinstance(error, ssl.SSLError):
        return _tls_failure(where, error)
    if isinstance(error, ConnectionError | OSError) and not isinstance(error, FileNotFoundError):
        return OperatorError(f"cannot reach Kafka at {where}: {error}", ExitCode.UNREACHABLE)
    if isinstance(error, SaslAuthenticationFailed):
        return Refused(f"Kafka at {where} refused the credentials: {_message(error)}")
    if isinstance(error, TopicAuthorizationFailedError | GroupAuthorizationFailedError
                  | ClusterAuthorizationFailedError | TransactionalIdAuthorizationFailed):
        return Refused(f"not authorised ({type(error).__name__}): the user lacks an ACL for this; "
                       f"operators use the admin user")
    if isinstance(error, UnknownTopicOrPartitionError):
        return NotFound("no such topic or partition")
    if isinstance(error, ProducerFenced | InvalidProducerEpoch):
        return OperatorError("another run of the same command took over meanwhile; this one sent nothing "
                             "(run it again to see what is left)", ExitCode.CONFLICT)
    if isinstance(error, KafkaTimeoutError | RequestTimedOutError | TimeoutError):
        return OperatorError(f"Kafka at {where} did not answer in time ({type(error).__name__})",
                             ExitCode.UNREACHABLE)
    if isinstance(error, KafkaError):
        return OperatorError(f"Kafka refused the request: {type(error).__name__}: {_message(error)}")
    return OperatorError(f"unexpected {type(error).__name__}: {error} (--verbose shows the traceback)")


def _connection_failure(where: str, causes: list[BaseException], error: BaseException) -> OperatorError:
    for cause in reversed(causes):
        if isinstance(cause, SaslAuthenticationFailed):
            return Refused(f"Kafka at {where} refused the credentials: {_message(cause)}")
        if isinstance(cause, ssl.SSLError):
            return _tls_failure(where, cause)
    for cause in reversed(causes):
        if isinstance(cause, KafkaConnectionError) and "closed" in str(cause):
            return OperatorError(f"Kafka at {where} closed the connection: does it expect another "
                                 f"--security-protocol?", ExitCode.UNREACHABLE)
        if isinstance(cause, OSError | TimeoutError):
            reason = cause.strerror if isinstance(cause, OSError) and cause.strerror else type(cause).__name__
            return OperatorError(f"cannot reach Kafka at {where}: {reason}", ExitCode.UNREACHABLE)
    return OperatorError(f"cannot reach Kafka at {where}: {_message(error)}", ExitCode.UNREACHABLE)


def _tls_failure(where: str, error: ssl.SSLError) -> OperatorError:
    reason = getattr(error, "verify_message", None) or getattr(error, "reason", None) or str(error)
    return OperatorError(f"TLS with Kafka at {where} failed: {reason} (the cluster's CA: --ca-file)",
                         ExitCode.UNREACHABLE)


def _message(error: BaseException) -> str:
    text = str(error).strip()
    return text.split(": ", 1)[-1] if text.startswith("[Error") else (text or type(error).__name__)


def _is_exit(error: BaseException) -> bool:
    """Exits that typer and click use on purpose (help, --version, a usage error) pass through."""
    return isinstance(error, SystemExit | typer.Exit | typer.Abort | typer.TyperException)
