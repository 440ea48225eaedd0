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
    return {
        "schedule_line": line.pk if line else "",
        "amount": amount,
        "paid_on_0": str(day.day),
        "paid_on_1": str(day.month),
        "paid_on_2": str(day.year),
        # The invoice arrived the day it was paid: contract payments must say when (grants may).
        "invoice_received_on_0": str(day.day),
        "invoice_received_on_1": str(day.month),
        "invoice_received_on_2": str(day.year),
    }


# ---- A payment's date is today or in the past -----------------------------------------------


def test_a_payment_dated_in_the_future_is_refused_and_nothing_is_paid(client, world, year):
    pot = PotFactory(year=year, allocated=D("10000"))
    a = award(organisation=world.organisation, pot=pot, amount="4000")
    line = a.schedule.get()
    sign_in(client, world.users[Role.FINANCE_OFFICER])
    body = client.post(
        f"/funding/awards/{a.pk}/payments/new/", pay_form(line, "4000", date(2027, 12, 25))
    ).content.decode()
    assert "govuk-error-summary" in body and "Date paid must be today or in the past" in body
    assert 'href="#id_paid_on_0"' in body or 'href="#id_paid_on"' in body
    assert 'value="2027"' in body  # what was typed is kept
    assert not Payment.objects.exists()
    assert "£0.00" in re.search(
        r"Paid to date</dt>.*?</dd>", client.get(f"/funding/awards/{a.pk}/").content.decode(), re.S
    ).group(0)
    # Tomorrow is still the future; today is fine.
    body = client.post(
        f"/funding/awards/{a.pk}/payments/new/", pay_form(line, "4000", date(2026, 11, 26))
    ).content.decode()
    assert "Date paid must be today or in the past" in body
    response = client.post(
        f"/funding/awards/{a.pk}/payments/new/", pay_form(line, "4000", date(2026, 11, 25))
    )
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
    w.arrears = award(
        organisation=org,
        pot=pot,
        amount="40000",
        schedule=PaymentScheduleKind.QUARTERLY_ARREARS,
        title="Arrears contract",
        kind="contract",
    )
    awards.release_arrears_payment(award=w.arrears, start_year=2026, quarter=1, accepted_at=timezone.now())
    # Instalments from 1 July: the first (£3,000, due 1 Jul) part paid £1,000; the second (due 14 Nov) unpaid.
    w.instalments = award(
        organisation=org,
        pot=pot,
        amount="6000",
        start=date(2026, 7, 1),
        end=date(2027, 3, 31),
        schedule=PaymentScheduleKind.INSTALMENTS,
        title="Instalment grant",
    )
    first = w.instalments.schedule.order_by("due_date").first()
    awards.record_payment(
        award=w.instalments, amount=D("1000"), paid_on=date(2026, 7, 2), by=None, schedule_line=first
    )
    # Paid in full: not due.
    w.paid = award(organisation=org, pot=pot, amount="500", title="Paid grant")
    awards.record_payment(
        award=w.paid, amount=D("500"), paid_on=date(2026, 4, 2), by=None, schedule_line=w.paid.schedule.get()
    )
    # Pending (not started) and cancelled awards cannot be paid: not due.
    w.pending = award(organisation=org, pot=pot, amount="700", title="Pending grant", activate=False)
    w.cancelled = award(organisation=org, pot=pot, amount="800", title="Cancelled grant", activate=False)
    awards.end_award(award=w.cancelled, transition="cancel", by=None, note="Lapsed", check_permission=False)
    return w


def rows(body):
    table = re.search(r'<table class="govuk-table" id="payments-due">.*?</table>', body, re.S).group(0)
    return [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", r)).strip()
        for r in re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", table, re.S)
    ]


