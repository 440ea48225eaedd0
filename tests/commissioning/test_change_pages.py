"""The contract's changes page, the change form with its check step, applying a change that waited for its notice,
and the performance assessment form."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commissioning import gates
from commissioning.models import ContractChange, Notice, NoticeKind, PerformanceAssessment
from commissioning.services import changes as change_services
from commissioning.services import notices as notice_services
from commissioning.services import performance as performance_services
from tests.commissioning import factories as f
from tests.conftest import sign_in

D = Decimal


@pytest.fixture
def commission(world, pots):
    return f.direct_award_in_review(world, pots)


def answers(**more):
    data = {
        "value_direction": "increase",
        "value_amount": "45000",
        "new_end_date_0": "",
        "new_end_date_1": "",
        "new_end_date_2": "",
        "scope_change": "",
        "reason": "Demand in rural areas",
        "agreed_on_0": "1",
        "agreed_on_1": "12",
        "agreed_on_2": "2026",
    }
    data.update(more)
    return data


def test_bad_answers_show_every_error_at_once_and_save_nothing(client, world, commission):
    sign_in(client, f.officer_of(world))
    url = f"/commissioning/{commission.pk}/contract/changes/new/"
    response = client.post(url, answers(value_amount="", reason="", agreed_on_2=""))
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    for message in (
        "Enter the amount the value changes by",
        "Enter the reason for the change",
        "The date the change was agreed must include a day, month and year",
    ):
        assert message in page
    assert not ContractChange.objects.exists()


def test_the_check_step_shows_the_size_and_the_notice_before_anything_is_recorded(client, world, commission):
    sign_in(client, f.officer_of(world))
    url = f"/commissioning/{commission.pk}/contract/changes/new/"
    page = client.post(url, answers()).content.decode()
    assert "Check the change before you record it" in page
    assert "15.00% of the estimated value of £300,000.00" in page
    assert "A contract change notice is needed" in page
    assert not ContractChange.objects.exists()
    response = client.post(url, {**answers(), "confirmed": "1"})
    assert response.status_code == 302
    change = ContractChange.objects.get()
    assert change.status == ContractChange.Status.WAITING
    listing = client.get(f"/commissioning/{commission.pk}/contract/changes/").content.decode()
    assert "Waiting for the notice" in listing


def test_a_change_is_applied_from_its_page_once_the_notice_is_published(client, world, commission):
    officer = f.officer_of(world)
    contract = gates.current_contract(commission)
    change = change_services.propose_change(
        contract=contract,
        value_change=D("45000"),
        new_end_date=None,
        scope_change="",
        reason="Demand",
        agreed_on=date(2026, 12, 1),
        by=officer,
    )
    sign_in(client, officer)
    url = f"/commissioning/{commission.pk}/contract/changes/{change.pk}/apply/"
    page = client.get(url).content.decode()
    assert "cannot be modified before the notice is published" in page
    assert client.post(url).status_code == 200  # closed: nothing posted is used
    contract.award.refresh_from_db()
    assert contract.award.amount == D("300000")
    notice_services.record_publication(
        notice=Notice.objects.get(kind=NoticeKind.CONTRACT_CHANGE),
        identifier="054321-2026",
        published_on=date(2026, 12, 2),
        by=officer,
    )
    assert client.post(url).status_code == 302
    contract.award.refresh_from_db()
    assert contract.award.amount == D("345000")


def test_the_changes_page_runs_the_same_number_of_queries_with_more_changes(client, world, commission):
    officer = f.officer_of(world)
    contract = gates.current_contract(commission)
    sign_in(client, officer)
    url = f"/commissioning/{commission.pk}/contract/changes/"

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    def add(n):
        for i in range(n):
            change_services.propose_change(
                contract=contract,
                value_change=D("0"),
                new_end_date=None,
                scope_change=f"Change {i}",
                reason="Scope",
                agreed_on=date(2026, 12, 1),
                by=officer,
            )

    add(1)
    few = count()
    add(5)
    assert count() == few


def test_the_performance_form_refuses_bad_answers_with_clear_errors(client, world, commission, monkeypatch):
    monkeypatch.setattr(performance_services, "KPI_VALUE", D("100000"))
    sign_in(client, f.officer_of(world))
    url = f"/commissioning/{commission.pk}/contract/performance/new/"
    bad = client.post(url, {"kpi_1": "Referrals", "kpi_2": "Referrals", "kpi_3": ""}).content.decode()
    assert "Enter key performance indicator 3" in bad
    assert "Choose the rating for key performance indicator 1" in bad
    assert not PerformanceAssessment.objects.exists()
    good = {
        "period_start_0": "1",
        "period_start_1": "1",
        "period_start_2": "2026",
        "period_end_0": "30",
        "period_end_1": "11",
        "period_end_2": "2026",
        "assessed_on_0": "1",
        "assessed_on_1": "12",
        "assessed_on_2": "2026",
        "kpi_1": "Referrals seen within 5 days",
        "rating_1": "good",
        "kpi_2": "Safety improved",
        "rating_2": "inadequate",
        "kpi_3": "Satisfaction",
        "rating_3": "approaching_target",
    }
    page = client.post(url, good).content.decode()
    assert "The period cannot start before the contract did" in page
    good.update(period_start_2="2027", period_end_2="2027", assessed_on_2="2027")
    # Dates in 2027 are in the future today: the assessment date is refused.
    assert "cannot be in the future" in client.post(url, good).content.decode()
    assert not PerformanceAssessment.objects.exists()


def test_the_performance_form_is_closed_for_a_contract_under_5_million(client, world, commission):
    sign_in(client, f.officer_of(world))
    page = client.get(f"/commissioning/{commission.pk}/contract/performance/new/").content.decode()
    assert "only contracts over £5 million that are not light-touch do" in page
    assert "Record the assessment" not in page


def test_changing_the_answers_from_the_check_step_keeps_them(client, world, commission):
    sign_in(client, f.officer_of(world))
    url = f"/commissioning/{commission.pk}/contract/changes/new/"
    page = client.post(url, {**answers(reason="Demand in rural areas"), "edit": "1"}).content.decode()
    assert "Change the contract" in page and "Demand in rural areas" in page
    assert "There is a problem" not in page
    assert not ContractChange.objects.exists()
