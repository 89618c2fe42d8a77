"""Who takes part in an edition, as registration's facts tell it: the latest fact about a person wins."""

from dataclasses import dataclass, field
from datetime import datetime

from koos_evaluation.domain.instants import to_millisecond


@dataclass(frozen=True)
class Standing:
    """Whether a person takes part, and the time of the fact that said so."""

    participant: bool
    since: datetime


@dataclass
class Roster:
    """Each person's latest standing; an older or repeated fact changes nothing, whatever order facts arrive in."""

    standings: dict[str, Standing] = field(default_factory=dict)

    def record(self, person_id: str, participant: bool, at: datetime) -> bool:
        """Take a fact into account unless a fact as recent is known already; True if it changed the roster."""
        current, at = self.standings.get(person_id), to_millisecond(at)
        if current is not None and current.since >= at:
            return False
        self.standings[person_id] = Standing(participant, at)
        return True

    def includes(self, person_id: str) -> bool:
        standing = self.standings.get(person_id)
        return standing is not None and standing.participant

    def withdrew(self, person_id: str) -> bool:
        """Whether the person took part once and cancelled."""
        standing = self.standings.get(person_id)
        return standing is not None and not standing.participant

    def participants(self) -> set[str]:
        return {person_id for person_id, standing in self.standings.items() if standing.participant}
