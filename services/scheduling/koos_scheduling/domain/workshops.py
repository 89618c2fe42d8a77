"""A programme's workshops: a day from its start to its end with theory, practice and lunch blocks inside it; some
dated when planned, others "to be set" and dated later, always within the programme's dates."""

from collections.abc import Sequence
from datetime import date
from itertools import pairwise

from koos_contracts.programmes import DraftProgramme, WorkshopPlan
from koos_scheduling.domain.errors import ScheduleRefused


def checked(workshops: Sequence[WorkshopPlan], plan: DraftProgramme) -> tuple[WorkshopPlan, ...]:
    """The workshops if every one holds together; refused with the first problem otherwise."""
    keys = [w.key for w in workshops]
    if len(set(keys)) != len(keys):
        raise ScheduleRefused("every workshop needs a key of its own")
    for workshop in workshops:
        _check_blocks(workshop)
        if workshop.day is not None:
            within(workshop.key, workshop.day, plan)
    return tuple(workshops)


def within(key: str, day: date, plan: DraftProgramme) -> None:
    """Refuse a workshop day outside the programme's dates."""
    if not plan.starts_on <= day <= plan.ends_on:
        raise ScheduleRefused(f"workshop {key} on {day} is outside the programme's dates "
                              f"({plan.starts_on} – {plan.ends_on})")


def _check_blocks(workshop: WorkshopPlan) -> None:
    if workshop.end <= workshop.start:
        raise ScheduleRefused(f"workshop {workshop.key} ends at {workshop.end:%H:%M}, not after it starts")
    blocks = sorted(workshop.blocks, key=lambda b: b.start)
    for block in blocks:
        if block.start < workshop.start or block.end > workshop.end:
            raise ScheduleRefused(f"workshop {workshop.key}: the {block.kind} block {block.start:%H:%M}–"
                                  f"{block.end:%H:%M} is outside the day {workshop.start:%H:%M}–{workshop.end:%H:%M}")
    for earlier, later in pairwise(blocks):
        if later.start < earlier.end:
            raise ScheduleRefused(f"workshop {workshop.key}: the {earlier.kind} and {later.kind} blocks overlap")
