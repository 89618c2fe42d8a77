"""`python -m koos_cli` is the `koos` command."""

from koos_cli.main import app

app()
