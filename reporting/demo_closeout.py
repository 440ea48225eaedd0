"""Demo closeout: last year's grants have sent their final reports and been completed, one ended grant is still
waiting for its final report, and one closed with an underspend that finance has invoiced and not yet received.

Through the same services people use; idempotent (a grant already closed, a report already open, a recovery already
recorded are left as they are).
"""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from funding import ledger
from funding.models import Award, AwardKind, Recovery
from funding.services import awards, recoveries
from opcc.models import Membership, Role, User
from opcc.services.transitions import timeline_for
from reporting.models import FinalOutcome, FinalReport, FinalReportStatus, FinalSpendLine
from reporting.services import closeout
from reporting.services.closeout import FinalReportContent

D = Decimal
# The share of what it was paid the grant with an underspend spent.
UNDERSPENT = D("0.88")
NEXT_STEPS = [
    "The service continues: the parish councils and the community safety partnership fund it from April.",
    "The project has finished as planned; the volunteers it trained carry on as a group of their own.",
    "The service continues on a smaller scale with money from a national charity; referrals go on as before.",
]


def _member(award: Award) -> User | None:
    membership = Membership.objects.filter(organisation=award.organisation).select_related("user").first()
    return membership.user if membership else None


def _content(report: FinalReport, spent: Decimal, i: int) -> FinalReportContent:
    """`spent` shared over the budget lines in proportion to their budgets (the last line takes the pennies)."""
    lines = list(report.spend_lines.all())
    budget = sum((line.budget for line in lines), D("0")) or D("1")
    spend: dict[int, Decimal | None] = {}
    left = spent
    for n, line in enumerate(lines):
        part = left if n == len(lines) - 1 else (spent * line.budget / budget).quantize(D("0.01"))
        spend[line.pk] = part
        left -= part
    return FinalReportContent(
        spend=spend,
        spend_total=spent,
        achieved={
            o.pk: "Met the quarterly target in three of the four quarters (demo)."
            for o in report.outcomes.all()
        },
        service_next=NEXT_STEPS[i % len(NEXT_STEPS)],
    )


def _history(report: FinalReport, content: FinalReportContent, officer: User) -> None:
    """An award of an organisation with no demo contact: its report written and accepted as history, in bulk (demo
    data, not someone's action), then the award completed through its transition (the gate reads the accepted
    report)."""
    for line in report.spend_lines.all():
        FinalSpendLine.objects.filter(pk=line.pk).update(spent=content.spend[line.pk])
    for outcome in report.outcomes.all():
        FinalOutcome.objects.filter(pk=outcome.pk).update(achieved=content.achieved[outcome.pk])
    when = timezone.make_aware(datetime.combine(report.due_date - timedelta(days=7), time(11, 0)))
    FinalReport.objects.filter(pk=report.pk).update(
        status=FinalReportStatus.ACCEPTED,
        spend_total=content.spend_total,
        service_next=content.service_next,
        submitted_at=when,
        reviewed_at=when + timedelta(days=3),
        reviewed_by=officer,
    )
    awards.change_status(
        award=report.award, transition="complete", by=officer, note="Delivered; the final report is accepted."
    )
    timeline_for(report.award).filter(to_state="completed").update(at=when + timedelta(days=3))


def load(officer: User, today) -> str:
    finance = User.objects.filter(role=Role.FINANCE_OFFICER, is_active=True).order_by("pk").first()
    ended = list(
        Award.objects.filter(kind=AwardKind.GRANT, status=Award.Status.ACTIVE, end_date__lt=today)
        .select_related("organisation")
        .order_by("-end_date", "pk")
    )
    with_contact = [a for a in ended if _member(a) is not None]
    if not with_contact:
        return ""
    waiting = with_contact[0]  # the latest to end is still to report
    underspent = with_contact[1] if len(with_contact) > 1 else None
    closed = 0
    for i, award in enumerate(ended):
        report = closeout.open_final_report(award, today=today) or FinalReport.objects.get(award=award)
        provider = _member(award)
        if award == waiting or report.status != FinalReportStatus.DRAFT:
            continue
        paid = ledger.paid_on_award(award)
        spent = (paid * UNDERSPENT).quantize(D("1")) if award == underspent else paid
        if provider is None:
            _history(report, _content(report, spent, i), officer)
        else:
            report = closeout.submit_final_report(
                report=report, content=_content(report, spent, i), by=provider
            )
            closeout.accept_final_report(report=report, by=officer)
        closed += 1
    if (
        underspent is not None
        and finance is not None
        and not Recovery.objects.filter(award=underspent).exists()
    ):
        underspent.refresh_from_db()
        spend = closeout.accepted_final_spend(underspent)
        if spend is not None and (owed := recoveries.underspend(underspent, spend)) > 0:
            recoveries.record_recovery(
                award=underspent,
                amount=owed,
                final_spend=spend,
                invoice_reference=f"INV-{today:%Y}-{underspent.pk:04d} (demo)",
                by=finance,
            )
    return f"{closed} grants closed on their final reports, {waiting.reference} waiting for its final report"
