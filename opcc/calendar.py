"""Financial years, quarters and month arithmetic: the one place dates of the office's year are computed.

A financial year runs 1 April to 31 March and is named by the year it starts (2026 = 2026/27).
Q1 is April to June, Q2 July to September, Q3 October to December, Q4 January to March.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import holidays
from dateutil.relativedelta import relativedelta
from django.utils import timezone


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier), kept within the month: 31 January + 1 month = 28 or 29 February.
    For notice periods, reminders and contract terms."""
    return day + relativedelta(months=months)


def add_years(day: date, years: int) -> date:
    """The same day `years` later: 29 February becomes 28 February in a year that has none. For contract terms."""
    return day + relativedelta(years=years)


def month_start(day: date, months: int = 0) -> date:
    """The first day of the month `months` after the month `day` is in. For monthly series (crime counts)."""
    return day.replace(day=1) + relativedelta(months=months)


def financial_year_of(day: date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def this_financial_year(today: date | None = None) -> int:
    """The start year of the financial year today is in (the office's local date when not given)."""
    return financial_year_of(today or timezone.localdate())


def year_start(start_year: int) -> date:
    return date(start_year, 4, 1)


def year_end(start_year: int) -> date:
    return date(start_year + 1, 3, 31)


def year_window(start_year: int) -> tuple[date, date]:
    """The first and last day of a financial year."""
    return year_start(start_year), year_end(start_year)


@dataclass(frozen=True, order=True)
class Quarter:
    start_year: int
    number: int  # 1 to 4

    @property
    def start(self) -> date:
        month = 4 + 3 * (self.number - 1)
        year = self.start_year if month <= 12 else self.start_year + 1
        return date(year, (month - 1) % 12 + 1, 1)

    @property
    def end(self) -> date:
        return self.next().start - timedelta(days=1)

    def next(self) -> "Quarter":
        return (
            Quarter(self.start_year, self.number + 1) if self.number < 4 else Quarter(self.start_year + 1, 1)
        )

    def previous(self) -> "Quarter":
        return (
            Quarter(self.start_year, self.number - 1) if self.number > 1 else Quarter(self.start_year - 1, 4)
        )

    def due_date(self, days_after_end: int) -> date:
        return self.end + timedelta(days=days_after_end)

    @property
    def label(self) -> str:
        months = {1: "April to June", 2: "July to September", 3: "October to December", 4: "January to March"}
        return f"Q{self.number} {self.start_year}/{str(self.start_year + 1)[-2:]} ({months[self.number]})"

    @property
    def short_label(self) -> str:
        return f"Q{self.number} {self.start_year}/{str(self.start_year + 1)[-2:]}"


def quarter_of(day: date) -> Quarter:
    start_year = financial_year_of(day)
    months_in = (day.month - 4) % 12
    return Quarter(start_year, months_in // 3 + 1)


def quarters_between(first_day: date, last_day: date) -> list[Quarter]:
    """Every quarter that overlaps the period, in order."""
    if last_day < first_day:
        return []
    quarters, current, last = [], quarter_of(first_day), quarter_of(last_day)
    while current <= last:
        quarters.append(current)
        current = current.next()
    return quarters


def quarters_of_year(start_year: int) -> list[Quarter]:
    return [Quarter(start_year, n) for n in (1, 2, 3, 4)]


# ---- Working days (the Procurement Act's standstill and notice periods) ----------------------------------------
# Bank holidays come from the kept `holidays` library, not a hand list. The Procurement Act 2023, s.123(1), defines a
# working day as any day but a Saturday, Sunday, Christmas Day, Good Friday or a bank holiday under the Banking and
# Financial Dealings Act 1971 "in any part of the United Kingdom": so St Andrew's Day (Scotland) and St Patrick's
# Day and the Battle of the Boyne (Northern Ireland) are not working days either, for an office in England.
WORKING_DAY_SUBDIVISIONS = ("ENG", "WLS", "SCT", "NIR")


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[date]:
    days: set[date] = set()
    for subdivision in WORKING_DAY_SUBDIVISIONS:
        days.update(holidays.country_holidays("GB", subdiv=subdivision, years=year).keys())
    return frozenset(days)


def is_working_day(day: date) -> bool:
    """Not a Saturday, Sunday or bank holiday (Christmas Day and Good Friday are bank holidays in the library)."""
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def last_of_working_days(start: date, count: int) -> date:
    """The last day of a period of `count` working days beginning with `start` (which counts if it is a working
    day). An eight-working-day standstill beginning on a Friday before a bank holiday Monday ends a week on the
    Wednesday after."""
    if count < 1:
        raise ValueError("A period has at least one working day")
    day, seen = start, 0
    while True:
        if is_working_day(day):
            seen += 1
            if seen == count:
                return day
        day += timedelta(days=1)
