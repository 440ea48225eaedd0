"""Payments compliance notices: drafted for each ended reporting period with payments under Act contracts (the daily
sweep), and approved by the officer responsible for the office's finances before they can be marked ready."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from commissioning.models import Notice, NoticeKind
from commissioning.services.notices import ensure_notice
from opcc.permissions import require_perm
from opcc.types import Actor
from reporting.models import PaymentsComplianceApproval
from reporting.selectors.payments_compliance import ReportingPeriod, periods_to_notify


def ensure_notices(*, today: date) -> list[Notice]:
    """One notice per ended period that had such payments, due 30 days after the period ends (s.69(1))."""
    return [
        ensure_notice(
            kind=NoticeKind.PAYMENTS_COMPLIANCE,
            key=period.key,
            triggered_on=period.end,
            due_by=period.due_by,
        )
        for period in periods_to_notify(today)
    ]


@transaction.atomic
def record_approval(
    *, period: ReportingPeriod, approver_name: str, approver_job_title: str, by: Actor, today: date
) -> PaymentsComplianceApproval:
    """Finance records that the finance director (or the equivalent officer) approves the period's notice, with
    their name and job title (reg. 38(2)(e)). A later approval replaces an earlier one until the notice is
    published."""
    require_perm(by, "reporting.approve_payments_compliance")
    errors = {}
    if not (approver_name or "").strip():
        errors["approver_name"] = "Enter the name of the officer who approves the notice"
    if not (approver_job_title or "").strip():
        errors["approver_job_title"] = "Enter their job title"
    if period.end >= today:
        errors["__all__"] = f"The period ends on {period.end:%-d %B %Y}: its notice is approved after it ends"
    published = Notice.objects.filter(
        kind=NoticeKind.PAYMENTS_COMPLIANCE, key=period.key, status=Notice.Status.PUBLISHED
    ).exists()
    if published:
        errors["__all__"] = "This period's notice is published: its approval cannot change"
    if errors:
        raise ValidationError(errors)
    approval = (
        PaymentsComplianceApproval.objects.select_for_update().filter(period_start=period.start).first()
    )
    approval = approval or PaymentsComplianceApproval(period_start=period.start)
    approval.approver_name = approver_name.strip()
    approval.approver_job_title = approver_job_title.strip()
    approval.recorded_by = by
    approval.full_clean()
    approval.save()
    return approval
