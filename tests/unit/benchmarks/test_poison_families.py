"""Every poison record the fault suite makes is poison for the command it damages: the service's own reader
refuses it (a record its tolerant reader accepts would be handled, never dead-lettered, and look lost)."""

import random
import uuid

import pytest
from pydantic import ValidationError

from benchmarks.faults.poison import COMMANDS, FAMILIES, _valid
from koos_contracts import MalformedRecord, from_record, parse

EDITION = str(uuid.UUID(int=7))


@pytest.mark.parametrize("family", sorted(set(FAMILIES) - {"bad headers"}))
@pytest.mark.parametrize("command", COMMANDS, ids=[c.__name__ for c in COMMANDS])
def test_each_family_makes_a_record_its_command_refuses(command: type, family: str) -> None:
    rng = random.Random(f"{command.__name__}-{family}")
    for _ in range(12):  # every shape of the family, however the dice fall
        body, headers = _valid(command, EDITION)
        _, value, poisoned = FAMILIES[family](rng, body, list(headers))
        with pytest.raises((MalformedRecord, ValidationError, ValueError, RecursionError)):
            parse(from_record(value, [(n, v or b"") for n, v in poisoned]))
