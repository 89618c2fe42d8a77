"""Builds a server's files with Maven into the cache, once per set of inputs."""

from __future__ import annotations

import fcntl
import hashlib
import json
import shutil
import subprocess
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from koos_cli.servers.errors import InstallError

MARKER_NAME = ".koos-complete.json"
Progress = Callable[[str], None]


def fingerprint(files: Iterable[Path], root: Path) -> str:
    """Hash the names and contents of files, relative to root."""
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(str(path.relative_to(root)).encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def ensure_built(target: Path, key: str, build: Callable[[Path], None]) -> bool:
    """Run build(target) unless target is complete for key; return True when it built."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with _locked(target.with_name(target.name + ".lock")):
        if is_complete(target, key):
            return False
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        build(target)
        _write_marker(target, key)
        return True


def is_complete(target: Path, key: str) -> bool:
    """Tell whether target holds every file its marker lists, with the recorded sizes."""
    try:
        marker = json.loads((target / MARKER_NAME).read_text())
    except (FileNotFoundError, ValueError):
        return False
    if marker.get("key") != key or not marker.get("files"):
        return False
    return all(_has_size(target / name, size) for name, size in marker["files"].items())


def run_maven(pom: Path, arguments: Sequence[str]) -> None:
    """Run Maven quietly on pom; raise InstallError with its output when it fails."""
    require_tool("mvn", "Maven 3.8+")
    command = [
        "mvn",
        "-B",
        "-q",
        "--no-transfer-progress",
        "-Dstyle.color=never",
        "-f",
        str(pom),
        *arguments,
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        output = (result.stdout + result.stderr).strip().splitlines()[-30:]
        raise InstallError(f"Maven failed ({' '.join(command)}):\n" + "\n".join(output))


def require_tool(executable: str, description: str) -> str:
    """Return the path of executable or explain that it must be installed."""
    found = shutil.which(executable)
    if found is None:
        raise InstallError(f"{executable} not found: install {description} (JDK 17 and Maven 3.8 are needed)")
    return found


def _write_marker(target: Path, key: str) -> None:
    files = {str(path.relative_to(target)): path.stat().st_size for path in _files(target)}
    if not files:
        raise InstallError(f"build produced no files in {target}")
    (target / MARKER_NAME).write_text(json.dumps({"key": key, "files": files}, indent=1))


def _files(root: Path) -> Iterator[Path]:
    return (path for path in root.rglob("*") if path.is_file() and path.name != MARKER_NAME)


def _has_size(path: Path, size: int) -> bool:
    try:
        return path.stat().st_size == size
    except FileNotFoundError:
        return False


@contextmanager
def _locked(lock_file: Path) -> Iterator[None]:
    with lock_file.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
