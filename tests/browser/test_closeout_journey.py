"""A grant closes with an underspend: the provider sends its final report, an officer accepts it (the grant is
completed), finance records the invoice for the money owed back and then its receipt, and the pot has exactly that
much more to commit. Axe on every page; screenshots at desktop width and at 375 pixels."""

from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from funding import ledger
from funding.models import Award, Pot, Recovery
from opcc.demo import demo_email
from opcc.models import Membership
from opcc.services.demo_accounts import DEMO_PASSWORD
from reporting.models import FinalReport, FinalReportStatus
from tests import demo_data
from tests.browser.conftest import assert_is_accessible, screenshot, sign_in_through_the_page

UNDERSPEND = Decimal("10000.00")


@pytest.fixture
def demo(transactional_db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    demo_data.load("seed_demo")


def look(page, axe, name):
    assert_is_accessible(page, axe)
    screenshot(page, f"closeout-{name}")


def pot_remaining(pot_pk: int) -> Decimal:
    return ledger.pots_with_figures(Pot.objects.filter(pk=pot_pk)).get().remaining


def test_a_grant_closes_with_an_underspend_that_is_recovered(page, live_server, demo, axe):
    base = live_server.url
    report = FinalReport.objects.select_related("award").get(status=FinalReportStatus.DRAFT)
    award = report.award
    paid = ledger.paid_on_award(award)
    provider = Membership.objects.filter(organisation=award.organisation).select_related("user").first().user
    before = pot_remaining(award.pot_id)

    # 1. The provider finds its final report and sends it; first with a total that does not add up.
    sign_in_through_the_page(page, base, provider.email, DEMO_PASSWORD)
    page.goto(f"{base}/monitoring/your-returns/")
    page.get_by_role("link", name="Your final reports for grants that have ended").click()
    look(page, axe, "provider-list")
    page.get_by_role("link", name=f"{award.reference} final report").click()
    expect(page.locator("h1")).to_have_text("Final report")
    spend_inputs = page.locator("input[name^='spend-']")
    spend_inputs.first.fill("-1")
    for i in range(1, spend_inputs.count()):
        spend_inputs.nth(i).fill("0")
    page.get_by_label("Total final spend").fill(str(paid - UNDERSPEND))
    page.get_by_role("button", name="Send the final report").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("cannot be negative")
    expect(summary).to_contain_text("Enter what happens to the service next")
    look(page, axe, "provider-errors")
    spend_inputs.first.fill(str(paid - UNDERSPEND))
    achieved = page.locator("input[name^='achieved-']")
    for i in range(achieved.count()):
        achieved.nth(i).fill("Met the target in every quarter")
    page.get_by_label("What happens to the service next").fill("It continues with the councils' funding.")
    page.get_by_role("button", name="Send the final report").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("sent to the office")
    look(page, axe, "provider-sent")
    page.get_by_role("button", name="Sign out").click()

    # 2. An officer reviews and accepts it: the grant is completed.
    sign_in_through_the_page(page, base, demo_email("officer"), DEMO_PASSWORD)
    page.goto(f"{base}/monitoring/returns/")
    page.get_by_role("link", name="Final reports of grants that have ended").click()
    page.get_by_label("Status").select_option("submitted")
    page.get_by_role("button", name="Show final reports").click()
    look(page, axe, "officer-list")
    page.get_by_role("link", name=f"{award.reference} final report").click()
    page.get_by_role("link", name="Review the final report").click()
    expect(page.locator("#underspend")).to_contain_text("£10,000.00 more than it spent")
    page.get_by_label("Accept the final report").check()
    look(page, axe, "officer-review")
    page.get_by_role("button", name="Save your decision").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("accepted")
    award.refresh_from_db()
    assert award.status == Award.Status.COMPLETED
    page.get_by_role("button", name="Sign out").click()

    # 3. Finance records the money owed back with its invoice, then its receipt.
    sign_in_through_the_page(page, base, demo_email("finance"), DEMO_PASSWORD)
    page.goto(f"{base}/funding/awards/{award.pk}/")
    page.get_by_role("link", name="Record money owed back").click()
    expect(page.get_by_label("Amount owed back")).to_have_value("10000.00")
    page.get_by_role("button", name="Record the money owed back").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the reference of the invoice")
    look(page, axe, "finance-owed-error")
    page.get_by_label("Invoice reference").fill("INV-CLOSE-1")
    page.get_by_role("button", name="Record the money owed back").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("owed back")
    assert pot_remaining(award.pot_id) == before  # owed, not yet received

    page.get_by_role("link", name="Record as received").click()
    today = timezone.localdate()
    group = page.get_by_role("group", name="Date received")
    group.get_by_label("Day").fill(str(today.day))
    group.get_by_label("Month").fill(str(today.month))
    group.get_by_label("Year").fill(str(today.year))
    look(page, axe, "finance-receive")
    page.get_by_role("button", name="Record as received").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("has gone back to the pot")
    expect(page.get_by_role("cell", name="-£10,000.00")).to_be_visible()
    look(page, axe, "award-credit")

    # The pot has exactly the underspend more to commit.
    assert pot_remaining(award.pot_id) == before + UNDERSPEND
    assert Recovery.objects.get(award=award).status == "received"

    # The funding overview's money awaiting recovery, at desktop width and at 375 pixels.
    page.goto(f"{base}/funding/{award.pot.year.start_year}/")
    expect(page.locator("#awaiting-recovery")).to_be_visible()
    look(page, axe, "overview-awaiting")
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{base}/funding/recoveries/")
    assert page.evaluate("document.documentElement.scrollWidth") <= page.evaluate("window.innerWidth")
    look(page, axe, "recoveries-375")
    page.goto(f"{base}/funding/awards/{award.pk}/")
    look(page, axe, "award-375")
