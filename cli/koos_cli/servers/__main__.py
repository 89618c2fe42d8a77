"""Manual control: python -m koos_cli.servers start|stop|status [kafka|mongo|smtp ...]."""

from __future__ import annotations

import argparse
import sys

from koos_cli.servers.base import ServerStatus
from koos_cli.servers.errors import ServerError
from koos_cli.servers.manager import Servers


def describe(status: ServerStatus) -> str:
    """One line about one server."""
    state = "healthy" if status.healthy else "running, not answering" if status.running else "stopped"
    pid = f"pid {status.pid}" if status.pid else "-"
    return f"{status.name:<6} {state:<22} {status.address:<22} {pid:<11} {status.version}  log: {status.log_file}"


def main(argv: list[str] | None = None) -> int:
    """Run the command and return the exit code."""
    parser = argparse.ArgumentParser(prog="python -m koos_cli.servers", description=__doc__)
    parser.add_argument("action", choices=["start", "stop", "status"])
    parser.add_argument("names", nargs="*", help="kafka, mongo, smtp (default: all)")
    arguments = parser.parse_args(argv)
    servers = Servers.from_env()
    try:
        if arguments.action == "start":
            servers.start_all(progress=print, names=arguments.names)
        elif arguments.action == "stop":
            servers.stop_all(names=arguments.names)
    except (ServerError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    for status in servers.status():
        print(describe(status))
    return 0


if __name__ == "__main__":
    sys.exit(main())
