"""Payments reporting under the Procurement Act: the six-monthly compliance figures, the notice and its approval,
and the payments over £30,000 per quarter."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from freezegun import freeze_time

from commissioning.models import Contract, Notice, NoticeKind, Route
from commissioning.notice_content import prepare
from opcc.calendar import Quarter
from opcc.models import Role
from opcc.testing import verified_client
from reporting.selectors import payments_compliance as compliance
from reporting.services import payments_compliance as services
from tests.funding.factories import PotFactory, approved_year
from tests.funding.factories import award as make_award
from tests.reporting.payments_factories import contract, pay

D = Decimal
SUMMER = compliance.period_of(date(2026, 6, 1))


@pytest.fixture
def ledger(world):
    """Payments in the summer period at the edges of each band (0, 30, 31, 60, 61 days), one either side of the
    period, and payments that must not count: a grant, a contract procured before the Act, a below-threshold one."""
    act = contract(world)
    pay(act, date(2026, 3, 31), days=5)  # the last day of the first period
    for days, paid_on in (
        (0, date(2026, 4, 1)),
        (30, date(2026, 5, 1)),
        (31, date(2026, 6, 1)),
        (60, date(2026, 7, 1)),
    ):
        pay(act, paid_on, days=days)
    pay(act, date(2026, 9, 30), days=61)  # the period's last day
    pay(act, date(2026, 10, 1), days=1)  # the next period's first day
    old = contract(world, title="Old regime service", chosen_on=date(2025, 2, 23))
    pay(old, date(2026, 6, 1), days=90)
    # Recorded from the contract register: its procurement row is new, but it was signed before the Act.
    register = contract(world, title="Recorded from the register")
    Contract.objects.filter(award=register).update(signed_on=date(2024, 3, 8))
    pay(register, date(2026, 6, 1), days=90)
    small = contract(world, title="Small service", route=Route.TENDER, amount="60000")
    pay(small, date(2026, 6, 1), days=90)
    grant = make_award(
        organisation=world.organisation, pot=PotFactory(year=approved_year(2027)), amount="5000"
    )
    pay(grant, date(2026, 6, 1), days=90)
    return act


def test_periods_are_april_to_september_and_october_to_march_the_first_from_january_2026():
    assert compliance.period_of(date(2025, 12, 31)) is None
    first = compliance.period_of(date(2026, 2, 1))
    assert (first.start, first.end, first.due_by) == (date(2026, 1, 1), date(2026, 3, 31), date(2026, 4, 30))
    assert (SUMMER.start, SUMMER.end, SUMMER.due_by) == (
        date(2026, 4, 1),
        date(2026, 9, 30),
        date(2026, 10, 30),
    )
    winter = compliance.period_of(date(2027, 3, 31))
    assert (winter.start, winter.end) == (date(2026, 10, 1), date(2027, 3, 31))
    assert compliance.period_of(date(2026, 10, 1)) == winter
    assert compliance.period_starting(date(2026, 5, 1)) is None


def test_figures_count_days_from_the_day_after_the_invoice_in_bands_at_their_edges(ledger):
    figures = compliance.period_figures(SUMMER)
    # Only the five Act contract payments inside 1 April to 30 September: not the grant, the pre-Act contract, the
    # below-threshold contract, or the payments on 31 March and 1 October.
    assert figures.payments == 5
    assert (figures.within_30, figures.from_31_to_60, figures.from_61) == (2, 2, 1)
    assert figures.average_days == D("36.4")  # (0 + 30 + 31 + 60 + 61) / 5
    assert (figures.within_30_percent, figures.from_31_to_60_percent, figures.from_61_percent) == (
        D("40.0"),
        D("40.0"),
        D("20.0"),
    )
    assert figures.within_term_percent == D("40.0")


def test_every_period_in_one_query(ledger, django_assert_num_queries):
    with django_assert_num_queries(1):
        periods = compliance.figures_by_period()
    assert [(f.period.start, f.payments) for f in periods] == [
        (date(2026, 10, 1), 1),
        (date(2026, 4, 1), 5),
        (date(2026, 1, 1), 1),
    ]
    assert periods[1].average_days == D("36.4")


def test_payments_without_an_invoice_date_are_counted_but_left_out_of_the_days(world):
    act = contract(world)
    pay(act, date(2026, 6, 1), days=10)
    pay(act, date(2026, 6, 2), days=None)
    figures = compliance.period_figures(SUMMER)
    assert (figures.payments, figures.dated, figures.undated, figures.average_days) == (2, 1, 1, D("10.0"))
    assert figures.within_30_percent == D("100.0")


def test_the_daily_sweep_drafts_a_notice_per_ended_period_with_payments(ledger):
    notices = services.ensure_notices(today=date(2026, 10, 2))
    assert [(n.key, n.triggered_on, n.due_by) for n in notices] == [
        ("payments:2026-04-01", date(2026, 9, 30), date(2026, 10, 30)),
        ("payments:2026-01-01", date(2026, 3, 31), date(2026, 4, 30)),
    ]
    services.ensure_notices(today=date(2026, 10, 3))
    assert Notice.objects.filter(kind=NoticeKind.PAYMENTS_COMPLIANCE).count() == 2


def test_the_notice_waits_for_the_finance_directors_approval(world, ledger):
    (notice, *_) = services.ensure_notices(today=date(2026, 10, 2))
    prepared = prepare(notice)
    assert any("approval" in m for m in prepared.missing)
    rows = dict(prepared.rows)
    assert rows["Average number of days taken to pay"] == "36.4"
    assert rows["Paid on or after day 61"] == "20.0%"
    services.record_approval(
        period=SUMMER,
        approver_name="Sam Price",
        approver_job_title="Chief Finance Officer",
        by=world.users[Role.FINANCE_OFFICER],
        today=date(2026, 10, 2),
    )
    prepared = prepare(notice)
    assert prepared.missing == []
    assert dict(prepared.rows)["Approved by"] == "Sam Price, Chief Finance Officer"


def test_approval_refused_before_the_period_ends_and_to_anyone_but_finance(world):
    with pytest.raises(ValidationError) as refused:
        services.record_approval(
            period=SUMMER,
            approver_name="Sam Price",
            approver_job_title="",
            by=world.users[Role.FINANCE_OFFICER],
            today=date(2026, 9, 30),
        )
    assert set(refused.value.message_dict) == {"approver_job_title", "__all__"}
    with pytest.raises(PermissionDenied):
        services.record_approval(
            period=SUMMER,
            approver_name="Sam Price",
            approver_job_title="CFO",
            by=world.users[Role.HEAD_OF_COMMISSIONING],
            today=date(2026, 10, 2),
        )


def test_payments_over_30000_per_quarter(world):
    act = contract(world)
    pay(act, date(2026, 3, 31), amount="90000.00")  # before 1 April 2026: not yet
    pay(act, date(2026, 4, 1), amount="30000.00")  # not over £30,000
    over = pay(act, date(2026, 6, 30), amount="30000.01")
    later = pay(act, date(2026, 7, 1), amount="45000.00")
    old = contract(world, title="Old regime service", chosen_on=date(2025, 2, 1))
    pay(old, date(2026, 5, 1), amount="99000.00")
    assert list(compliance.large_payments_in(Quarter(2026, 1))) == [over]
    assert list(compliance.large_payments_in(Quarter(2026, 2))) == [later]
    assert compliance.quarters_with_large_payments() == [
        (Quarter(2026, 2), 1, D("45000.00")),
        (Quarter(2026, 1), 1, D("30000.01")),
    ]
    assert compliance.quarter_due_by(Quarter(2026, 1)) == date(2026, 7, 30)


def test_finance_sees_the_figures_the_rows_and_downloads_them(world, ledger, django_assert_max_num_queries):
    client = verified_client(world.users[Role.FINANCE_OFFICER])
    overview = client.get("/payments-reporting/").content.decode()
    assert "1 April 2026 to 30 September 2026" in overview and "36.4" in overview
    with django_assert_max_num_queries(14):
        page = client.get("/payments-reporting/periods/2026-04-01/")
    text = page.content.decode()
    assert (
        "Victim support hub Ltd" in text
        and "Old regime service" not in text
        and "Record the approval" in text
    )
    csv = client.get("/payments-reporting/periods/2026-04-01.csv").content.decode("utf-8-sig").splitlines()
    assert csv[0].startswith("Paid on,Invoice received,Days to pay")
    assert len(csv) == 6
    assert client.get("/payments-reporting/periods/2026-05-01/").status_code == 404


@freeze_time("2026-10-05")
def test_finance_records_the_approval_with_every_error_at_once(world, ledger):
    client = verified_client(world.users[Role.FINANCE_OFFICER])
    url = "/payments-reporting/periods/2026-04-01/approve/"
    refused = client.post(url, {"approver_name": "", "approver_job_title": ""}).content.decode()
    assert (
        "Enter the name of the officer who approves the notice" in refused
        and "Enter their job title" in refused
    )
    done = client.post(url, {"approver_name": "Sam Price", "approver_job_title": "Chief Finance Officer"})
    assert done.status_code == 302
    assert "Sam Price, Chief Finance Officer" in client.get(done.url).content.decode()
