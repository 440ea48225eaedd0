"""Finance prepares next year's allocation, the PCC approves it, finance records a payment."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from funding.models import Award, FinancialYear, Payment, PaymentScheduleLine
from opcc.calendar import financial_year_of
from opcc.demo import demo_email
from opcc.services.demo_accounts import DEMO_PASSWORD
from tests import demo_data
from tests.browser.conftest import assert_is_accessible, screenshot, sign_in_through_the_page

INVOICE_DATE = re.compile(r"^Date the invoice")


@pytest.fixture
def demo(transactional_db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    demo_data.load("core", "funding")


def test_finance_prepares_the_pcc_approves_and_finance_pays(page, live_server, demo, axe):
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    base = live_server.url
    this_year = financial_year_of(timezone.localdate())
    next_year = this_year + 1  # the demo's draft year

    # Finance: next year's draft gets a new income line and its allocation.
    sign_in_through_the_page(page, base, demo_email("finance"), DEMO_PASSWORD)
    page.get_by_role("link", name="Funding", exact=True).click()
    expect(page.locator("h1")).to_contain_text(f"{this_year} to {this_year + 1}")
    assert_is_accessible(page, axe)
    screenshot(page, "funding-overview-this-year")
    page.get_by_role("link", name=f"{next_year} to {next_year + 1} (draft)").first.click()
    page.get_by_role("link", name="Add income").click()
    page.get_by_label("Source").select_option("other_grant")
    page.get_by_label("Description (optional)").fill("Safer Streets fund round 7")
    page.get_by_label("Amount").fill("-250000")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The amount cannot be negative")
    assert_is_accessible(page, axe)
    screenshot(page, "funding-income-error")
    page.get_by_label("Amount").fill("250,000")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("The income has been saved")

    page.get_by_role("link", name="Prepare the allocation").click()
    expect(page.locator("h1")).to_have_text("Prepare the allocation")
    cgs = page.get_by_label("Commissioner's Grant Scheme", exact=True)
    cgs.fill("800000")
    assert_is_accessible(page, axe)
    screenshot(page, "funding-allocation-form")
    page.get_by_role("button", name="Save the draft allocation").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        f"draft allocation for {next_year} to {next_year + 1} has been saved"
    )
    page.get_by_role("button", name="Sign out").click()

    # The PCC approves it.
    sign_in_through_the_page(page, base, demo_email("pcc"), DEMO_PASSWORD)
    page.goto(f"{base}/funding/{next_year}/")
    page.get_by_role("link", name="Approve the allocation").click()
    page.get_by_role("button", name="Approve").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Confirm that you approve the allocation")
    page.get_by_label("I approve this allocation of the year's income").check()
    page.get_by_label("Note for the record (optional)").fill("Agreed at the Police and Crime Panel.")
    assert_is_accessible(page, axe)
    screenshot(page, "funding-approve")
    page.get_by_role("button", name="Approve").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("is approved")
    expect(page.locator("h1")).to_contain_text("Approved")
    assert FinancialYear.objects.get(start_year=next_year).is_approved
    page.get_by_role("button", name="Sign out").click()

    # Finance pays a scheduled payment that is due.
    line = (
        PaymentScheduleLine.objects.filter(
            award__status=Award.Status.ACTIVE, payments__isnull=True, quarter__isnull=True
        )
        .order_by("due_date")
        .first()
    )
    sign_in_through_the_page(page, base, demo_email("finance"), DEMO_PASSWORD)
    page.get_by_role("link", name="Payments due", exact=True).click()
    expect(page.locator("h1")).to_contain_text("Payments due")
    assert_is_accessible(page, axe)
    screenshot(page, "funding-payments-due")
    page.get_by_role("link", name="Awards", exact=True).click()
    page.get_by_label("Reference, title or organisation").fill(line.award.reference)
    page.get_by_role("button", name="Filter").click()
    assert_is_accessible(page, axe)
    page.get_by_role("link", name=line.award.reference).click()
    assert_is_accessible(page, axe)
    screenshot(page, "funding-award")
    page.get_by_role("link", name="Record a payment").click()
    page.get_by_label(line.description, exact=False).check()
    page.get_by_label("Amount").fill(str(line.amount))
    today = timezone.localdate()  # a payment cannot be dated in the future
    # The date paid, and the day the invoice arrived (the same day here): two date fields, each in its fieldset.
    for fieldset in (
        page.get_by_role("group", name="Date paid"),
        page.get_by_role("group", name=INVOICE_DATE),
    ):
        fieldset.get_by_label("Day").fill(str(today.day))
        fieldset.get_by_label("Month").fill(str(today.month))
        fieldset.get_by_label("Year").fill(str(today.year))
    page.get_by_label("Finance system reference (optional)").fill("AP-77123")
    assert_is_accessible(page, axe)
    page.get_by_role("button", name="Record the payment").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("has been recorded")
    expect(page.get_by_role("cell", name="AP-77123")).to_be_visible()
    screenshot(page, "funding-award-paid")
    assert Payment.objects.filter(reference="AP-77123", amount=line.amount).exists()
    assert errors == []
