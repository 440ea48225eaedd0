import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from freezegun import freeze_time
from openpyxl import load_workbook

from funding.models import Award, AwardYear, FinancialYear, IncomeLine, Payment, PaymentScheduleKind
from opcc.models import Role
from tests.conftest import sign_in
from tests.factories import OrganisationFactory
from tests.funding.factories import IncomeLineFactory, PotFactory, YearFactory, approved_year, award

D = Decimal


@pytest.fixture
def year(db):
    return approved_year(income="1000000", police="900000")


def bulk_awards(pot, n, organisation):
    """Awards straight into the tables (the service is tested elsewhere): enough to show query counts do not grow."""
    created = Award.objects.bulk_create(
        [
            Award(
                reference=f"B-{pot.pk}-{i}",
                organisation=organisation,
                pot=pot,
                kind="grant",
                title=f"Bulk {i}",
                purpose="x",
                start_date=date(2026, 4, 1),
                end_date=date(2027, 3, 31),
                amount=D("1"),
                schedule_kind="in_advance",
                status="active",
            )
            for i in range(n)
        ]
    )
    years = AwardYear.objects.bulk_create([AwardYear(award=a, pot=pot, amount=D("1")) for a in created])
    Payment.objects.bulk_create(
        [
            Payment(award=a, award_year=y, amount=D("1"), paid_on=date(2026, 5, 1))
            for a, y in zip(created, years, strict=True)
        ]
    )


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("page", ["overview", "pot", "awards"])
def test_funding_pages_run_the_same_number_of_queries_with_10_or_1000_awards(client, world, page):
    few = approved_year(2026)
    many = approved_year(2025)
    few_pot = PotFactory(year=few, key="cgs", allocated=D("100000"))
    many_pot = PotFactory(year=many, key="cgs", allocated=D("100000"))
    org = OrganisationFactory()
    bulk_awards(few_pot, 10, org)
    bulk_awards(many_pot, 1000, org)
    sign_in(client, world.users[Role.FINANCE_OFFICER])
    urls = {
        "overview": ("/funding/2026/", "/funding/2025/"),
        "pot": ("/funding/2026/pots/cgs/", "/funding/2025/pots/cgs/"),
        "awards": ("/funding/awards/?year=2026", "/funding/awards/?year=2025"),
    }[page]
    assert count_queries(client, urls[0]) == count_queries(client, urls[1])


def test_the_overview_shows_each_figure(client, world, year):
    pot = PotFactory(year=year, name="LPCAF Herefordshire", allocated=D("30000"))
    a = award(organisation=world.organisation, pot=pot, amount="12000")
    from funding.services import awards as award_services

    award_services.record_payment(award=a, amount=D("2500"), paid_on=date(2026, 5, 1), by=None)
    sign_in(client, world.users[Role.PCC])
    body = client.get("/funding/2026/").content.decode()
    for figure in ("£1,000,000.00", "£900,000.00", "£30,000.00", "£12,000.00", "£2,500.00", "£18,000.00"):
        assert figure in body


def test_finance_prepares_a_draft_year_and_bad_amounts_save_nothing(client, world):
    year = YearFactory(start_year=2027)
    IncomeLineFactory(year=year, amount=D("500000"))
    pot = PotFactory(year=year, name="Commissioner's Grant Scheme", allocated=D("0"))
    sign_in(client, world.users[Role.FINANCE_OFFICER])
    for bad, message in [
        ("-5", "cannot be negative"),
        ("lots", "as a number"),
        ("99999999999999", "too large"),
        ("100000.123", "pounds and pence"),
    ]:
        body = client.post(
            "/funding/2027/allocation/", {"police_budget": "400000", f"pot_{pot.pk}": bad}
        ).content.decode()
        assert "govuk-error-summary" in body and message in body, bad
        assert f'href="#id_pot_{pot.pk}"' in body  # the summary links to the field
        assert f'value="{bad}"' in body  # what was typed is kept
    body = client.post(
        "/funding/2027/allocation/", {"police_budget": "400000", f"pot_{pot.pk}": "100000.01"}
    ).content.decode()
    assert "£0.01 too much" in body
    pot.refresh_from_db()
    year.refresh_from_db()
    assert pot.allocated == 0 and year.police_budget == 0
    response = client.post(
        "/funding/2027/allocation/", {"police_budget": "£400,000", f"pot_{pot.pk}": "100,000"}
    )
    assert response.status_code == 302
    pot.refresh_from_db()
    assert pot.allocated == D("100000")


