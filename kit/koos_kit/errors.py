"""Errors every service shares."""


class RetryLater(Exception):
    """The message is fine but cannot be handled now (a dependency is down, a write raced): redeliver it."""
