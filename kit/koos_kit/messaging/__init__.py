"""Kafka messaging shared by every service: broker, publisher, consumer with DLQ, topics."""
