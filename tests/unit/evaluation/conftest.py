"""Ports with fakes, and one course edition driven through them."""

from datetime import timedelta

import pytest

from koos_evaluation.service_layer.ports import Ports
from koos_kit.events import EventFactory
from tests.fakes import FixedClock, RecordingReplies
from tests.unit.evaluation.course import Course
from tests.unit.evaluation.fakes import FakeAnswers, FakeSurveys


@pytest.fixture
def ports() -> Ports:
    return Ports(FakeSurveys(), FakeAnswers(), RecordingReplies(), FixedClock(), EventFactory("/koos/evaluation"),
                 survey_open_for=timedelta(days=14))


@pytest.fixture
def course(ports: Ports) -> Course:
    return Course(ports)
