"""Why the evaluation domain refuses a request."""


class EvaluationRefused(Exception):
    """A request breaks an evaluation rule; the message says which, for a person to read."""

    @property
    def reason(self) -> str:
        return str(self)
