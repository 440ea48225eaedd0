"""What the transparency, contract change, termination and performance notices say, and their OCDS sections valid
against the OCDS 1.1.5 release schema."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from commissioning import gates
from commissioning.models import BreakNotice, Notice, NoticeKind
from commissioning.notice_content import prepare
from commissioning.services import changes as change_services
from commissioning.services import contracts as contract_services
from commissioning.services import performance as performance_services
from reporting.opendata.schemas import contracts_validator, errors
from tests.commissioning import factories as f

D = Decimal
TODAY = date(2026, 12, 7)


def valid(kind: str, sections: dict) -> list[str]:
    """The kind's sections inside a minimal release package (the notices' own packaging adds the buyer and tags)."""
    release = {
        "ocid": "ocds-b5fd17-CM-0001-1",
        "id": f"{kind}-1",
        "date": "2026-12-07T00:00:00Z",
        "tag": ["tender"],
        "initiationType": "tender",
        **sections,
    }
    package = {
        "uri": "https://example.org/notices.json",
        "publishedDate": "2026-12-07T00:00:00Z",
        "publisher": {"name": "West Mercia OPCC"},
        "version": "1.1",
        "releases": [release],
    }
    return errors(contracts_validator(), package)


@pytest.fixture
def commission(world, pots):
    return f.direct_award_in_review(world, pots)


def test_the_transparency_notice_names_the_justification_and_is_valid_ocds(commission):
    notice = Notice.objects.get(kind=NoticeKind.TRANSPARENCY)
    prepared = prepare(notice)
    rows = dict(prepared.rows)
    assert rows["Direct award justification"].startswith("Paragraph 6:")
    assert rows["Estimated value"] == "£300,000.00"
    assert prepared.missing == []
    assert prepared.release["tender"]["procurementMethod"] == "limited"
    assert "Schedule 5 paragraph 6" in prepared.release["tender"]["procurementMethodRationale"]
    assert valid(notice.kind, prepared.release) == []


def test_the_contract_change_notice_shows_the_size_and_is_valid_ocds(world, commission):
    contract = gates.current_contract(commission)
    change = change_services.propose_change(
        contract=contract,
        value_change=D("45000"),
        new_end_date=None,
        scope_change="Add an outreach worker in Herefordshire",
        reason="Demand in rural areas",
        agreed_on=date(2026, 12, 1),
        by=f.officer_of(world),
        today=TODAY,
    )
    notice = Notice.objects.get(kind=NoticeKind.CONTRACT_CHANGE)
    assert notice.contract == contract and notice.due_by is None
    prepared = prepare(notice)
    rows = dict(prepared.rows)
    assert rows["Value"].startswith("£300,000.00 to £345,000.00 (+£45,000.00, 15.00%")
    assert rows["Scope"] == "Add an outreach worker in Herefordshire"
    amendment = prepared.release["contracts"][0]["amendments"][0]
    assert amendment["rationale"] == "Demand in rural areas"
    assert amendment["id"].endswith(f"change-{change.pk}")
    assert valid(notice.kind, prepared.release) == []


def test_a_break_notice_reaching_its_exit_drafts_the_termination_notice(world, commission):
    contract = gates.current_contract(commission)
    notice = BreakNotice.objects.create(
        contract=contract,
        served_by=BreakNotice.Party.OFFICE,
        served_on=date(2027, 1, 10),
        exit_date=date(2027, 4, 10),
        reason="Service redesigned",
        by=f.officer_of(world),
    )
    contract_services.apply_break_notice(notice=notice)
    termination = Notice.objects.get(kind=NoticeKind.CONTRACT_TERMINATION)
    assert termination.triggered_on == date(2027, 4, 10)
    assert termination.due_by == date(2027, 4, 10) + timedelta(days=29)
    prepared = prepare(termination)
    assert "Ended under the break clause" in dict(prepared.rows)["Why it ended"]
    assert prepared.release["contracts"][0]["status"] == "terminated"
    assert valid(termination.kind, prepared.release) == []
    # Its expiry later drafts no second notice.
    assert change_services.draft_expiry_notices(today=date(2030, 2, 1)) == 0


def test_a_below_threshold_contract_ends_without_a_termination_notice(world, pots):
    c, _ = f.decided_tender(world)
    f.contract_for(world, c, pots[2026])
    assert change_services.draft_expiry_notices(today=date(2031, 1, 1)) == 0
    assert not Notice.objects.filter(kind=NoticeKind.CONTRACT_TERMINATION).exists()


def test_the_performance_notice_lists_each_rating_and_is_valid_ocds(world, pots, monkeypatch):
    monkeypatch.setattr(performance_services, "KPI_VALUE", D("100000"))
    contract = gates.current_contract(f.direct_award_in_review(world, pots))
    performance_services.record_assessment(
        contract=contract,
        period_start=date(2027, 1, 1),
        period_end=date(2027, 12, 31),
        assessed_on=date(2028, 1, 15),
        ratings=[
            ("Referrals seen within 5 days", "good"),
            ("Cases closed with improved safety", "approaching_target"),
            ("Service user satisfaction", "requires_improvement"),
        ],
        notes="",
        by=f.officer_of(world),
        today=date(2028, 1, 20),
    )
    notice = Notice.objects.get(kind=NoticeKind.CONTRACT_PERFORMANCE)
    assert (notice.triggered_on, notice.due_by) == (date(2028, 1, 15), date(2028, 1, 15))
    prepared = prepare(notice)
    rows = dict(prepared.rows)
    assert rows["Key performance indicator: Service user satisfaction"] == "Requires improvement"
    assert valid(notice.kind, prepared.release) == []


def test_de_commissioning_a_public_contract_drafts_its_termination_notice(world, commission):
    from django.utils import timezone

    from commissioning.models import ReviewDecision
    from commissioning.services import commissions as commission_services
    from commissioning.services import review as review_services
    from opcc.models import Role

    officer = f.officer_of(world)
    review_services.record_review(
        commission=commission,
        decision=ReviewDecision.Decision.DECOMMISSION,
        reasons="Need has moved",
        by=officer,
    )
    review_services.record_decommissioning_plan(
        commission=commission,
        support_offered="Help to find other funding",
        exit_date=date(2027, 3, 31),
        service_user_transition="Referred to the IDVA service",
        agreed_on=date(2026, 11, 20),
        keep=D("0"),
        by=officer,
    )
    commission_services.transition(
        commission=commission, name="decommission", by=world.users[Role.HEAD_OF_COMMISSIONING], note="Agreed"
    )
    notice = Notice.objects.get(kind=NoticeKind.CONTRACT_TERMINATION)
    today = timezone.localdate()
    assert (notice.triggered_on, notice.due_by) == (today, today + timedelta(days=29))
    assert "de-commissioned" in dict(prepare(notice).rows)["Why it ended"]
