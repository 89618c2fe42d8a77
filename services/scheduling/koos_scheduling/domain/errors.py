"""Why the scheduling domain refuses a request."""


class ScheduleRefused(Exception):
    """A request breaks a scheduling rule; the message says which, for a person to read."""

    @property
    def reason(self) -> str:
        return str(self)
