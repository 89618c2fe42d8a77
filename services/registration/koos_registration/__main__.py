"""`python -m koos_registration` runs the registration service."""

from koos_registration.bootstrap import bootstrap
from koos_registration.config import Settings

if __name__ == "__main__":
    bootstrap(Settings()).run()
