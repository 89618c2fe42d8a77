"""`python -m koos_evaluation` runs the evaluation service."""

from koos_evaluation.bootstrap import bootstrap
from koos_evaluation.config import Settings

if __name__ == "__main__":
    bootstrap(Settings()).run()
