"""Helpers shared by the demo loaders: idempotent writes, and the demo's dates relative to the day it is seeded.

The demo tells the same story whatever day it is loaded: every date is placed relative to the day it is first
loaded (`demo_today`) and to that day's financial year and quarter (`opcc.calendar`), never written as a fixed
calendar date.
"""

from datetime import date, timedelta

from django.apps import apps
from django.utils import timezone

from opcc.calendar import Quarter, quarter_of

# The demo's Commissioner's Grant Scheme round opened this many days before the day the demo was loaded
# (grants/demo.py), which is how a later run finds that day again.
CGS_ROUND_OPENED_DAYS_BEFORE = 30

# A quarter's outcome return is due this many days after the quarter ends (reporting's MonitoringSettings default,
# which a fresh demo database has). Funding's payments and reporting's returns must agree on it.
RETURN_DUE_DAYS = 30


def sync(model, lookup: dict, values: dict):
    """Create the row, or update it only where a value differs (so no audit history is written twice)."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**lookup, **values), True
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save(update_fields=changed)
    return obj, False


def demo_today() -> date:
    """The day the demo's story is told as of: today, on a database without the demo.

    Once the demo has been loaded, the day it was first loaded (its CGS round opened 30 days before it), so that
    running seed_demo again later, even in another financial year, changes nothing, instead of building a second
    story shifted in time on top of the first (whose money would no longer fit the pots). A demo loaded before the
    dates were relative (its round opened on 2 November 2026) is read as loaded on 2 December 2026: the same story.
    """
    today = timezone.localdate()
    if not apps.is_installed("grants"):
        return today
    opened = (
        apps.get_model("grants", "Round")
        .objects.filter(scheme__kind="cgs", name__endswith="(demo)")
        .order_by("opens_at")
        .values_list("opens_at", flat=True)
        .first()
    )
    if opened is None:
        return today
    return min(timezone.localdate(opened) + timedelta(days=CGS_ROUND_OPENED_DAYS_BEFORE), today)


def year_label(start_year: int) -> str:
    """A financial year as the office writes it in names: 2026 → "2026/27" (FinancialYear.short_label)."""
    return f"{start_year}/{str(start_year + 1)[-2:]}"


def overdue_quarter(today: date) -> Quarter:
    """The demo's "last quarter": the latest quarter whose returns are already overdue today.

    Its returns are the ones the demo shows submitted, sent back, accepted this week or still overdue; every
    earlier quarter is history (returns accepted, arrears paid). Usually the previous quarter; in the first
    month of a quarter, before the previous quarter's returns are due, the one before it."""
    quarter = quarter_of(today).previous()
    while quarter.due_date(RETURN_DUE_DAYS) >= today:
        quarter = quarter.previous()
    return quarter
