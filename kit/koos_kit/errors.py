"""Errors every service shares."""


class RetryLater(Exception):
    """The message is fine but cannot be handled now (a dependency is down, a write raced): redeliver it.

    Its partition is rewound to this record and consumed again after a pause; records before it stay done.
    """


class NotYet(Exception):
    """The message is fine but must wait for something that has not happened yet (its edition is not known).

    It goes to the `.retry` twin of its topic and comes back after a delay, so the records behind it go on.
    """
