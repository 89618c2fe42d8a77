"""`python -m koos_scheduling` runs the scheduling service."""

from koos_scheduling.bootstrap import bootstrap
from koos_scheduling.config import Settings

if __name__ == "__main__":
    bootstrap(Settings()).run()
