"""Shared test set-up: real servers, service processes and a partner-like Kafka client."""

pytest_plugins = ["tests.fixtures.servers", "tests.fixtures.services", "tests.fixtures.kafka", "tests.fixtures.stack",
                  "tests.fixtures.partners", "tests.fixtures.web", "tests.fixtures.browser", "tests.fixtures.otlp"]
