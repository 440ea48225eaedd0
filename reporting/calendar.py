"""The return calendar: the one place quarters of an award and due dates of returns are computed.

Builds on `opcc.calendar` (financial years and quarters). A return is due a configurable number of
days after its quarter ends (MonitoringSettings.due_days_after_quarter_end).
"""

from datetime import date, timedelta

from opcc.calendar import Quarter, quarter_of, quarters_between


def due_date(quarter: Quarter, days_after_end: int) -> date:
    return quarter.end + timedelta(days=days_after_end)


def quarters_for_award(start: date, end: date, today: date) -> list[Quarter]:
    """The quarters an award reports on that have begun by today (a return exists from its quarter's start)."""
    return [q for q in quarters_between(start, end) if q.start <= today]


def quarter_has_ended(quarter: Quarter, today: date) -> bool:
    return quarter.end < today


def reminder_date(due: date, days_from_due: int) -> date:
    return due + timedelta(days=days_from_due)


def current_quarter(today: date) -> Quarter:
    return quarter_of(today)


def iso_week_key(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"
