"""Shared test set-up: server fixtures come from tests.fixtures.servers."""

pytest_plugins = ["tests.fixtures.servers"]
