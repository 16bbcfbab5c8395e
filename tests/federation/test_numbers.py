"""federation.numbers.parse_number: the one parser of numbers as people write them in spreadsheets."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from federation.numbers import parse_number


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("2,7 %", "2.7", "%"),
        ("87%", "87", "%"),
        ("1 234", "1234", ""),
        ("1\u00a0234", "1234", ""),
        ("1\u202f234,5", "1234.5", ""),
        ("\u22125", "-5", ""),
        ("\u2013 5", "-5", ""),
        ("-5", "-5", ""),
        ("12 st", "12", "st"),
        ("1 234,50 kr", "1234.50", "kr"),
        ("45 procent", "45", "%"),
        ("1.5", "1.5", ""),
        ("1.234.567", "1234567", ""),
        ("1,234.5", "1234.5", ""),
        ("0.30000000000000004", "0.30", ""),
    ],
)
def test_numbers_as_people_write_them_are_read(text, value, unit):
    number = parse_number(text)

    assert (number.value, number.unit) == (Decimal(value), unit)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("många", "Utfall: ”många” är inte ett tal (skriv t.ex. 2,7 %, 1 234 eller 12 st)."),
        ("2,7,5", "Utfall: ”2,7,5” är inte ett tal (skriv t.ex. 2,7 %, 1 234 eller 12 st)."),
        ("12 av 20", "Utfall: ”12 av 20” är inte ett tal (skriv t.ex. 2,7 %, 1 234 eller 12 st)."),
        ("2,756", "Utfall: ”2,756” har fler än 2 decimaler."),
        ("1e400", "Utfall: ”1e400” är inte ett tal (skriv t.ex. 2,7 %, 1 234 eller 12 st)."),
        ("10 000 000 000 000", "Utfall: ”10 000 000 000 000” är ett för stort tal."),
    ],
)
def test_anything_else_is_a_swedish_error_that_quotes_it(text, message):
    with pytest.raises(ValidationError) as error:
        parse_number(text, column="Utfall")

    assert error.value.messages == [message]
