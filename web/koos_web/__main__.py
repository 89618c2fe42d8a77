"""`python -m koos_web` serves the web front end (uvicorn); logs go through the kit's structlog set-up."""

import uvicorn

from koos_kit.logging import configure_logging
from koos_web.app import create_app
from koos_web.config import Settings


def main() -> None:
    """Serve until SIGTERM or Ctrl-C."""
    settings = Settings()
    configure_logging(settings)
    uvicorn.run(create_app(settings), host=settings.http_host, port=settings.http_port, log_config=None,
                proxy_headers=True, timeout_graceful_shutdown=5)


if __name__ == "__main__":
    main()
