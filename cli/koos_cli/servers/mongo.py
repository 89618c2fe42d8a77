"""The MongoDB-wire dev server: mongo-java-server on an H2 file that commits every write."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from pymongo import MongoClient
from pymongo.errors import PyMongoError

from koos_cli.servers.base import DevServer, Progress
from koos_cli.servers.installer import ensure_built, fingerprint, run_maven
from koos_cli.servers.java import java_executable
from koos_cli.servers.settings import INFRA_DIR

MONGO_JAVA_SERVER_VERSION = "1.47.0"
MONGODB_WIRE_VERSION = "5.0"
MONGO_INFRA = INFRA_DIR / "mongo"
MAIN_CLASS = "ee.koos.mongo.KoosMongoServer"
JVM_OPTIONS = (
    "-Xmx1g",
    "-Djava.awt.headless=true",
    "-Dorg.slf4j.simpleLogger.showDateTime=true",
    "-Dorg.slf4j.simpleLogger.dateTimeFormat=yyyy-MM-dd HH:mm:ss.SSS",
    "-Dorg.slf4j.simpleLogger.log.de.bwaldvogel.mongo.wire=warn",
)


class MongoWireServer(DevServer):
    """mongo-java-server 1.47.0 reporting MongoDB 5.0, storing into one durable H2 file."""

    name = "mongo"
    ready_timeout = 60.0

    @property
    def url(self) -> str:
        """The connection string for PyMongo."""
        return f"mongodb://{self.address}"

    @property
    def address(self) -> str:
        """Where clients connect."""
        return f"{self.settings.host}:{self.settings.mongo_port}"

    @property
    def version(self) -> str:
        """The server software and the MongoDB version it reports."""
        return f"mongo-java-server {MONGO_JAVA_SERVER_VERSION} (MongoDB {MONGODB_WIRE_VERSION} wire)"

    @property
    def store_file(self) -> Path:
        """The H2 MVStore file holding every database."""
        return self.data_dir / "koos.mv.db"

    @property
    def build_dir(self) -> Path:
        """The cached build of the launcher and its jars, keyed by the inputs' hash."""
        return self.settings.cache_dir / f"mongo-java-server-{MONGO_JAVA_SERVER_VERSION}-{_key()[:12]}"

    def ports(self) -> tuple[int, ...]:
        """The wire-protocol port."""
        return (self.settings.mongo_port,)

    def marker(self) -> str:
        """The store path, unique to this state dir."""
        return str(self.store_file)

    def install(self, progress: Progress | None = None) -> None:
        """Compile the launcher and copy its jars with Maven, once per change of its sources."""

        def build(target: Path) -> None:
            if progress:
                progress(f"mongo: building the mongo-java-server launcher with Maven into {target} (first run only)")
            _build(target)

        ensure_built(self.build_dir, _key(), build)

    def command(self) -> Sequence[str]:
        """java ... KoosMongoServer host port store-file."""
        classpath = f"{self.build_dir / 'build' / 'classes'}:{self.build_dir / 'libs'}/*"
        host, port = self.settings.host, str(self.settings.mongo_port)
        return [
            java_executable(),
            *JVM_OPTIONS,
            "-cp",
            classpath,
            MAIN_CLASS,
            host,
            port,
            str(self.store_file),
        ]

    def check_health(self) -> bool:
        """PyMongo can ping the server."""
        client: MongoClient[dict[str, object]] = MongoClient(
            self.url,
            serverSelectionTimeoutMS=1000,
            connectTimeoutMS=1000,
            directConnection=True,
        )
        try:
            client.admin.command("ping")
        except PyMongoError:
            return False
        finally:
            client.close()
        return True


def _sources() -> list[Path]:
    return [MONGO_INFRA / "pom.xml", *sorted((MONGO_INFRA / "src").rglob("*.java"))]


def _key() -> str:
    return fingerprint(_sources(), MONGO_INFRA)


def _build(target: Path) -> None:
    arguments = [
        f"-Dkoos.build.dir={target / 'build'}",
        f"-Dkoos.libs.dir={target / 'libs'}",
    ]
    run_maven(MONGO_INFRA / "pom.xml", [*arguments, "compile", "dependency:copy-dependencies"])
