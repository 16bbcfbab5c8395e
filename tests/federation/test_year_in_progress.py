"""federation.dates: one "today" (which tests can fix) and one year in progress for every page."""

import datetime

import pytest

from federation import dates
from tests.factories import FiscalYearFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def test_the_year_in_progress_is_the_one_containing_today_even_when_next_year_exists():
    # given this year and next year's (adopted in December)
    FiscalYearFactory(year=2020)
    FiscalYearFactory(year=2021)
    # then in December this year is still in progress, and on 1 January the new year is
    assert dates.year_in_progress(D(2020, 12, 31)).year == 2020
    assert dates.year_in_progress(D(2021, 1, 1)).year == 2021


def test_after_the_last_year_the_latest_started_year_is_in_progress_and_before_the_first_the_earliest():
    FiscalYearFactory(year=2019)
    FiscalYearFactory(year=2020)
    assert dates.year_in_progress(D(2026, 6, 1)).year == 2020
    assert dates.year_in_progress(D(2010, 6, 1)).year == 2019


def test_a_gap_between_years_keeps_the_latest_year_that_has_started():
    FiscalYearFactory(year=2019)
    FiscalYearFactory(year=2025)
    assert dates.year_in_progress(D(2022, 3, 1)).year == 2019


def test_no_years_means_no_year_in_progress():
    assert dates.year_in_progress(D(2020, 1, 1)) is None


def test_tests_stand_on_another_day_with_one_setting(settings):
    settings.FIXED_TODAY = D(2020, 12, 15)
    FiscalYearFactory(year=2020)
    FiscalYearFactory(year=2021)
    assert dates.today() == D(2020, 12, 15)
    assert dates.year_in_progress().year == 2020
