"""A course with fakes behind every port."""

import pytest

from tests.unit.notifications.course import Course


@pytest.fixture
def course() -> Course:
    return Course.create()
