"""`python -m koos_gateway` serves the gateway (uvicorn on uvloop); logs go through the kit's structlog set-up."""

from koos_gateway.bootstrap import bootstrap
from koos_gateway.config import Settings


def main() -> None:
    """Serve until SIGTERM or Ctrl-C, then shut down gracefully."""
    wiring, app = bootstrap(Settings())
    wiring.runtime.run(app, proxy_headers=True)


if __name__ == "__main__":
    main()
