"""`python -m koos_gateway` serves the gateway with uvicorn; logs go through the kit's structlog set-up."""

import uvicorn

from koos_gateway.bootstrap import bootstrap
from koos_gateway.config import Settings


def main() -> None:
    """Serve until SIGTERM or Ctrl-C, then shut down gracefully."""
    settings = Settings()
    uvicorn.run(bootstrap(settings), host=settings.http_host, port=settings.http_port, log_config=None,
                proxy_headers=True, timeout_graceful_shutdown=10)


if __name__ == "__main__":
    main()
