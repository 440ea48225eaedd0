from datetime import date

import pytest
from freezegun import freeze_time

from opcc.calendar import (
    Quarter,
    add_months,
    financial_year_of,
    is_working_day,
    last_of_working_days,
    month_start,
    quarter_of,
    quarters_between,
    this_financial_year,
    year_window,
)


@pytest.mark.parametrize(
    "day,year,quarter",
    [
        (date(2026, 4, 1), 2026, 1),
        (date(2026, 6, 30), 2026, 1),
        (date(2026, 7, 1), 2026, 2),
        (date(2026, 12, 31), 2026, 3),
        (date(2027, 1, 1), 2026, 4),
        (date(2027, 3, 31), 2026, 4),
        (date(2028, 2, 29), 2027, 4),  # leap day
    ],
)
def test_quarters_run_april_to_march(day, year, quarter):
    assert financial_year_of(day) == year
    assert quarter_of(day) == Quarter(year, quarter)


def test_quarter_bounds_cross_the_calendar_year():
    q4 = Quarter(2027, 4)
    assert (q4.start, q4.end) == (date(2028, 1, 1), date(2028, 3, 31))
    assert q4.next() == Quarter(2028, 1) and Quarter(2028, 1).previous() == q4
    assert Quarter(2026, 3).end == date(2026, 12, 31)


def test_due_dates_count_from_the_quarter_end_including_leap_years():
    assert Quarter(2027, 4).due_date(30) == date(2028, 4, 30)
    assert Quarter(2026, 3).due_date(31) == date(2027, 1, 31)
    assert Quarter(2027, 3).due_date(60) == date(2028, 2, 29)


def test_quarters_between_lists_every_overlapping_quarter():
    assert quarters_between(date(2026, 5, 15), date(2027, 1, 2)) == [
        Quarter(2026, 1),
        Quarter(2026, 2),
        Quarter(2026, 3),
        Quarter(2026, 4),
    ]
    assert quarters_between(date(2027, 1, 2), date(2026, 5, 15)) == []


@pytest.mark.parametrize(
    "day,months,same_day,first_of_month",
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28), date(2026, 2, 1)),
        (date(2028, 1, 31), 1, date(2028, 2, 29), date(2028, 2, 1)),
        (date(2026, 11, 15), 3, date(2027, 2, 15), date(2027, 2, 1)),
        (date(2026, 3, 31), -1, date(2026, 2, 28), date(2026, 2, 1)),
        (date(2026, 1, 10), -13, date(2024, 12, 10), date(2024, 12, 1)),
        (date(2026, 5, 20), 0, date(2026, 5, 20), date(2026, 5, 1)),
    ],
)
def test_month_arithmetic_keeps_the_day_or_the_first(day, months, same_day, first_of_month):
    assert add_months(day, months) == same_day
    assert month_start(day, months) == first_of_month


def test_the_financial_year_window():
    assert year_window(2026) == (date(2026, 4, 1), date(2027, 3, 31))
    assert this_financial_year(date(2027, 3, 31)) == 2026
    assert this_financial_year(date(2027, 4, 1)) == 2027


def test_this_financial_year_defaults_to_the_office_date():
    with freeze_time("2027-03-31 23:30:00+00:00"):  # already 1 April in British Summer Time
        assert this_financial_year() == 2027


@pytest.mark.parametrize(
    "start, count, last",
    [
        # Monday: the day itself counts, so eight working days end on the Wednesday of the next week.
        (date(2026, 12, 7), 8, date(2026, 12, 16)),
        # Over Christmas: 25, 26 (Saturday), 28 (Boxing Day observed) and 1 January are not working days.
        (date(2026, 12, 18), 8, date(2026, 12, 31)),
        # Beginning on a Saturday, the period begins on the Monday.
        (date(2026, 12, 5), 1, date(2026, 12, 7)),
        # Easter 2027: Good Friday 26 March and Easter Monday 29 March.
        (date(2027, 3, 24), 3, date(2027, 3, 30)),
    ],
)
def test_a_period_of_working_days_skips_weekends_and_bank_holidays(start, count, last):
    assert last_of_working_days(start, count) == last
    assert is_working_day(last)
