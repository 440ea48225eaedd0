"""The six-monthly payments compliance notice (Procurement Act 2023 s.69, Procurement Regulations 2024 reg. 38).

Its figures come from the payments ledger (reporting/selectors/payments_compliance.py); it names no procurement.
It cannot be marked ready until finance has recorded the finance director's approval with their name and job title.
"""

from datetime import date

from django.conf import settings

from commissioning.models import Notice, NoticeKind
from commissioning.notice_content import Prepared, builds
from reporting.models import PaymentsComplianceApproval
from reporting.selectors import payments_compliance as compliance


def _percent(value) -> str:
    return "No payments" if value is None else f"{value}%"


@builds(NoticeKind.PAYMENTS_COMPLIANCE)
def payments_compliance(notice: Notice) -> Prepared:
    period = compliance.period_starting(date.fromisoformat(notice.key.removeprefix("payments:")))
    if period is None:
        return Prepared(missing=[f"The notice's key {notice.key} names no reporting period"])
    figures = compliance.period_figures(period)
    unpaid = compliance.unpaid_share(period)
    approval = PaymentsComplianceApproval.objects.filter(period_start=period.start).first()
    rows = [
        ("Contracting authority", settings.OFFICE_NAME),
        ("First day of the reporting period", f"{period.start:%-d %B %Y}"),
        ("Last day of the reporting period", f"{period.end:%-d %B %Y}"),
        ("Payments under public contracts", str(figures.payments)),
        (
            "Average number of days taken to pay",
            "No payments" if figures.average_days is None else str(figures.average_days),
        ),
        ("Paid within days 1 to 30", _percent(figures.within_30_percent)),
        ("Paid within days 31 to 60", _percent(figures.from_31_to_60_percent)),
        ("Paid on or after day 61", _percent(figures.from_61_percent)),
        ("Sums that became payable in the period and were not paid in it", _percent(unpaid.percent)),
        (
            "Approved by",
            f"{approval.approver_name}, {approval.approver_job_title}" if approval else "Not yet approved",
        ),
    ]
    missing = []
    if approval is None:
        missing.append(
            "Record the approval of the officer responsible for the office's finances (their name and job title)"
        )
    if figures.undated:
        # Recorded before the invoice date was asked: counted, but outside the day figures (said, not blocking).
        rows.append(("Payments without an invoice date, left out of the day figures", str(figures.undated)))
    release = {
        "description": f"Payments compliance notice for {period.label}",
        "period": {"startDate": period.start.isoformat(), "endDate": period.end.isoformat()},
    }
    return Prepared(rows=rows, missing=missing, release=release)
