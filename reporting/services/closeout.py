"""Closing a grant: its final report is opened when it ends, chased until it is sent, reviewed by an officer, and
accepting it completes the grant and tells finance what is owed back.

Contracts keep their own path (an officer marks them completed): their end is managed by the contract's terms and
the quarterly returns, not by a grant's final report.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from funding import ledger
from funding.models import Award, AwardKind
from funding.services.recoveries import underspend
from grants.models import ProjectLine
from opcc.models import Role, User
from opcc.money import ZERO, gbp
from opcc.permissions import require_perm
from opcc.services.notifications import queue_message
from opcc.services.transitions import apply_transition, record_transition
from opcc.types import Actor
from reporting.models import (
    FinalOutcome,
    FinalReport,
    FinalReportStatus,
    FinalSpendLine,
    Measure,
    MeasureKind,
)
from reporting.services.notifications import link, provider_recipients

# The final report is due this many days after the award ends (as the light tier's end-of-project report).
DAYS_TO_REPORT = 30
# The provider is reminded this many days before the due date.
REMIND_DAYS_BEFORE = 14
# Grants ended early: terminated (or decommissioned) before their end date.
ENDED_EARLY = (Award.Status.TERMINATED, Award.Status.DECOMMISSIONED)


def needs_final_report(today: date) -> Q:
    """Grants that have ended (their end date has passed, or they were ended early) and have no final report."""
    ended = Q(status=Award.Status.ACTIVE, end_date__lt=today) | Q(status__in=ENDED_EARLY)
    return Q(kind=AwardKind.GRANT, final_report__isnull=True) & ended


def budget_lines(award: Award) -> list[tuple[str, Decimal]]:
    """The lines final spend is reported against: a partnership's projects, or else each year of the award."""
    projects = ProjectLine.objects.filter(application__award=award).order_by("id")
    if lines := [(p.title, p.amount) for p in projects]:
        return lines
    return [
        (f"Spend in {ay.pot.year.label}", ay.amount)
        for ay in award.profile.select_related("pot__year").order_by("pot__year__start_year")
    ]


def _agreed(measure: Measure) -> str:
    if measure.quarterly_target is None:
        return "No target was set"
    target = f"{measure.quarterly_target.normalize():f}"
    unit = f" {measure.unit}" if measure.unit else ""
    return f"{target}{unit} a quarter" + (" (%)" if measure.kind == MeasureKind.PERCENTAGE else "")


@transaction.atomic
def open_final_report(award: Award, *, today: date) -> FinalReport | None:
    """The award's final report with its budget lines and agreed outcomes; None if it already has one. The award's
    row is locked, so two sweeps at once open one report."""
    award = Award.objects.select_for_update().get(pk=award.pk)
    if FinalReport.objects.filter(award=award).exists():
        return None
    ended = min(award.end_date, today)
    report = FinalReport.objects.create(award=award, due_date=ended + timedelta(days=DAYS_TO_REPORT))
    FinalSpendLine.objects.bulk_create(
        FinalSpendLine(report=report, label=label[:200], budget=budget, position=i)
        for i, (label, budget) in enumerate(budget_lines(award))
    )
    # The outcomes agreed: the measures with something to achieve (not the quarterly narratives, nor a breakdown's
    # parts, whose whole is asked).
    measures = (
        Measure.objects.filter(framework__award=award)
        .exclude(part_of__gt="")
        .exclude(kind=MeasureKind.NARRATIVE)
        .order_by("position", "id")
    )
    FinalOutcome.objects.bulk_create(
        FinalOutcome(report=report, measure=m, name=m.name, agreed=_agreed(m), position=i)
        for i, m in enumerate(measures)
    )
    record_transition(
        award,
        transition="final_report_due",
        from_state=award.status,
        to_state=award.status,
        note=f"Final report opened, due {report.due_date:%-d %B %Y}",
    )
    return report


def open_final_reports(*, today: date) -> int:
    """Open a final report for every grant that has ended without one. Safe to run twice."""
    opened = 0
    for award in Award.objects.filter(needs_final_report(today)).order_by("pk"):
        if open_final_report(award, today=today) is not None:
            opened += 1
    return opened


