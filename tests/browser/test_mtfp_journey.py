"""Finance puts the years ahead into the medium-term financial plan, then an officer signs a 3+1 contract starting
next April: its later years commit against the plan's indicative figures and show as indicative."""

from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from commissioning.models import Contract
from funding import ledger
from funding.models import FinancialYear, Pot
from opcc.calendar import financial_year_of
from opcc.models import Role
from tests.browser.conftest import assert_is_accessible, screenshot, sign_in_through_the_page
from tests.commissioning import factories as commissioning
from tests.conftest import build_world
from tests.factories import PASSWORD
from tests.funding.factories import PotFactory, approved_year

D = Decimal


@pytest.fixture
def world(transactional_db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    w = build_world()
    this_year = financial_year_of(timezone.localdate())
    year = approved_year(this_year, income="10000000", police="9000000")
    PotFactory(
        year=year,
        key="victim-services",
        name="Victim services",
        stream="victim_services",
        allocated=D("600000"),
    )
    PotFactory(year=year, key="cgs", name="Commissioner's Grant Scheme", stream="cgs", allocated=D("200000"))
    w.commission, w.provider = commissioning.decided_tender(w)  # decided at £90,000: ready for its contract
    return w


def look(page, axe, name):
    assert_is_accessible(page, axe)
    screenshot(page, f"mtfp-{name}")


def test_finance_plans_the_years_ahead_and_an_officer_signs_a_3_plus_1_contract(
    page, live_server, world, axe
):
    base = live_server.url
    this_year = financial_year_of(timezone.localdate())
    next_year = this_year + 1

    # Finance: next year's indicative budget, a mistake first.
    sign_in_through_the_page(page, base, world.users[Role.FINANCE_OFFICER].email, PASSWORD)
    page.goto(f"{base}/funding/{this_year}/")
    look(page, axe, "overview-before")
    page.get_by_role("link", name=f"Add {next_year} to {next_year + 1} to the plan").click()
    expect(page.locator("h1")).to_have_text(f"Add {next_year} to {next_year + 1} to the plan")
    page.get_by_label("Victim services", exact=True).fill("-40000")
    page.get_by_role("button", name="Add the year to the plan").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("cannot be negative")
    look(page, axe, "add-year-error")
    assert not FinancialYear.objects.filter(start_year=next_year).exists()
    page.get_by_label("Victim services", exact=True).fill("650,000")
    page.get_by_role("button", name="Add the year to the plan").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        f"{next_year} to {next_year + 1} has been added to the plan"
    )
    # Two more years, starting from the figures before them.
    for start in (next_year + 1, next_year + 2):
        page.get_by_role("link", name=f"Add {start} to {start + 1} to the plan").click()
        page.get_by_role("button", name="Add the year to the plan").click()
        expect(page.locator(".govuk-notification-banner--success")).to_contain_text("added to the plan")
    expect(page.locator("h1")).to_have_text("The years ahead")
    look(page, axe, "years-ahead")
    page.set_viewport_size({"width": 375, "height": 800})
    screenshot(page, "mtfp-years-ahead-375")
    page.set_viewport_size({"width": 1280, "height": 900})
    assert set(
        FinancialYear.objects.filter(start_year__gt=this_year).values_list("start_year", "status")
    ) == {(y, "indicative") for y in (next_year, next_year + 1, next_year + 2)}
    assert Pot.objects.get(year__start_year=next_year, key="victim-services").allocated == D("650000")
    page.get_by_role("button", name="Sign out").click()

    # The officer signs a 3+1 contract starting next April.
    sign_in_through_the_page(page, base, world.users[Role.COMMISSIONING_OFFICER].email, PASSWORD)
    page.goto(f"{base}/commissioning/{world.commission.pk}/do/")
    page.get_by_role("link", name="Contract", exact=True).click()
    page.get_by_label("Pot the money comes from").select_option(
        label=f"Victim services, {next_year} to {next_year + 1}"
    )
    page.get_by_label("Annual value").fill("30000")
    page.get_by_label("Total value of the initial term").fill("90000")
    for field, day in (("start_date", (1, 4, next_year)), ("signed_on", None)):
        signed = timezone.localdate()
        d, m, y = day or (signed.day, signed.month, signed.year)
        page.fill(f"#id_{field}_0", str(d))
        page.fill(f"#id_{field}_1", str(m))
        page.fill(f"#id_{field}_2", str(y))
    page.get_by_label("Initial term (years)").fill("3")
    page.get_by_label("Term and extensions").fill("3+1")
    page.get_by_label("If the contract's value differs from the award decision, why (optional)").fill(
        "The decision covered the three-year initial term; the optional fourth year is at the annual value."
    )
    page.get_by_label("Break clause notice period (months)").fill("3")
    page.get_by_label("Break clause (for both parties)").fill(
        "Either party may end it with three months' notice."
    )
    page.get_by_label("Quarterly in arrears").check()
    look(page, axe, "contract-form")
    page.get_by_role("button", name="Record the contract").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("contract has been recorded")

    contract = Contract.objects.get()
    award = contract.award
    assert award.amount == D("90000")
    years = {ay.pot.year.start_year: ay.amount for ay in award.profile.select_related("pot__year")}
    assert set(years) == {next_year, next_year + 1, next_year + 2} and sum(years.values()) == D("90000")
    page.goto(f"{base}/funding/awards/{award.pk}/")
    expect(page.locator("main")).to_contain_text("Indicative")
    assert page.locator("strong.govuk-tag--purple", has_text="Indicative").count() == 3
    look(page, axe, "award")
    page.set_viewport_size({"width": 375, "height": 800})
    screenshot(page, "mtfp-award-375")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{base}/funding/{this_year}/")
    expect(page.locator("#years-ahead")).to_be_visible()
    look(page, axe, "overview-after")
    for y in years:
        pot = Pot.objects.get(year__start_year=y, key="victim-services")
        assert ledger.committed_in_pot(pot) == years[y]
