"""The dev mailbox, read incrementally: who each stored message went to and its Message-ID."""

import os
from collections import Counter
from email import policy
from email.parser import BytesHeaderParser
from email.utils import parseaddr
from pathlib import Path

_PARSER = BytesHeaderParser(policy=policy.compat32)


class Mailbox:
    """Indexes the Maildir's messages as they arrive (each file is read once)."""

    def __init__(self, maildir: Path, domain: str) -> None:
        self.folders = [maildir / "new", maildir / "cur"]
        self.domain = domain
        self._seen: set[str] = set()
        self.messages: list[tuple[str, str]] = []
        """(recipient, Message-ID) of every message to the suite's domain."""

    def scan(self) -> list[tuple[str, str]]:
        for folder in self.folders:
            if not folder.is_dir():
                continue
            for name in os.listdir(folder):
                key = name.split(":")[0]
                if key in self._seen:
                    continue
                try:
                    headers = _PARSER.parsebytes((folder / name).read_bytes())
                except FileNotFoundError:  # moved from new/ to cur/ meanwhile: found there next time
                    continue
                self._seen.add(key)
                recipient = parseaddr(str(headers.get("To", "")))[1].lower()
                if recipient.endswith(self.domain):
                    self.messages.append((recipient, str(headers.get("Message-ID", "")).strip()))
        return self.messages

    def to(self, recipient: str) -> int:
        return sum(1 for to, _ in self.scan() if to == recipient)

    def per_message_id(self) -> Counter[str]:
        return Counter(message_id for _, message_id in self.scan())

    def per_recipient(self) -> dict[str, set[str]]:
        found: dict[str, set[str]] = {}
        for to, message_id in self.scan():
            found.setdefault(to, set()).add(message_id)
        return found
