"""What an edition's lists must be after a sequence of sign-ups and cancellations: the seat rule in its plainest
form (a seat while one is free, else the end of the line; a seat given up goes to the first in line), kept apart
from the service's own implementation so that the two can disagree."""

from dataclasses import dataclass, field


@dataclass
class ExpectedLists:
    """The seated, the line in order, the cancelled and the promoted of one edition."""

    capacity: int
    seated: list[str] = field(default_factory=list)
    line: list[str] = field(default_factory=list)
    cancelled: list[str] = field(default_factory=list)
    promoted: list[str] = field(default_factory=list)
    first_decision: dict[str, str] = field(default_factory=dict)
    """Per registration, "confirmed" or "waiting": what its sign-up was answered with."""

    def register(self, registration_id: str) -> None:
        if registration_id in self.first_decision:
            return
        if len(self.seated) < self.capacity:
            self.seated.append(registration_id)
            self.first_decision[registration_id] = "confirmed"
        else:
            self.line.append(registration_id)
            self.first_decision[registration_id] = "waiting"

    def cancel(self, registration_id: str) -> None:
        if registration_id in self.seated:
            self.seated.remove(registration_id)
            if self.line:
                first = self.line.pop(0)
                self.seated.append(first)
                self.promoted.append(first)
        elif registration_id in self.line:
            self.line.remove(registration_id)
        else:
            return
        self.cancelled.append(registration_id)

    def active(self) -> list[str]:
        return self.seated + self.line

    def mails(self, registration_id: str) -> int:
        """How many mails the person must get: the decision, a promotion, a cancellation."""
        return (1 + (registration_id in self.promoted) + (registration_id in self.cancelled)
                if registration_id in self.first_decision else 0)
