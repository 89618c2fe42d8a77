"""Pid files and liveness checks that survive stale files and reused pids."""

from __future__ import annotations

import subprocess
from pathlib import Path

_children: dict[int, subprocess.Popen[bytes]] = {}
_exit_codes: dict[int, int] = {}


def adopt_child(child: subprocess.Popen[bytes]) -> None:
    """Keep a started child so it can be reaped when it exits."""
    _children[child.pid] = child


def exit_code(pid: int) -> int | None:
    """The exit code of a child we started and reaped (negative: killed by that signal)."""
    return _exit_codes.get(pid)


def read_pid(pid_file: Path) -> int | None:
    """Return the pid stored in pid_file, or None when the file is missing or garbage."""
    try:
        text = pid_file.read_text().strip()
    except FileNotFoundError:
        return None
    return int(text) if text.isdigit() else None


def write_pid(pid_file: Path, pid: int) -> None:
    """Write pid_file atomically."""
    pid_file.parent.mkdir(parents=True, exist_ok=True)
    partial = pid_file.with_name(pid_file.name + ".tmp")
    partial.write_text(f"{pid}\n")
    partial.replace(pid_file)


def is_alive(pid: int, marker: str) -> bool:
    """Tell whether pid is a live process whose command line contains marker."""
    if _is_running_child(pid):
        return True
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return False
    return marker in cmdline.replace(b"\0", b" ").decode(errors="replace")


def _is_running_child(pid: int) -> bool:
    """Reap pid if it is our exited child; True while it is our running child.

    Our own unreaped child cannot have its pid reused, and its command line reads
    empty for a moment during exec, so it is trusted without looking at /proc.
    Other processes' zombies have an empty command line and so count as dead.
    """
    child = _children.get(pid)
    if child is None:
        return False
    code = child.poll()
    if code is None:
        return True
    _exit_codes[pid] = code
    del _children[pid]
    return False
