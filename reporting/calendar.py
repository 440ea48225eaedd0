"""The return calendar: the one place quarters of an award and due dates of returns, end-of-project reports,
visits and annual reviews are computed.

Builds on `opcc.calendar` (financial years and quarters). A return is due a configurable number of
days after its quarter ends (MonitoringSettings.due_days_after_quarter_end); an end-of-project report a number of
days (its tier's) after the award ends.
"""

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from opcc.calendar import Quarter, quarter_of, quarters_between


def due_date(quarter: Quarter, days_after_end: int) -> date:
    return quarter.end + timedelta(days=days_after_end)


def quarters_for_award(start: date, end: date, today: date) -> list[Quarter]:
    """The quarters an award reports on that have begun by today (a return exists from its quarter's start)."""
    return [q for q in quarters_between(start, end) if q.start <= today]


def final_quarter(end: date) -> Quarter:
    """The quarter an award ends in: its end-of-project report is kept as that quarter's return."""
    return quarter_of(end)


def end_of_project_due(end: date, days_after_end: int) -> date:
    return end + timedelta(days=days_after_end)


def quarters_in(start: date, end: date) -> int:
    """How many quarters an award reports on in all (an end-of-project report's counts cover every one)."""
    return max(len(quarters_between(start, end)), 1)


def next_due(*, start: date, end: date, last: date | None, every_months: int) -> date | None:
    """When the next visit (or annual review) is due: `every_months` after the last one, or after the award's start
    if there has been none, and by the award's end at the latest. None when the last one was in the final quarter
    of an interval before the end, so another would tell the office nothing new."""
    if last is None:
        return min(start + relativedelta(months=every_months), end)
    due = last + relativedelta(months=every_months)
    if due <= end:
        return due
    return end if last < end - relativedelta(months=max(every_months // 4, 1)) else None


def quarter_has_ended(quarter: Quarter, today: date) -> bool:
    return quarter.end < today


def reminder_date(due: date, days_from_due: int) -> date:
    return due + timedelta(days=days_from_due)


def current_quarter(today: date) -> Quarter:
    return quarter_of(today)


def iso_week_key(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"
