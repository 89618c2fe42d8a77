"""Instants to the millisecond, as the store keeps them, so that a stored time compares equal to a fresh one."""

from datetime import datetime


def to_millisecond(moment: datetime) -> datetime:
    """The moment without its sub-millisecond part."""
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)
