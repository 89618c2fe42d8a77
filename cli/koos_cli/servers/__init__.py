"""Local dev servers for Koos: Kafka (KRaft), a MongoDB-wire server and an SMTP server."""

from koos_cli.servers.base import DevServer, ServerStatus
from koos_cli.servers.errors import InstallError, ServerError, StartError
from koos_cli.servers.kafka import KAFKA_VERSION, KafkaServer
from koos_cli.servers.mailbox import MailSummary, list_messages, read_message
from koos_cli.servers.manager import Servers
from koos_cli.servers.mongo import (
    MONGO_JAVA_SERVER_VERSION,
    MONGODB_WIRE_VERSION,
    MongoWireServer,
)
from koos_cli.servers.settings import ServerSettings
from koos_cli.servers.smtp import SmtpServer

__all__ = [
    "KAFKA_VERSION",
    "MONGODB_WIRE_VERSION",
    "MONGO_JAVA_SERVER_VERSION",
    "DevServer",
    "InstallError",
    "KafkaServer",
    "MailSummary",
    "MongoWireServer",
    "ServerError",
    "ServerSettings",
    "ServerStatus",
    "Servers",
    "SmtpServer",
    "StartError",
    "list_messages",
    "read_message",
]
