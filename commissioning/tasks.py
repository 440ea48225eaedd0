"""Daily commissioning tasks (Celery beat): thin, idempotent, each reloads what it needs."""

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from commissioning.exclusions import pru_overdue
from commissioning.models import BreakNotice, CommissioningRules, Contract, Notice
from commissioning.services.changes import draft_expiry_notices
from commissioning.services.contracts import apply_break_notice
from funding.models import Award
from opcc.calendar import add_months
from opcc.services.notifications import flush_after_commit, queue_message


def send_contract_reminders(today=None) -> int:
    """Queue each reminder once: the outbox key includes the date it is about, so an extension starts afresh."""
    today = today or timezone.localdate()
    rules = CommissioningRules.current()
    queued = 0
    contracts = Contract.objects.filter(award__status=Award.Status.ACTIVE).select_related(
        "award", "organisation", "procurement__commission__officer"
    )
    for contract in contracts:
        commission = contract.procurement.commission
        officer = commission.officer
        end = contract.award.end_date
        values = {
            "officer": officer.full_name,
            "reference": contract.award.reference,
            "title": commission.title,
            "provider": contract.organisation.name,
            "end_date": f"{end:%-d %B %Y}",
            "link": settings.SITE_URL + reverse("commissioning:review", args=[commission.pk]),
        }
        if add_months(end, -rules.expiry_reminder_months) <= today <= end:
            nxt = contract.next_extension_years
            values["extension"] = (
                f"An extension of {nxt} year{'s' if nxt > 1 else ''} is available ({contract.extension_pattern})."
                if nxt
                else "No extension is left."
            )
            queued += bool(
                queue_message(
                    key=f"contract-expiry:{contract.pk}:{end.isoformat()}",
                    to_email=officer.email,
                    to_user=officer,
                    template_key="contract-expiry-reminder",
                    values=values,
                    about=contract.award,
                )
            )
        last_notice = contract.notice_date
        if add_months(last_notice, -rules.notice_reminder_months) <= today <= last_notice:
            values.update(notice_date=f"{last_notice:%-d %B %Y}", notice_months=contract.break_notice_months)
            queued += bool(
                queue_message(
                    key=f"contract-notice:{contract.pk}:{last_notice.isoformat()}",
                    to_email=officer.email,
                    to_user=officer,
                    template_key="contract-notice-reminder",
                    values=values,
                    about=contract.award,
                )
            )
    return queued


def send_notice_reminders(today=None) -> int:
    """Email the lead officer once about each Procurement Act notice coming due within the office's number of days,
    and once more when it is overdue. The outbox key carries the due date, so a notice whose date moves is chased
    afresh and the same reminder is never sent twice."""
    today = today or timezone.localdate()
    horizon = today + timedelta(days=CommissioningRules.current().notice_reminder_days)
    notices = Notice.objects.filter(
        status__in=[Notice.Status.DRAFT, Notice.Status.READY], due_by__isnull=False, due_by__lte=horizon
    ).select_related("procurement__commission__officer", "contract__procurement__commission__officer")
    queued = 0
    for notice in notices:
        procurement = notice.procurement or (notice.contract.procurement if notice.contract else None)
        if procurement is None:
            continue  # the office's own notices (payments compliance) are chased by their own sweep
        commission = procurement.commission
        officer = commission.officer
        overdue = notice.due_by < today
        queued += bool(
            queue_message(
                key=f"notice-{'overdue' if overdue else 'due'}:{notice.pk}:{notice.due_by.isoformat()}",
                to_email=officer.email,
                to_user=officer,
                template_key="notice-overdue" if overdue else "notice-due-soon",
                values={
                    "officer": officer.full_name,
                    "notice": f"{notice.form_code} {notice.get_kind_display().lower()}",
                    "reference": commission.reference,
                    "title": commission.title,
                    "due_by": f"{notice.due_by:%-d %B %Y}",
                    "link": settings.SITE_URL + reverse("commissioning:notice", args=[notice.pk]),
                },
                about=commission,
            )
        )
    return queued


def send_pru_reminders(today=None) -> int:
    """Email the lead officer once about each exclusion not reported to the Procurement Review Unit within its 30
    days (s.59). The key carries the exclusion's date, so a corrected exclusion is chased afresh, never twice."""
    today = today or timezone.localdate()
    queued = 0
    for check in pru_overdue(today=today):
        commission = check.procurement.commission
        officer = commission.officer
        queued += bool(
            queue_message(
                key=f"pru-overdue:{check.pk}:{check.excluded_on.isoformat()}",
                to_email=officer.email,
                to_user=officer,
                template_key="pru-notice-overdue",
                values={
                    "officer": officer.full_name,
                    "supplier": check.organisation.name,
                    "reference": commission.reference,
                    "title": commission.title,
                    "excluded_on": f"{check.excluded_on:%-d %B %Y}",
                    "due_by": f"{check.pru_due_by:%-d %B %Y}",
                    "link": settings.SITE_URL
                    + reverse("commissioning:supplier-check", args=[commission.pk, check.organisation_id]),
                },
                about=commission,
            )
        )
    return queued


def apply_due_break_notices(today=None) -> int:
    today = today or timezone.localdate()
    due = BreakNotice.objects.filter(applied_at__isnull=True, exit_date__lte=today).values_list(
        "pk", flat=True
    )
    count = 0
    for pk in list(due):
        apply_break_notice(notice=BreakNotice.objects.get(pk=pk))
        count += 1
    return count


@shared_task
def contract_reminders():
    queued = send_contract_reminders()
    flush_after_commit()
    return queued


@shared_task
def notice_reminders():
    queued = send_notice_reminders() + send_pru_reminders()
    flush_after_commit()
    return queued


@shared_task
def break_notices():
    applied = apply_due_break_notices()
    flush_after_commit()
    return applied


@shared_task
def termination_notices():
    """Draft the contract termination notice of each public contract that has reached its end (s.80)."""
    return draft_expiry_notices()
