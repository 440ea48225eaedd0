"""Quarter and due-date arithmetic across year ends and leap years."""

from datetime import date

import pytest

from opcc.calendar import Quarter
from reporting import calendar


@pytest.mark.parametrize(
    "quarter, days, due",
    [
        (Quarter(2026, 1), 30, date(2026, 7, 30)),  # Q1 ends 30 June
        (Quarter(2026, 3), 30, date(2027, 1, 30)),  # Q3 ends 31 December: due the next calendar year
        (Quarter(2026, 4), 30, date(2027, 4, 30)),  # Q4 ends 31 March 2027, in the next financial year
        (Quarter(2027, 3), 60, date(2028, 2, 29)),  # 31 Dec 2027 + 60 days lands on the leap day
        (Quarter(2026, 3), 60, date(2027, 3, 1)),  # ... and on 1 March in a common year
        (Quarter(2027, 4), 0, date(2028, 3, 31)),
        (Quarter(2028, 3), 59, date(2029, 2, 28)),
    ],
)
def test_due_dates(quarter, days, due):
    assert calendar.due_date(quarter, days) == due


def test_quarter_boundaries_in_a_leap_year():
    q4 = Quarter(2027, 4)
    assert (q4.start, q4.end) == (date(2028, 1, 1), date(2028, 3, 31))
    assert Quarter(2023, 4).end == date(2024, 3, 31)
    assert calendar.current_quarter(date(2028, 2, 29)) == Quarter(2027, 4)
    assert calendar.current_quarter(date(2028, 4, 1)) == Quarter(2028, 1)


def test_an_award_reports_on_each_quarter_that_has_begun():
    quarters = calendar.quarters_for_award(date(2026, 11, 15), date(2028, 6, 30), today=date(2027, 1, 1))
    assert quarters == [Quarter(2026, 3), Quarter(2026, 4)]
    # A quarter counts from its first day: 1 January is Q4's first day.
    assert calendar.quarters_for_award(date(2026, 4, 1), date(2027, 3, 31), today=date(2026, 12, 31))[
        -1
    ] == Quarter(2026, 3)
    assert calendar.quarters_for_award(date(2027, 6, 1), date(2028, 3, 31), today=date(2026, 12, 31)) == []


def test_a_quarter_has_ended_the_day_after_its_last_day():
    assert not calendar.quarter_has_ended(Quarter(2026, 3), date(2026, 12, 31))
    assert calendar.quarter_has_ended(Quarter(2026, 3), date(2027, 1, 1))


def test_reminder_days_and_week_keys_across_the_year_end():
    assert calendar.reminder_date(date(2027, 1, 10), -14) == date(2026, 12, 27)
    assert calendar.iso_week_key(date(2026, 12, 31)) == "2026-W53"
    assert calendar.iso_week_key(date(2027, 1, 3)) == "2026-W53"
    assert calendar.iso_week_key(date(2027, 1, 4)) == "2027-W01"
