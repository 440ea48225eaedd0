"""The commissioning demo's records read as staff would write them."""

from commissioning.models import Score
from tests import demo_data


def test_the_demo_evaluators_comments_keep_their_capitals(db):
    # The commissioning demo (where the scores are) and what it stands on, not the whole demo.
    demo_data.load("core", "funding", "commissioning")
    comments = set(Score.objects.values_list("comment", flat=True))
    assert (
        "Scored against the published guidance: works with SARCs, schools, CAMHS and children's services."
        in comments
    )
    assert not any("sarcs" in comment or "camhs" in comment for comment in comments)


def test_the_demo_regulated_tender_reached_its_contract_after_the_standstill(db):
    from commissioning.award import award_stage
    from commissioning.models import AssessmentSummary, Commission, Notice, NoticeKind

    demo_data.load("core", "funding", "commissioning")
    c = Commission.objects.get(title="Victims' information website and referral portal")
    procurement = c.procurements.get()
    stage = award_stage(procurement)
    assert stage.published_on is not None and not stage.unsent and len(stage.summaries) == 3
    assert all(
        s.sent_at.date() < stage.published_on
        for s in AssessmentSummary.objects.filter(procurement=procurement)
    )
    assert procurement.contract.signed_on > stage.ends_on
    details = Notice.objects.get(kind=NoticeKind.CONTRACT_DETAILS, contract=procurement.contract)
    # Still to publish: the officer sees it due, not overdue.
    from opcc.demo_utils import demo_today

    assert details.status == Notice.Status.DRAFT and details.due_by >= demo_today()


def test_the_demo_contracts_under_the_act_are_paid_on_their_invoices(db):
    from reporting.selectors.payments_compliance import (
        act_contract_payments,
        figures_by_period,
        large_payments,
    )

    demo_data.load("core", "funding", "commissioning")
    paid = act_contract_payments()
    assert set(paid.values_list("award__title", flat=True)) == {
        "Domestic abuse advisers in hospital emergency departments",
        "Case management system for victim services",
    }
    # Every payment has its invoice date, none before the invoice, and the days to pay vary as in life.
    days = {(p.paid_on - p.invoice_received_on).days for p in paid}
    assert min(days) > 0 and any(d <= 30 for d in days) and any(31 <= d <= 60 for d in days)
    assert any(d > 60 for d in days)
    figures = figures_by_period()
    assert len(figures) >= 2 and all(f.dated == f.payments for f in figures)
    assert sum(f.payments for f in figures) == paid.filter(paid_on__gte=figures[-1].period.start).count()
    assert large_payments().filter(award__title__startswith="Domestic abuse advisers").exists()
    # Never more than the award: the ledger's own checks let every payment through.
    for award_id in set(paid.values_list("award", flat=True)):
        award = paid.filter(award=award_id).first().award
        assert sum(p.amount for p in award.payments.all()) <= award.amount
