"""The reminder planner: when a reminder time of an edition nears, plan its reminders for everyone seated.

Planning as the time nears, in one write per edition and time, keeps a registration's own write small (its mail
only) during a rush, and follows moved and cancelled sessions by itself. Reminder ids are deterministic, so
planning again (another instance, a crash before the slot was noted) adds nothing; people seated after a slot
was planned get its reminder with their seat (`reminders_at_seating`).
"""

from datetime import datetime

from koos_kit.logging import get_logger
from koos_notifications.domain.edition import EditionCopy
from koos_notifications.domain.reminders import ReminderSlot, plan_reminders, slot_of, slots_due
from koos_notifications.service_layer.ports import Ports

log = get_logger("koos.notifications.reminders")


async def plan_due_reminders(ports: Ports) -> int:
    """Plan the reminders whose time comes within the lead; return how many were new."""
    now = ports.clock.now()
    added = 0
    for edition in await ports.editions.live(now):
        slots = slots_due(edition, now + ports.delivery.reminder_lead, now)
        if slots:
            added += await _plan(edition, slots, now, ports)
    return added


async def _plan(edition: EditionCopy, slots: list[ReminderSlot], now: datetime, ports: Ports) -> int:
    keys = {slot.key for slot in slots}
    confirmed = await ports.participants.confirmed_in(edition.edition_id)
    reminders = [reminder for participant in confirmed
                 for reminder in plan_reminders(edition, participant, participant.cause_of_reminders, now)
                 if slot_of(reminder) in keys]
    added = await ports.notifications.add(reminders)
    await ports.editions.mark_reminded(edition.edition_id, keys)
    log.info("reminders planned", edition_id=edition.edition_id, slots=sorted(keys), participants=len(confirmed),
             added=added)
    return added