def test_finance_sees_the_payments_due_oldest_first_with_totals_and_a_link_to_pay_each(
    client, world, due_world
):
    sign_in(client, world.users[Role.FINANCE_OFFICER])
    body = client.get("/funding/payments-due/").content.decode()
    found = rows(body)[1:]  # after the header
    assert [r.split(" ")[0:3] for r in found[:-1]] == [
        ["1", "Apr", "2026"],
        ["1", "Jul", "2026"],
        ["30", "Jul", "2026"],
        ["14", "Nov", "2026"],
    ]
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
        created = Award.objects.bulk_create(
            [
                Award(
                    reference=f"Q-{org.pk}-{i}",
                    organisation=org,
                    pot=pot,
                    kind="grant",
                    title=f"Bulk {i}",
                    purpose="x",
                    start_date=date(2026, 4, 1),
                    end_date=date(2027, 3, 31),
                    amount=D("10"),
                    schedule_kind="in_advance",
                    status="active",
                )
                for i in range(n)
            ]
        )
        years = AwardYear.objects.bulk_create([AwardYear(award=a, pot=pot, amount=D("10")) for a in created])
        PaymentScheduleLine.objects.bulk_create(
            [
                PaymentScheduleLine(
                    award=a, award_year=y, due_date=date(2026, 4, 1), amount=D("10"), description="In advance"
                )
                for a, y in zip(created, years, strict=True)
            ]
        )

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
    assert (
        "Waiting for your approval" in body
        and "The draft allocation for 2027 to 2028 is waiting for your approval" in body
    )
    assert 'href="/funding/2027/approve/"' in body
    # It comes first: before the other apps' sections, which have nothing waiting for the PCC.
    from grants import defaults

    defaults.ensure()  # the delegation levels, which a flushed database may have lost: grants' panel shows
    body = client.get("/home/").content.decode()
    assert "No grant decisions are waiting for you." in body
    assert body.index("Waiting for your approval") < body.index("No grant decisions are waiting for you.")
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
    allocation.set_pot_allocation(
        pot=pot, amount=D("12000"), by=world.users[Role.FINANCE_OFFICER], reason="More need"
    )
    body = client.get("/funding/2026/").content.decode()
    assert (
        'href="#variations"' in body
        and 'id="variations">Variations since approval' in body
        and "More need" in body
    )


# ---- Money in the exports ----------------------------------------------------------------------


def test_every_money_figure_in_the_funding_exports_has_pounds_and_pence(client, world, year):
    import csv
    import io

    pot = PotFactory(year=year, allocated=D("64000"))
    a = award(
        organisation=world.organisation,
        pot=pot,
        amount="18500",
        match_funding_amount=D("6000"),
        match_funding_source="Lottery",
    )
    awards.record_payment(award=a, amount=D("1234.5"), paid_on=date(2026, 5, 1), by=None)
    sign_in(client, world.users[Role.FINANCE_OFFICER])
    rows = list(
        csv.DictReader(io.StringIO(client.get("/funding/awards/export.csv").content.decode("utf-8-sig")))
    )
    for key in ("Amount", "Committed", "Paid", "Match funding"):
        assert all(re.fullmatch(r"\d+\.\d\d", r[key]) for r in rows), (key, [r[key] for r in rows])
    assert rows[0]["Committed"] == "18500.00" and rows[0]["Paid"] == "1234.50"
    rows = list(csv.reader(io.StringIO(client.get("/funding/2026/export.csv").content.decode("utf-8-sig"))))[
        1:
    ]
    money = [cell for row in rows for cell in row[3:] if cell]
    assert money and all(re.fullmatch(r"\d+\.\d\d", cell) for cell in money), money


# ---- A payment not on the schedule never pays what the schedule holds back ---------------------


def schedule_rows(body):
    """The award page's payment schedule by description: [due, payment, amount, paid, still to pay, status]."""
    table = re.search(r"Payment schedule</h2>\s*(?:<div[^>]*>)?<table.*?</table>", body, re.S).group(0)
    return {
        cells[1]: cells
        for cells in (
            [
                re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", c)).strip()
                for c in re.findall(r"<td[^>]*>(.*?)</td>", r, re.S)
            ]
            for r in re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', table, re.S)
        )
        if len(cells) == 6
    }


def paid_to_date(body):
    return re.sub(r"<[^>]+>", "", re.search(r"Paid to date</dt>(.*?)</dd>", body, re.S).group(1)).strip()


@pytest.fixture
def arrears(world, year):
    """£40,000 paid quarterly in arrears in 2026/27: Q1 accepted and paid, Q2 accepted and due, Q3 and Q4 not yet due
    (it is 25 November 2026)."""
    pot = PotFactory(year=year, allocated=D("40000"))
    a = award(
        organisation=world.organisation,
        pot=pot,
        amount="40000",
        schedule=PaymentScheduleKind.QUARTERLY_ARREARS,
        kind="contract",
        title="Arrears contract",
    )
    for quarter in (1, 2):
        awards.release_arrears_payment(award=a, start_year=2026, quarter=quarter, accepted_at=timezone.now())
    awards.record_payment(
        award=a,
        amount=D("10000"),
        paid_on=date(2026, 8, 1),
        by=None,
        schedule_line=a.schedule.get(quarter=1),
        invoice_received_on=date(2026, 7, 20),
    )
    return a


HELD_BACK = (
    "the other £20,000.00 left to pay in 2026 to 2027 is held back for scheduled payments that are not yet "
    "due or are waiting for their quarter&#x27;s outcome return to be accepted"
)


