from decimal import Decimal

import pytest

from goals.models import Direction, Status
from goals.suggest import status_suggest, statuses_combine


@pytest.mark.parametrize(
    ("direction", "target", "value", "expected"),
    [
        (Direction.AT_LEAST, 25000, 27531, Status.MET),
        (Direction.AT_LEAST, 25000, 25000, Status.MET),
        (Direction.AT_LEAST, 500, 402, Status.PARTLY_MET),
        (Direction.AT_LEAST, 20000, 14263, Status.NOT_MET),
        (Direction.AT_MOST, 100, 90, Status.MET),
        (Direction.AT_MOST, 100, 110, Status.PARTLY_MET),
        (Direction.AT_MOST, 100, 200, Status.NOT_MET),
        (Direction.EXACT, 10, 10, Status.MET),
        (Direction.EXACT, 10, 9, Status.PARTLY_MET),
        (Direction.EXACT, 10, 5, Status.NOT_MET),
        (Direction.AT_LEAST, Decimal("55.0"), Decimal("67.0"), Status.MET),
    ],
)
def test_numeric_outcome_suggests_status_by_direction(direction, target, value, expected):
    assert status_suggest(direction=direction, target=target, value=value) == expected


def test_qualitative_or_missing_numbers_suggest_nothing():
    assert status_suggest(direction=Direction.QUALITATIVE, target=None, value=3) is None
    assert status_suggest(direction=Direction.AT_LEAST, target=None, value=3) is None
    assert status_suggest(direction=Direction.AT_LEAST, target=3, value=None) is None


def test_several_suggestions_combine_to_one():
    assert statuses_combine([Status.MET, Status.MET]) == Status.MET
    assert statuses_combine([Status.NOT_MET, Status.NOT_MET]) == Status.NOT_MET
    assert statuses_combine([Status.MET, Status.NOT_MET]) == Status.PARTLY_MET
    assert statuses_combine([None]) is None


def test_every_status_has_a_tone():
    assert {status.tone for status in Status} <= {"green", "yellow", "red", "grey"}
    assert Status.MET.tone == "green" and Status.NOT_MET.tone == "red"
