"""Finding the Java runtime that runs the JVM-based dev servers."""

from __future__ import annotations

import os
from pathlib import Path

from koos_cli.servers.installer import require_tool


def java_executable() -> str:
    """Return $JAVA_HOME/bin/java when it exists, else java from PATH."""
    home = os.environ.get("JAVA_HOME")
    if home and (Path(home) / "bin" / "java").is_file():
        return str(Path(home) / "bin" / "java")
    return require_tool("java", "a Java 17+ runtime")