def test_a_payment_not_on_the_schedule_cannot_pay_quarters_before_they_can_be_paid(client, world, arrears):
    a = arrears
    q2, q3 = a.schedule.get(quarter=2), a.schedule.get(quarter=3)
    sign_in(client, world.users[Role.FINANCE_OFFICER])
    url = f"/funding/awards/{a.pk}/payments/new/"
    # Q2, Q3 and Q4 at once, "not on the schedule": refused, saying how much can be paid that way and why.
    body = client.post(f"{url}?line={q2.pk}", pay_form(None, "30000", date(2026, 11, 25))).content.decode()
    assert "govuk-error-summary" in body and 'href="#id_amount"' in body
    assert f"{a.reference} can be paid at most £10,000.00 off the schedule: {HELD_BACK}" in body
    assert "£30,000.00 is more than that" in body
    assert Payment.objects.count() == 1
    page = client.get(f"/funding/awards/{a.pk}/").content.decode()
    assert paid_to_date(page) == "£10,000.00"
    schedule = schedule_rows(page)
    assert schedule["Q1 2026/27 in arrears"][2:] == ["£10,000.00", "£10,000.00", "£0.00", "Paid"]
    assert schedule["Q2 2026/27 in arrears"][2:] == ["£10,000.00", "£0.00", "£10,000.00", "Payable"]
    assert schedule["Q3 2026/27 in arrears"][2:] == ["£10,000.00", "£0.00", "£10,000.00", "Not yet due"]
    assert schedule["Q4 2026/27 in arrears"][5] == "Not yet due"
    due = client.get("/funding/payments-due/").content.decode()
    assert [r for r in rows(due)[1:-1] if "Q2 2026/27" in r and "£10,000.00" in r]
    assert "Total of 1 payment due" in rows(due)[-1] and "£10,000.00" in rows(due)[-1]

    # What the schedule does not hold back (Q2's money, due and payable) can be paid off the schedule, to the penny.
    assert client.post(url, pay_form(None, "10000.01", date(2026, 11, 25))).status_code == 200
    assert client.post(url, pay_form(None, "10000", date(2026, 11, 25))).status_code == 302
    # Then the award page, the payments-due list and the payment form agree: Q2's money has been paid.
    page = client.get(f"/funding/awards/{a.pk}/").content.decode()
    assert paid_to_date(page) == "£20,000.00"
    schedule = schedule_rows(page)
    assert schedule["Q2 2026/27 in arrears"][2:] == ["£10,000.00", "£0.00", "£0.00", "Nothing left to pay"]
    assert schedule["Q3 2026/27 in arrears"][2:] == ["£10,000.00", "£0.00", "£10,000.00", "Not yet due"]
    assert 'id="nothing-left"' in page
    due = client.get("/funding/payments-due/").content.decode()
    assert "No payments are due." in due and "Q2 2026/27" not in due
    assert re.search(r'id="due-amount"><span class="opcc-figure__value">£0.00<', due)
    assert ">0<" in re.search(
        r'<a [^>]*id="payments-due-figure"[^>]*>.*?</a>', client.get("/home/").content.decode(), re.S
    ).group(0)
    form = client.get(f"{url}?line={q2.pk}").content.decode()
    assert "Q2 2026/27 in arrears: £10,000.00 due 30 October 2026 (nothing left to pay)" in form
    assert not re.search(r'name="amount" value=', form)
    body = client.post(url, pay_form(q2, "10000", date(2026, 11, 25))).content.decode()
    assert (
        "Nothing can be paid on this scheduled payment now: the £20,000.00 left to pay in 2026 to 2027 is held back"
        in body
    )
    assert Payment.objects.count() == 2

    # Q3's money was kept for Q3: once it is due and its return accepted, it is listed and can be paid.
    with freeze_time("2027-02-15 12:00:00"):
        sign_in(client, world.users[Role.FINANCE_OFFICER])  # months later: a new session
        awards.release_arrears_payment(award=a, start_year=2026, quarter=3, accepted_at=timezone.now())
        due = client.get("/funding/payments-due/").content.decode()
        assert (
            "Total of 1 payment due" in rows(due)[-1]
            and "£10,000.00" in rows(due)[-1]
            and "Q3 2026/27" in due
        )
        assert client.post(url, pay_form(q3, "10000", date(2027, 2, 15))).status_code == 302
        assert (
            schedule_rows(client.get(f"/funding/awards/{a.pk}/").content.decode())["Q3 2026/27 in arrears"][5]
            == "Paid"
        )


