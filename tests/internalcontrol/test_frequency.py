"""The one frequency parser: every form real plans use, and nothing else."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from internalcontrol.frequency import Frequency, parse_frequency

D = datetime.date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Månadsvis", Frequency(12)),
        ("månadsvis", Frequency(12)),
        ("  MÅNADSVIS ", Frequency(12)),
        ("Kvartalsvis", Frequency(4)),
        ("2 ggr/år", Frequency(2)),
        ("2ggr/år", Frequency(2)),
        ("2 ggr / år", Frequency(2)),
        ("2  GGR/ÅR", Frequency(2)),
        ("1 gång/år", Frequency(1)),
        ("1gång/år", Frequency(1)),
        ("1 Gång / År", Frequency(1)),
        ("1 gång/år samt löpande", Frequency(1, continuous=True)),
        ("1gång/år  samt  Löpande", Frequency(1, continuous=True)),
        ("Löpande", Frequency(0, continuous=True)),
        ("löpande", Frequency(0, continuous=True)),
    ],
)
def test_every_form_real_plans_use_is_understood(text, expected):
    assert parse_frequency(text) == expected


@pytest.mark.parametrize("text", ["", "   ", "ibland", "5 ggr/år", "0 ggr/år", "varannan vecka", "2 ggr", "ggr/år"])
def test_anything_else_is_rejected_with_a_swedish_message(text):
    with pytest.raises(ValidationError) as error:
        parse_frequency(text)
    message = " ".join(error.value.messages)
    assert "Frekvens" in message or "frekvens" in message


def test_the_message_names_the_text_that_was_not_understood():
    with pytest.raises(ValidationError) as error:
        parse_frequency("varannan vecka")
    assert "”varannan vecka”" in error.value.messages[0]


def test_due_dates_are_the_ends_of_the_periods():
    assert parse_frequency("Månadsvis").due_dates(2020) == [
        D(2020, 1, 31), D(2020, 2, 29), D(2020, 3, 31), D(2020, 4, 30), D(2020, 5, 31), D(2020, 6, 30),
        D(2020, 7, 31), D(2020, 8, 31), D(2020, 9, 30), D(2020, 10, 31), D(2020, 11, 30), D(2020, 12, 31),
    ]  # fmt: skip
    assert parse_frequency("Kvartalsvis").due_dates(2019) == [
        D(2019, 3, 31),
        D(2019, 6, 30),
        D(2019, 9, 30),
        D(2019, 12, 31),
    ]
    assert parse_frequency("2 ggr/år").due_dates(2019) == [D(2019, 6, 30), D(2019, 12, 31)]
    assert parse_frequency("1 gång/år").due_dates(2019) == [D(2019, 12, 31)]
    assert parse_frequency("1 gång/år samt löpande").due_dates(2019) == [D(2019, 12, 31)]
    assert parse_frequency("Löpande").due_dates(2019) == [D(2019, 12, 31)]


def test_label_gives_the_canonical_spelling():
    assert parse_frequency("1gång/år").label() == "1 gång/år"
    assert parse_frequency("2GGR/ÅR").label() == "2 ggr/år"
    assert parse_frequency("1 gång/år samt löpande").label() == "1 gång/år samt löpande"
    assert parse_frequency("löpande").label() == "Löpande"