def _values(report: FinalReport, **extra: str) -> dict[str, str]:
    award = report.award
    return {
        "organisation": award.organisation.name,
        "award": f"{award.reference} {award.title}",
        "due_date": f"{report.due_date:%-d %B %Y}",
        "link": link(reverse("reporting:final-report", args=[report.pk])),
        "reasons": report.review_reasons,
        "amount": "",
        **extra,
    }


def chase_final_reports(*, today: date) -> int:
    """Remind each provider of a final report due within REMIND_DAYS_BEFORE days, and chase one overdue: each message
    once per report and person (the outbox's key), however often this runs."""
    sent = 0
    reports = (
        FinalReport.objects.with_provider()
        .filter(due_date__lte=today + timedelta(days=REMIND_DAYS_BEFORE))
        .select_related("award__organisation")
        .order_by("due_date", "pk")
    )
    for report in reports:
        step = "overdue" if report.due_date < today else "due"
        for email, user in provider_recipients(report.award.organisation):
            with transaction.atomic():
                message = queue_message(
                    key=f"final-report:{report.pk}:{step}:{email}",
                    to_email=email,
                    to_user=user,
                    template_key=f"final-report-{step}",
                    values=_values(report),
                    about=report,
                )
            sent += message is not None
    return sent


def sweep(*, today: date) -> int:
    """The daily sweep's part: open final reports for ended grants, then remind and chase. Returns messages queued."""
    open_final_reports(today=today)
    return chase_final_reports(today=today)


# ---- The provider's report -------------------------------------------------------------------------------------


@dataclass
class FinalReportContent:
    spend: dict[int, Decimal | None]  # FinalSpendLine id -> spent
    spend_total: Decimal | None
    achieved: dict[int, str]  # FinalOutcome id -> what was achieved
    service_next: str


def content_problems(report: FinalReport, content: FinalReportContent, *, complete: bool) -> dict[str, str]:
    """Everything wrong with the report's answers at once, as {field name: message}. Field names are the form's:
    spend-<id>, spend_total, achieved-<id>, service_next. `complete`: it is being sent, so nothing may be missing."""
    errors: dict[str, str] = {}
    lines = list(report.spend_lines.all())
    for line in lines:
        spent = content.spend.get(line.pk)
        if spent is not None and spent < 0:
            errors[f"spend-{line.pk}"] = f"The spend on {line.label} cannot be negative"
        elif spent is None and complete:
            errors[f"spend-{line.pk}"] = f"Enter what was spent on {line.label}"
    total = content.spend_total
    if total is not None and total < 0:
        errors["spend_total"] = "The total final spend cannot be negative"
    elif total is None and complete:
        errors["spend_total"] = "Enter the total final spend"
    spent_lines = [content.spend.get(line.pk) for line in lines]
    if total is not None and total >= 0 and all(s is not None and s >= 0 for s in spent_lines):
        added = sum((s for s in spent_lines if s is not None), ZERO)
        if added != total:
            errors["spend_total"] = (
                f"The total final spend ({gbp(total)}) must be the lines added up: they come to {gbp(added)}"
            )
    if complete:
        for outcome in report.outcomes.all():
            if not content.achieved.get(outcome.pk, "").strip():
                errors[f"achieved-{outcome.pk}"] = f"Enter what was achieved for {outcome.name}"
        if not content.service_next.strip():
            errors["service_next"] = "Enter what happens to the service next"
    return errors


@transaction.atomic
def save_final_report(*, report: FinalReport, content: FinalReportContent, by: Actor) -> FinalReport:
    """The provider saves the report as it stands (it may be incomplete); nothing is saved if anything is wrong."""
    report = FinalReport.objects.select_for_update().select_related("award__organisation").get(pk=report.pk)
    require_perm(
        by, "reporting.edit_final_report", report, refusal="This final report cannot be changed now."
    )
    if errors := content_problems(report, content, complete=False):
        raise ValidationError(errors)
    for line in report.spend_lines.all():
        line.spent = content.spend.get(line.pk)
        line.save(update_fields=["spent"])
    for outcome in report.outcomes.all():
        outcome.achieved = content.achieved.get(outcome.pk, "").strip()[:300]
        outcome.save(update_fields=["achieved"])
    report.spend_total = content.spend_total
    report.service_next = content.service_next.strip()
    report.full_clean(exclude=["status"])
    report.save(update_fields=["spend_total", "service_next"])
    return report


