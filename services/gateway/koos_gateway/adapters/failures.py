"""Errors of the gateway's servers that mean "try again later" rather than "the request is wrong"."""

from pymongo.errors import ConnectionFailure

STORE_UNAVAILABLE: tuple[type[Exception], ...] = (ConnectionFailure,)
