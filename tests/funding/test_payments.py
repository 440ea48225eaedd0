"""Payments: never dated in the future; the list of payments due; what finance and the PCC see on their home pages."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from freezegun import freeze_time

from funding.models import Award, AwardYear, Payment, PaymentScheduleKind, PaymentScheduleLine
from funding.services import allocation, awards
from opcc.models import Role
from tests.conftest import sign_in
from tests.funding.factories import IncomeLineFactory, PotFactory, YearFactory, approved_year, award

D = Decimal
TODAY = "2026-11-25 12:00:00"


@pytest.fixture
def frozen():
    with freeze_time(TODAY):
        yield


@pytest.fixture
def year(db, frozen):
    return approved_year(income="1000000", police="900000")


def pay_form(line, amount, day):
    return {"schedule_line": line.pk if line else "", "amount": amount,
            "paid_on_0": str(day.day), "paid_on_1": str(day.month), "paid_on_2": str(day.year)}


# ---- A payment's date is today or in the past -----------------------------------------------

def test_a_payment_dated_in_the_future_is_refused_and_nothing_is_paid(client, world, year):
    pot = PotFactory(year=year, allocated=D("10000"))
    a = award(organisation=world.organisation, pot=pot, amount="4000")
    line = a.schedule.get()
    sign_in(client, world.users[Role.FINANCE_OFFICER])
    body = client.post(f"/funding/awards/{a.pk}/payments/new/", pay_form(line, "4000", date(2027, 12, 25))).content.decode()
    assert "govuk-error-summary" in body and "Date paid must be today or in the past" in body
    assert 'href="#id_paid_on_0"' in body or 'href="#id_paid_on"' in body
    assert 'value="2027"' in body  # what was typed is kept
    assert not Payment.objects.exists()
    assert "£0.00" in re.search(r"Paid to date</dt>.*?</dd>", client.get(f"/funding/awards/{a.pk}/").content.decode(), re.S).group(0)
    # Tomorrow is still the future; today is fine.
    body = client.post(f"/funding/awards/{a.pk}/payments/new/", pay_form(line, "4000", date(2026, 11, 26))).content.decode()
    assert "Date paid must be today or in the past" in body
    response = client.post(f"/funding/awards/{a.pk}/payments/new/", pay_form(line, "4000", date(2026, 11, 25)))
    assert response.status_code == 302 and Payment.objects.get().paid_on == date(2026, 11, 25)


def test_the_service_refuses_a_future_payment_date_too(world, year):
    pot = PotFactory(year=year, allocated=D("10000"))
    a = award(organisation=world.organisation, pot=pot, amount="4000")
    with pytest.raises(ValidationError) as error:
        awards.record_payment(award=a, amount=D("100"), paid_on=date(2027, 12, 25), by=None)
    assert error.value.message_dict == {"paid_on": ["Date paid must be today or in the past"]}
    assert not Payment.objects.exists()


# ---- Payments due ----------------------------------------------------------------------------

@pytest.fixture
def due_world(world, year):
    """Awards whose schedule lines cover every case the list must get right."""
    pot = PotFactory(year=year, allocated=D("500000"), name="Victim services")
    org = world.organisation
    w = type("DueWorld", (), {})()
    # In advance, due 1 April 2026, unpaid: due.
    w.advance = award(organisation=org, pot=pot, amount="1200", title="Advance grant")
    # Quarterly in arrears: Q1 (due 30 Jul) accepted and unpaid: due. Q2 (due 30 Oct) not accepted: waiting.
    # Q3 and Q4 are not due yet.
    w.arrears = award(organisation=org, pot=pot, amount="40000", schedule=PaymentScheduleKind.QUARTERLY_ARREARS,
                      title="Arrears contract", kind="contract")
    awards.release_arrears_payment(award=w.arrears, start_year=2026, quarter=1, accepted_at=timezone.now())
    # Instalments from 1 July: the first (£3,000, due 1 Jul) part paid £1,000; the second (due 14 Nov) unpaid.
    w.instalments = award(organisation=org, pot=pot, amount="6000", start=date(2026, 7, 1), end=date(2027, 3, 31),
                          schedule=PaymentScheduleKind.INSTALMENTS, title="Instalment grant")
    first = w.instalments.schedule.order_by("due_date").first()
    awards.record_payment(award=w.instalments, amount=D("1000"), paid_on=date(2026, 7, 2), by=None, schedule_line=first)
    # Paid in full: not due.
    w.paid = award(organisation=org, pot=pot, amount="500", title="Paid grant")
    awards.record_payment(award=w.paid, amount=D("500"), paid_on=date(2026, 4, 2), by=None,
                          schedule_line=w.paid.schedule.get())
    # Pending (not started) and cancelled awards cannot be paid: not due.
    w.pending = award(organisation=org, pot=pot, amount="700", title="Pending grant", activate=False)
    w.cancelled = award(organisation=org, pot=pot, amount="800", title="Cancelled grant", activate=False)
    awards.end_award(award=w.cancelled, transition="cancel", by=None, note="Lapsed", check_permission=False)
    return w


def rows(body):
    table = re.search(r'<table class="govuk-table" id="payments-due">.*?</table>', body, re.S).group(0)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", r)).strip()
            for r in re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", table, re.S)]


def test_finance_sees_the_payments_due_oldest_first_with_totals_and_a_link_to_pay_each(client, world, due_world):
    sign_in(client, world.users[Role.FINANCE_OFFICER])
    body = client.get("/funding/payments-due/").content.decode()
    found = rows(body)[1:]  # after the header
    assert [r.split(" ")[0:3] for r in found[:-1]] == [
        ["1", "Apr", "2026"], ["1", "Jul", "2026"], ["30", "Jul", "2026"], ["14", "Nov", "2026"]]
    assert "Advance grant" in found[0] and "£1,200.00" in found[0]
    assert "Instalment grant" in found[1] and "Part paid" in found[1] and "£2,000.00" in found[1]
    assert "Arrears contract" in found[2] and "Q1 2026/27 in arrears" in found[2] and "£10,000.00" in found[2]
    assert "Instalment grant" in found[3] and "second instalment" in found[3] and "£3,000.00" in found[3]
    for absent in ("Paid grant", "Pending grant", "Cancelled grant", "Q2 2026/27", "Q3 2026/27"):
        assert absent not in body
    # Totals: 4 payments, £16,200.00; Q2's £10,000.00 waits for its return.
    assert "Total of 4 payments due" in found[-1] and "£16,200.00" in found[-1]
    assert "1 more payment in arrears (£10,000.00) is due but cannot be paid until" in body
    q1 = due_world.arrears.schedule.get(quarter=1)
    link = f"/funding/awards/{due_world.arrears.pk}/payments/new/?line={q1.pk}"
    assert f'href="{link}"' in body
    # The link opens the payment form with that line chosen and what is left of it filled in.
    form = client.get(link).content.decode()
    assert re.search(rf'value="{q1.pk}"[^>]*checked', form) and 'value="10000.00"' in form


def test_the_office_can_read_the_list_but_only_finance_is_offered_to_pay(client, world, due_world):
    sign_in(client, world.users[Role.PCC])
    body = client.get("/funding/payments-due/").content.decode()
    assert "Advance grant" in body and "Record payment" not in body


def test_payments_due_runs_the_same_number_of_queries_for_few_or_many_lines(client, world, year):
    pot = PotFactory(year=year, allocated=D("500000"))

    def lines(n, org):
        created = Award.objects.bulk_create([
            Award(reference=f"Q-{org.pk}-{i}", organisation=org, pot=pot, kind="grant", title=f"Bulk {i}", purpose="x",
                  start_date=date(2026, 4, 1), end_date=date(2027, 3, 31), amount=D("10"), schedule_kind="in_advance",
                  status="active") for i in range(n)])
        years = AwardYear.objects.bulk_create([AwardYear(award=a, pot=pot, amount=D("10")) for a in created])
        PaymentScheduleLine.objects.bulk_create([
            PaymentScheduleLine(award=a, award_year=y, due_date=date(2026, 4, 1), amount=D("10"), description="In advance")
            for a, y in zip(created, years, strict=True)])

    sign_in(client, world.users[Role.FINANCE_OFFICER])

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/funding/payments-due/").status_code == 200
        return len(ctx.captured_queries)

    lines(3, world.organisation)
    few = count()
    lines(90, world.other_organisation)
    assert count() == few


def test_finances_home_panel_shows_the_payments_due_and_links_to_them(client, world, due_world):
    sign_in(client, world.users[Role.FINANCE_OFFICER])
    body = client.get("/home/").content.decode()
    figure = re.search(r'<a [^>]*id="payments-due-figure"[^>]*>.*?</a>', body, re.S).group(0)
    assert 'href="/funding/payments-due/"' in figure and ">4<" in figure and "payments due, £16,200" in figure
    assert 'href="/funding/payments-due/"' in body  # and funding's navigation has it
    sign_in(client, world.users[Role.COMMISSIONING_OFFICER])
    assert "payments-due-figure" not in client.get("/home/").content.decode()


# ---- The PCC's approval ----------------------------------------------------------------------

def test_the_pcc_home_page_shows_a_draft_allocation_waiting_for_approval(client, world, year):
    draft = YearFactory(start_year=2027)
    IncomeLineFactory(year=draft, amount=D("1000"))
    sign_in(client, world.users[Role.PCC])
    body = client.get("/home/").content.decode()
    assert "Waiting for your approval" in body and "The draft allocation for 2027 to 2028 is waiting for your approval" in body
    assert 'href="/funding/2027/approve/"' in body
    for role in (Role.FINANCE_OFFICER, Role.COMMISSIONING_OFFICER):
        sign_in(client, world.users[role])
        assert "Waiting for your approval" not in client.get("/home/").content.decode()
    allocation.approve(year=draft, by=world.users[Role.PCC], note="")
    sign_in(client, world.users[Role.PCC])
    assert "Waiting for your approval" not in client.get("/home/").content.decode()


# ---- The year page's variations --------------------------------------------------------------

def test_the_year_page_mentions_variations_only_when_there_are_some(client, world, year):
    pot = PotFactory(year=year, name="CGS", allocated=D("10000"))
    sign_in(client, world.users[Role.COMMISSIONING_OFFICER])
    body = client.get("/funding/2026/").content.decode()
    assert "listed as variations below" not in body and "variations since approval" not in body.lower()
    assert "There have been no variations since." in body
    allocation.set_pot_allocation(pot=pot, amount=D("12000"), by=world.users[Role.FINANCE_OFFICER], reason="More need")
    body = client.get("/funding/2026/").content.decode()
    assert 'href="#variations"' in body and 'id="variations">Variations since approval' in body and "More need" in body


# ---- Money in the exports ----------------------------------------------------------------------

def test_every_money_figure_in_the_funding_exports_has_pounds_and_pence(client, world, year):
    import csv
    import io

    pot = PotFactory(year=year, allocated=D("64000"))
    a = award(organisation=world.organisation, pot=pot, amount="18500", match_funding_amount=D("6000"),
              match_funding_source="Lottery")
    awards.record_payment(award=a, amount=D("1234.5"), paid_on=date(2026, 5, 1), by=None)
    sign_in(client, world.users[Role.FINANCE_OFFICER])
    rows = list(csv.DictReader(io.StringIO(client.get("/funding/awards/export.csv").content.decode("utf-8-sig"))))
    for key in ("Amount", "Committed", "Paid", "Match funding"):
        assert all(re.fullmatch(r"\d+\.\d\d", r[key]) for r in rows), (key, [r[key] for r in rows])
    assert rows[0]["Committed"] == "18500.00" and rows[0]["Paid"] == "1234.50"
    rows = list(csv.reader(io.StringIO(client.get("/funding/2026/export.csv").content.decode("utf-8-sig"))))[1:]
    money = [cell for row in rows for cell in row[3:] if cell]
    assert money and all(re.fullmatch(r"\d+\.\d\d", cell) for cell in money), money
