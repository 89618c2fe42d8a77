"""`python -m koos_notifications` runs the notifications service."""

from koos_notifications.bootstrap import bootstrap
from koos_notifications.config import Settings

if __name__ == "__main__":
    bootstrap(Settings()).run()