def test_payments_due_never_lists_more_than_an_award_has_left_to_pay(client, world, arrears):
    a = arrears
    # Recorded before the rule held: Q2, Q3 and Q4 paid off the schedule, the award paid in full.
    Payment.objects.create(award=a, award_year=a.profile.get(), amount=D("30000"), paid_on=date(2026, 11, 25))
    sign_in(client, world.users[Role.FINANCE_OFFICER])
    due = client.get("/funding/payments-due/").content.decode()
    assert "No payments are due." in due and "Record payment" not in due
    assert re.search(r'id="due-count"><span class="opcc-figure__value">0<', due)
    page = client.get(f"/funding/awards/{a.pk}/").content.decode()
    assert paid_to_date(page) == "£40,000.00"
    schedule = schedule_rows(page)
    for quarter in (2, 3, 4):
        assert schedule[f"Q{quarter} 2026/27 in arrears"][4:] == ["£0.00", "Nothing left to pay"]


def test_payments_not_on_the_schedule_count_against_the_oldest_payments_due(client, world, due_world):
    instalments = due_world.instalments  # £3,000 due 1 July (£1,000 paid on it) and £3,000 due 14 November
    awards.record_payment(
        award=instalments, amount=D("3500"), paid_on=date(2026, 11, 25), by=None
    )  # off the schedule
    sign_in(client, world.users[Role.FINANCE_OFFICER])
    found = rows(client.get("/funding/payments-due/").content.decode())[1:]
    mine = [r for r in found if "Instalment grant" in r]
    assert len(mine) == 1 and "second instalment" in mine[0] and "£1,500.00" in mine[0]
    # The others as before (£1,200 + £10,000) and the £1,500 the award has left: never £5,000.
    assert "Total of 3 payments due" in found[-1] and "£12,700.00" in found[-1]
    schedule = schedule_rows(client.get(f"/funding/awards/{instalments.pk}/").content.decode())
    assert schedule["2026 to 2027 first instalment"][3:] == ["£1,000.00", "£0.00", "Nothing left to pay"]
    assert schedule["2026 to 2027 second instalment"][3:] == ["£0.00", "£1,500.00", "Payable"]
    # Its "Record payment" link fills in what can be paid, and that is exactly what can be paid.
    second = instalments.schedule.order_by("due_date").last()
    url = f"/funding/awards/{instalments.pk}/payments/new/"
    assert 'value="1500.00"' in client.get(f"{url}?line={second.pk}").content.decode()
    body = client.post(url, pay_form(second, "1500.01", date(2026, 11, 25))).content.decode()
    assert "has £1,500.00 left to pay in 2026 to 2027; £1,500.01 is more than that" in body
    assert client.post(url, pay_form(second, "1500", date(2026, 11, 25))).status_code == 302
    assert "Instalment grant" not in client.get("/funding/payments-due/").content.decode()


# ---- A scheduled payment not yet due says so ------------------------------------------------------


def test_a_scheduled_payment_not_yet_due_is_shown_as_not_yet_due_and_its_money_held_back(client, world, year):
    pot = PotFactory(year=year, allocated=D("18500"))
    with freeze_time("2026-12-02 12:00:00"):
        a = award(
            organisation=world.organisation,
            pot=pot,
            amount="18500",
            start=date(2027, 1, 4),
            end=date(2027, 3, 31),
            title="Winter outreach",
        )
        line = a.schedule.get()
        sign_in(client, world.users[Role.FINANCE_OFFICER])
        page = client.get(f"/funding/awards/{a.pk}/").content.decode()
        assert schedule_rows(page)["2026 to 2027 in advance"][0] == "4 Jan 2027"
        assert schedule_rows(page)["2026 to 2027 in advance"][5] == "Not yet due"
        assert 'govuk-tag--grey">Not yet due' in page and "Payable" not in page
        assert "Winter outreach" not in client.get("/funding/payments-due/").content.decode()
        url = f"/funding/awards/{a.pk}/payments/new/"
        assert (
            "2026 to 2027 in advance: £18,500.00 due 4 January 2027 (not yet due)"
            in client.get(url).content.decode()
        )
        body = client.post(url, pay_form(None, "1", date(2026, 12, 2))).content.decode()
        # Before the award starts nothing can be paid at all, on the schedule or off it.
        assert "The date paid must be on or after the award&#x27;s start date, 4 January 2027" in body
        assert not Payment.objects.exists()
    with freeze_time("2027-01-04 09:00:00"):
        sign_in(client, world.users[Role.FINANCE_OFFICER])  # a month later: a new session
        assert (
            schedule_rows(client.get(f"/funding/awards/{a.pk}/").content.decode())["2026 to 2027 in advance"][
                5
            ]
            == "Payable"
        )
        assert "Winter outreach" in client.get("/funding/payments-due/").content.decode()
        assert client.post(url, pay_form(line, "18500", date(2027, 1, 4))).status_code == 302