@freeze_time(
    "2026-11-25 12:00:00"
)  # the award is for 2026/27, the year of the pot (only open years' pots are offered)
def test_recording_an_award_with_bad_input_names_each_field_and_saves_nothing(client, world, year):
    pot = PotFactory(year=year, allocated=D("10000"))
    sign_in(client, world.users[Role.COMMISSIONING_OFFICER])
    data = {
        "organisation": world.organisation.pk,
        "pot": pot.pk,
        "kind": "grant",
        "title": "Youth club",
        "purpose": "Evenings",
        "start_date_0": "1",
        "start_date_1": "9",
        "start_date_2": "2026",
        "end_date_0": "31",
        "end_date_1": "8",
        "end_date_2": "2026",
        "amount": "2000",
        "schedule_kind": "in_advance",
        "objectives": [world.objective.pk],
    }
    body = client.post("/funding/awards/new/", data).content.decode()
    assert "The end date must be the same as or after the start date" in body
    data.update(end_date_0="31", end_date_1="3", end_date_2="2027", amount="10000.01")
    body = client.post("/funding/awards/new/", data).content.decode()
    assert "has £10,000.00 left to commit" in body and 'value="Youth club"' in body
    data.update(amount="2000", profile_2026="1500")
    body = client.post("/funding/awards/new/", data).content.decode()
    assert "add up to £1,500.00, not the award&#x27;s £2,000.00" in body
    data.update(end_date_0="31", end_date_1="2", end_date_2="2026")
    body = client.post("/funding/awards/new/", data).content.decode()
    assert "must be a real date" in body
    assert not Award.objects.exists()
    data.update(end_date_0="31", end_date_1="3", end_date_2="2027", profile_2026="")
    response = client.post("/funding/awards/new/", data)
    assert response.status_code == 302
    assert Award.objects.get().amount == D("2000")
    assert list(Award.objects.get().objectives.all()) == [world.objective]


def test_finance_records_a_payment_and_an_overpayment_is_refused(client, world, year):
    pot = PotFactory(year=year, allocated=D("10000"))
    a = award(
        organisation=world.organisation, pot=pot, amount="4000", schedule=PaymentScheduleKind.IN_ADVANCE
    )
    line = a.schedule.get()
    sign_in(client, world.users[Role.FINANCE_OFFICER])
    body = client.post(
        f"/funding/awards/{a.pk}/payments/new/",
        {
            "schedule_line": line.pk,
            "amount": "4000.01",
            "paid_on_0": "1",
            "paid_on_1": "5",
            "paid_on_2": "2026",
        },
    ).content.decode()
    assert "£4,000.00 is left of this scheduled payment" in body
    assert not Payment.objects.exists()
    response = client.post(
        f"/funding/awards/{a.pk}/payments/new/",
        {
            "schedule_line": line.pk,
            "amount": "4000",
            "paid_on_0": "1",
            "paid_on_1": "5",
            "paid_on_2": "2026",
            "reference": "AP1",
        },
        follow=True,
    )
    assert "A payment of £4,000.00" in response.content.decode()
    assert Payment.objects.get().amount == D("4000")


def test_a_provider_sees_its_own_award_but_not_anothers(client, world, year):
    pot = PotFactory(year=year, allocated=D("10000"))
    mine = award(organisation=world.organisation, pot=pot, amount="1000")
    theirs = award(organisation=world.other_organisation, pot=pot, amount="1000", title="Theirs")
    sign_in(client, world.users[Role.PROVIDER])
    assert client.get(f"/funding/awards/{mine.pk}/").status_code == 200
    assert client.get(f"/funding/awards/{theirs.pk}/").status_code == 404
    assert "Theirs" not in client.get("/home/").content.decode()


def test_exports_neutralise_formulas(client, world, year):
    evil = OrganisationFactory(name='=HYPERLINK("http://x","click")')
    pot = PotFactory(year=year, name="+cmd|' /C calc'!A0", allocated=D("10000"))
    award(organisation=evil, pot=pot, amount="1000", title="@SUM(A1:A9)")
    IncomeLine.objects.create(year=year, source="other_grant", description="-2+3", amount=D("5"))
    sign_in(client, world.users[Role.AUDITOR])

    rows = list(csv.reader(io.StringIO(client.get("/funding/awards/export.csv").content.decode("utf-8-sig"))))
    assert rows[1][1] == '\'=HYPERLINK("http://x","click")' and rows[1][4] == "'@SUM(A1:A9)"
    assert rows[1][6] == "'+cmd|' /C calc'!A0"

    book = load_workbook(io.BytesIO(client.get("/funding/2026/export.xlsx").content))
    values = [c.value for row in book.active.iter_rows() for c in row if isinstance(c.value, str)]
    assert "'-2+3" in values and "'+cmd|' /C calc'!A0" in values
    assert not any(v.startswith(("=", "+", "-", "@")) for v in values)
    numbers = [c.value for row in book.active.iter_rows(min_row=2) for c in row[3:4]]
    assert all(isinstance(n, (int, float, Decimal)) for n in numbers)


def test_the_year_switch_and_new_year_preparation(client, world, year):
    PotFactory(year=year, key="cgs", name="CGS", allocated=D("1000"))
    sign_in(client, world.users[Role.FINANCE_OFFICER])
    response = client.post("/funding/new-year/", follow=True)
    assert "2027 to 2028 has been prepared as a draft" in response.content.decode()
    new = FinancialYear.objects.get(start_year=2027)
    assert list(new.pots.values_list("key", "allocated")) == [("cgs", D("0"))]
