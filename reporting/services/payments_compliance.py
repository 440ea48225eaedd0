"""Payments compliance notices: drafted for each ended reporting period with payments under Act contracts (the daily
sweep), and approved by the officer responsible for the office's finances before they can be marked ready."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from commissioning.models import Notice, NoticeKind
from commissioning.services.notices import ensure_notice
from opcc.models import Role, User
from opcc.permissions import require_perm
from opcc.services.notifications import queue_message
from opcc.types import Actor
from reporting.models import PaymentsComplianceApproval
from reporting.selectors.payments_compliance import (
    ReportingPeriod,
    notices_to_publish,
    period_start_of,
    periods_to_notify,
)


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


def chase_notices(*, today: date) -> int:
    """Email each finance officer once about each payments compliance notice coming due, and once more when it is
    overdue (the notices' own sweep chases lead officers, and these have none). The key carries the due date and
    the person, so the same reminder is never sent twice."""
    notices = list(notices_to_publish(today))
    if not notices:
        return 0
    finance = list(User.objects.filter(role=Role.FINANCE_OFFICER, is_active=True).order_by("pk"))
    queued = 0
    for notice in notices:
        overdue = notice.due_by < today
        start = period_start_of(notice)
        for person in finance:
            queued += bool(
                queue_message(
                    key=f"payments-notice-{'overdue' if overdue else 'due'}:{notice.pk}:{notice.due_by}:{person.pk}",
                    to_email=person.email,
                    to_user=person,
                    template_key="payments-notice-overdue" if overdue else "payments-notice-due",
                    values={
                        "name": person.full_name,
                        "period": f"{notice.triggered_on:%-d %B %Y}",
                        "due_by": f"{notice.due_by:%-d %B %Y}",
                        "link": settings.SITE_URL
                        + reverse("reporting:payments-compliance-period", args=[start]),
                    },
                    about=notice,
                )
            )
    return queued


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
