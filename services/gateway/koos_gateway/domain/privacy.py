"""A person's export or erasure request as the gateway follows it: which services have answered, and by when.

Every holder of personal data (`koos_contracts.personal_data.HOLDERS`) answers each request once: an export with
its part, an erasure with its confirmation. The request is complete when all have answered; after its
deadline it is reported with the services that did not, instead of waiting for ever.
"""

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal

from koos_contracts.personal_data import HOLDERS

RequestKind = Literal["export", "erasure"]
RequestStatus = Literal["pending", "complete", "incomplete"]
ANSWER_WITHIN = timedelta(minutes=2)
"""How long the services have to answer before the request is reported without the missing parts."""
EXPORTS_KEPT = timedelta(days=7)
"""How long an export (it holds the person's data) is kept for its requester to fetch."""


@dataclass
class PrivacyRequest:
    """One request about one person, and the answers so far (export parts are JSON text by service)."""

    request_id: str
    kind: RequestKind
    subject_id: str
    organisation_id: str
    requested_by: str
    requested_at: datetime
    parts: dict[str, str] = field(default_factory=dict)
    confirmations: dict[str, dict[str, int]] = field(default_factory=dict)
    registration_id: str | None = None
    """The registration from whose page a participant asked (their mail and link go there); None for an organiser."""
    announced: bool = False
    """Whether the person has been told that their export is ready."""

    @property
    def answered(self) -> set[str]:
        return set(self.parts) | set(self.confirmations)

    @property
    def missing(self) -> list[str]:
        return [service for service in HOLDERS if service not in self.answered]

    def status(self, now: datetime) -> RequestStatus:
        if not self.missing:
            return "complete"
        return "incomplete" if now >= self.requested_at + ANSWER_WITHIN else "pending"

    def to_announce(self) -> bool:
        """Whether the person who asked for this export is to be told now that it is ready: a participant's export,
        every part in, not told yet. (An organiser follows their request on its page.)"""
        return self.kind == "export" and self.registration_id is not None and not self.missing and not self.announced

    def document(self) -> dict[str, Any]:
        """The machine-readable export: every service's part, by service."""
        return {service: json.loads(text) for service, text in sorted(self.parts.items())}


def summary(request: PrivacyRequest, now: datetime) -> str:
    """A readable summary of an export: what each service holds, field by field."""
    lines = [f"Personal data held by Koos about person {request.subject_id}",
             f"Requested {request.requested_at.isoformat()}; status: {request.status(now)}", ""]
    for service, part in request.document().items():
        lines.append(f"== {service} ==")
        lines += list(_lines(part, "  "))
        lines.append("")
    if request.missing:
        lines.append("Not answered (yet): " + ", ".join(request.missing))
    return "\n".join(lines) + "\n"


def _lines(value: Any, indent: str) -> list[str]:
    if isinstance(value, dict):
        found = []
        for key, inner in value.items():
            if isinstance(inner, dict | list):
                found += [f"{indent}{key}:", *_lines(inner, indent + "  ")]
            else:
                found.append(f"{indent}{key}: {inner}")
        return found
    if isinstance(value, list):
        found = []
        for number, item in enumerate(value, start=1):
            found += [f"{indent}#{number}", *_lines(item, indent + "  ")]
        return found or [f"{indent}(none)"]
    return [f"{indent}{value}"]