def submit_final_report(*, report: FinalReport, content: FinalReportContent, by: Actor) -> FinalReport:
    """Save and send: every line, outcome and the service's next steps answered, and the lines adding up."""
    with transaction.atomic():
        if errors := content_problems(report, content, complete=True):
            raise ValidationError(errors)
        saved = save_final_report(report=report, content=content, by=by)

        def sent(locked: FinalReport) -> None:
            locked.submitted_at = timezone.now()
            locked.submitted_by = by if by.is_authenticated else None

        done: FinalReport = apply_transition(saved, "submit", by=by, before_save=sent)
        _on_award_timeline(done, "final_report_submitted", by, f"Final spend {gbp(done.spend_total or ZERO)}")
    return done


# ---- The officer's review -------------------------------------------------------------------------------------


def _on_award_timeline(report: FinalReport, transition: str, by: Actor | None, note: str) -> None:
    award = report.award
    record_transition(
        award, transition=transition, from_state=award.status, to_state=award.status, by=by, note=note
    )


def _reviewed(by: Actor, reasons: str = ""):
    def apply(locked: FinalReport) -> None:
        locked.reviewed_at = timezone.now()
        locked.reviewed_by = by if by.is_authenticated else None
        locked.review_reasons = reasons

    return apply


def accept_final_report(
    *, report: FinalReport, by: Actor, expected_state: str | None = FinalReportStatus.SUBMITTED
) -> FinalReport:
    """The officer accepts: a grant past its end date is completed, and finance is told of any underspend."""
    with transaction.atomic():
        done: FinalReport = apply_transition(
            report, "accept", by=by, expected_state=expected_state, before_save=_reviewed(by)
        )
        award = Award.objects.select_for_update().get(pk=done.award_id)
        _on_award_timeline(done, "final_report_accepted", by, f"Final spend {gbp(done.spend_total or ZERO)}")
        if award.status == Award.Status.ACTIVE and award.end_date < timezone.localdate():
            apply_transition(award, "complete", by=by, note="The final report is accepted")
        owed = underspend(award, done.spend_total or ZERO)
        if owed > 0:
            _tell_finance(done, owed)
    return done


def return_final_report(
    *, report: FinalReport, by: Actor, reasons: str, expected_state: str | None = FinalReportStatus.SUBMITTED
) -> FinalReport:
    if not (reasons or "").strip():
        raise ValidationError({"reasons": "Enter why the final report is being returned"})
    with transaction.atomic():
        done: FinalReport = apply_transition(
            report,
            "return_for_changes",
            by=by,
            expected_state=expected_state,
            before_save=_reviewed(by, reasons.strip()),
            note=reasons.strip(),
        )
        _on_award_timeline(done, "final_report_returned", by, reasons.strip())
        for email, user in provider_recipients(done.award.organisation):
            queue_message(
                key=f"final-report:{done.pk}:returned:{done.reviewed_at:%Y%m%d%H%M%S%f}:{email}",
                to_email=email,
                to_user=user,
                template_key="final-report-returned",
                values=_values(done),
                about=done,
            )
    return done


def _tell_finance(report: FinalReport, owed: Decimal) -> None:
    path = reverse("funding:recovery-create", args=[report.award_id])
    for user in User.objects.filter(role=Role.FINANCE_OFFICER, is_active=True).order_by("email"):
        queue_message(
            key=f"final-report:{report.pk}:underspend:{user.pk}",
            to_email=user.email,
            to_user=user,
            template_key="final-report-underspend",
            values=_values(report, amount=gbp(owed), link=link(path)),
            about=report,
        )


# ---- What other apps ask ---------------------------------------------------------------------------------------


def completion_blocker(award: Award) -> str | None:
    """funding.hooks' completion gate: a grant completes only once its final report is accepted."""
    if award.kind != AwardKind.GRANT:
        return None
    if FinalReport.objects.filter(award_id=award.pk, status=FinalReportStatus.ACCEPTED).exists():
        return None
    return "A grant is completed when its final report is accepted"


def accepted_final_spend(award: Award) -> Decimal | None:
    """funding.hooks' final spend: the accepted final report's total, never more than was paid."""
    report = FinalReport.objects.filter(award_id=award.pk, status=FinalReportStatus.ACCEPTED).first()
    if report is None or report.spend_total is None:
        return None
    return min(report.spend_total, ledger.paid_on_award(award))
