"""Feedback results of an edition, as evaluation last reported them."""

from dataclasses import dataclass
from datetime import datetime

from koos_contracts.evaluation import SurveyOpened, SurveyResultsUpdated


@dataclass(frozen=True)
class SurveyResultsView:
    """The newest results of one edition's survey."""

    organisation_id: str
    results: SurveyResultsUpdated
    occurred_at: datetime


@dataclass(frozen=True)
class SurveyForm:
    """An open survey as a participant answers it: the questions and until when."""

    organisation_id: str
    opened: SurveyOpened
