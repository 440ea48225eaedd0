"""The medium-term financial plan: indicative years ahead, commitments against them, and approving a year."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from freezegun import freeze_time

from funding import ledger
from funding.models import Award, AwardYear, FinancialYear, IncomeLine, Pot
from funding.services import allocation
from funding.services.awards import ProfileLine
from opcc.models import Role, TransitionLog
from tests.conftest import sign_in
from tests.factories import OrganisationFactory
from tests.funding.factories import IncomeLineFactory, PotFactory, YearFactory, approved_year, award
from tests.funding.test_pages import bulk_awards, count_queries

D = Decimal
pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def frozen():
    with freeze_time("2026-11-25 12:00:00"):
        yield


@pytest.fixture
def this_year(db):
    year = approved_year(2026, income="1000000", police="900000")
    PotFactory(
        year=year,
        key="victim-services",
        name="Victim services",
        stream="victim_services",
        allocated=D("60000"),
    )
    PotFactory(year=year, key="cgs", name="Commissioner's Grant Scheme", allocated=D("40000"))
    return year


def indicative_year(start_year, *, victim_services="60000", income="1000000", police="900000"):
    year = YearFactory(start_year=start_year, status=FinancialYear.Status.INDICATIVE, police_budget=D(police))
    IncomeLineFactory(year=year, amount=D(income))
    PotFactory(
        year=year,
        key="victim-services",
        name="Victim services",
        stream="victim_services",
        allocated=D(victim_services),
    )
    return year


def plan_form(**pots):
    data = {"police_budget": "900000", "income_home_office": "1000000"}
    data.update({f"pot_{key}": amount for key, amount in pots.items()})
    return data


def test_finance_adds_next_year_to_the_plan_with_the_same_pots_and_indicative_figures(
    client, world, this_year
):
    sign_in(client, world.users[Role.FINANCE_OFFICER])
    page = client.get("/funding/years-ahead/add/").content.decode()
    assert "Add 2027 to 2028 to the plan" in page
    assert 'value="60000.00"' in page  # starts from the latest year's figures

    response = client.post(
        "/funding/years-ahead/add/", plan_form(**{"victim-services": "70000", "cgs": "£25,000"})
    )

    assert response.status_code == 302
    year = FinancialYear.objects.get(start_year=2027)
    assert year.status == FinancialYear.Status.INDICATIVE
    assert dict(Pot.objects.filter(year=year).values_list("key", "allocated")) == {
        "victim-services": D("70000"),
        "cgs": D("25000"),
    }
    assert ledger.income_total(year) == D("1000000")
    page = client.get("/funding/years-ahead/").content.decode()
    assert "2027 to 2028" in page and "Indicative" in page and "£70,000.00" in page
    assert "Add 2028 to 2029 to the plan" in page


@pytest.mark.parametrize(
    "amount, message",
    [("-5", "cannot be negative"), ("99999999999999", "too large"), ("lots", "as a number")],
)
def test_a_negative_or_absurd_indicative_amount_is_refused_and_nothing_is_saved(
    client, world, this_year, amount, message
):
    sign_in(client, world.users[Role.FINANCE_OFFICER])
    body = client.post(
        "/funding/years-ahead/add/", plan_form(**{"victim-services": amount, "cgs": "1000"})
    ).content.decode()
    assert "govuk-error-summary" in body and message in body
    assert 'href="#id_pot_victim-services"' in body
    assert not FinancialYear.objects.filter(start_year=2027).exists()
    assert not Pot.objects.filter(year__start_year=2027).exists()


def test_indicative_allocations_cannot_exceed_the_expected_income(client, world, this_year):
    sign_in(client, world.users[Role.FINANCE_OFFICER])
    body = client.post(
        "/funding/years-ahead/add/", plan_form(**{"victim-services": "90000", "cgs": "10000.01"})
    ).content.decode()
    assert "£0.01 too much" in body
    assert not FinancialYear.objects.filter(start_year=2027).exists()


def test_the_service_refuses_negative_amounts_itself(world, this_year):
    with pytest.raises(ValidationError) as error:
        allocation.add_plan_year(
            by=world.users[Role.FINANCE_OFFICER],
            start_year=2027,
            income={"home_office": D("-1")},
            police_budget=D("0"),
            pot_amounts={"cgs": D("0")},
        )
    assert "cannot be negative" in str(error.value)
    assert not FinancialYear.objects.filter(start_year=2027).exists()
    assert not IncomeLine.objects.filter(year__start_year=2027).exists()


def test_a_3_plus_1_contract_starting_next_april_commits_against_the_indicative_years(
    client, world, this_year
):
    for y in (2027, 2028, 2029, 2030):
        indicative_year(y)
    contract = award(
        organisation=world.organisation,
        pot=Pot.objects.get(year__start_year=2027, key="victim-services"),
        amount="150000",
        start=date(2027, 4, 1),
        end=date(2030, 3, 31),
        kind="contract",
        activate=False,
    )
    profile = {ay.pot.year.start_year: ay.amount for ay in contract.profile.select_related("pot__year")}
    assert set(profile) == {2027, 2028, 2029} and sum(profile.values()) == D("150000")
    # The "+1": exercising the extension commits from the fourth, indicative year.
    from funding.services import awards as award_services

    Award.objects.filter(pk=contract.pk).update(status=Award.Status.ACTIVE)
    award_services.extend_award(
        award=contract,
        new_end_date=date(2031, 3, 31),
        additional=D("50000"),
        by=world.users[Role.COMMISSIONING_OFFICER],
        note="Extension option exercised",
    )
    assert ledger.committed_in_pot(Pot.objects.get(year__start_year=2030, key="victim-services")) == D(
        "50000"
    )

    sign_in(client, world.users[Role.PROVIDER])
    page = client.get(f"/funding/awards/{contract.pk}/").content.decode()
    assert page.count('govuk-tag--purple">Indicative') == 4


def test_where_a_later_year_is_missing_the_refusal_names_the_plan(world, this_year):
    indicative_year(2027)
    with pytest.raises(ValidationError) as error:
        award(
            organisation=world.organisation,
            pot=Pot.objects.get(year__start_year=2027, key="victim-services"),
            amount="90000",
            start=date(2027, 4, 1),
            end=date(2030, 3, 31),
        )
    assert "There is no Victim services pot in 2028 to 2029 yet" in str(error.value)
    assert "medium-term financial plan" in str(error.value)
    assert not Award.objects.exists()


def test_an_indicative_pot_is_never_over_committed(world, this_year):
    year = indicative_year(2027, victim_services="10000")
    pot = Pot.objects.get(year=year)
    award(organisation=world.organisation, pot=pot, amount="8000")
    with pytest.raises(ValidationError) as error:
        award(organisation=world.organisation, pot=pot, amount="2000.01")
    assert "Victim services in 2027 to 2028 has £2,000.00 left to commit" in str(error.value)
    assert ledger.committed_in_pot(pot) == D("8000")


def test_approval_below_what_is_committed_lists_the_awards_and_changes_nothing(client, world, this_year):
    year = indicative_year(2027, victim_services="100000")
    pot = Pot.objects.get(year=year)
    first = award(organisation=world.organisation, pot=pot, amount="60000", title="Advocacy")
    second = award(organisation=world.other_organisation, pot=pot, amount="30000", title="Outreach")
    finance = world.users[Role.FINANCE_OFFICER]
    allocation.make_draft(year=year, by=finance)
    # The settlement came in lower: finance records it (the pot shows as over-committed), nothing about the awards
    # changes.
    allocation.set_draft_allocation(
        year=year, police_budget=D("900000"), pot_amounts={pot.pk: D("80000")}, by=finance
    )
    sign_in(client, world.users[Role.PCC])
    page = client.get("/funding/2027/approve/").content.decode()
    assert "Pots allocated less than is committed" in page

    body = client.post("/funding/2027/approve/", {"confirm": "on"}).content.decode()

    assert "govuk-error-summary" in body
    assert "Victim services has £90,000.00 committed but £80,000.00 allocated" in body
    for a, provider, amount in (
        (first, "Marches Support", "£60,000.00"),
        (second, "Shropshire Help", "£30,000.00"),
    ):
        assert a.reference in body and provider in body and amount in body
    year.refresh_from_db()
    pot.refresh_from_db()
    assert year.status == FinancialYear.Status.DRAFT and year.approved_at is None
    assert pot.allocated == D("80000")
    assert ledger.committed_in_pot(pot) == D("90000")
    assert not TransitionLog.objects.filter(transition="approve").exists()


def test_finance_makes_an_indicative_year_the_draft_budget_and_the_pcc_approves_it(client, world, this_year):
    indicative_year(2027)
    sign_in(client, world.users[Role.PCC])
    assert "Approve the allocation" not in client.get("/funding/2027/").content.decode()
    sign_in(client, world.users[Role.FINANCE_OFFICER])
    assert "Make this the draft budget" in client.get("/funding/2027/").content.decode()
    response = client.post("/funding/2027/make-draft/", {"note": "Settlement confirmed"})
    assert response.status_code == 302
    year = FinancialYear.objects.get(start_year=2027)
    assert year.status == FinancialYear.Status.DRAFT
    assert TransitionLog.objects.filter(transition="make_draft", note="Settlement confirmed").exists()
    # Twice: the second is told plainly, nothing changes.
    body = client.post("/funding/2027/make-draft/", {"note": ""}).content.decode()
    assert "govuk-error-summary" in body
    sign_in(client, world.users[Role.PCC])
    assert client.post("/funding/2027/approve/", {"confirm": "on"}).status_code == 302
    year.refresh_from_db()
    assert year.is_approved


def test_an_officer_cannot_make_a_year_the_draft_budget(world, this_year):
    year = indicative_year(2027)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        allocation.make_draft(year=year, by=world.users[Role.COMMISSIONING_OFFICER])
    with pytest.raises(PermissionDenied):
        allocation.add_plan_year(
            by=world.users[Role.COMMISSIONING_OFFICER],
            start_year=2028,
            income={},
            police_budget=D("0"),
            pot_amounts={},
        )
    year.refresh_from_db()
    assert year.is_indicative


def test_the_overview_and_pot_page_show_the_pressure_in_the_years_ahead(client, world, this_year):
    indicative_year(2027, victim_services="50000")
    indicative_year(2028, victim_services="50000")
    award(
        organisation=world.organisation,
        pot=Pot.objects.get(year__start_year=2027, key="victim-services"),
        amount="80000",
        start=date(2027, 4, 1),
        end=date(2029, 3, 31),
        profile=[ProfileLine(2027, D("40000")), ProfileLine(2028, D("40000"))],
    )
    sign_in(client, world.users[Role.FINANCE_OFFICER])
    page = client.get("/funding/2026/").content.decode()
    assert "The years ahead" in page
    assert page.count("£40,000.00") >= 2  # committed in each year ahead
    assert "£10,000.00" in page  # remaining in each
    pot_page = client.get("/funding/2027/pots/victim-services/").content.decode()
    for label in ("2026 to 2027", "2027 to 2028", "2028 to 2029"):
        assert label in pot_page
    assert "Indicative" in pot_page


@pytest.mark.parametrize("url", ["/funding/years-ahead/", "/funding/2026/", "/funding/2027/pots/cgs/"])
def test_plan_pages_run_the_same_number_of_queries_with_10_or_1000_awards(client, world, url):
    approved_year(2026)
    few, many = (YearFactory(start_year=y, status=FinancialYear.Status.INDICATIVE) for y in (2027, 2028))
    org = OrganisationFactory()
    sign_in(client, world.users[Role.FINANCE_OFFICER])
    bulk_awards(PotFactory(year=few, key="cgs", allocated=D("100000")), 10, org)
    before = count_queries(client, url)
    bulk_awards(PotFactory(year=many, key="cgs", allocated=D("100000")), 1000, org)
    PotFactory(year=many, key="victim-services", allocated=D("5"))
    assert count_queries(client, url) == before
    assert AwardYear.objects.count() == 1010
