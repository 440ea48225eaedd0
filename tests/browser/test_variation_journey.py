"""The provider of an active grant asks for a variation, an officer approves it within their delegation and the
variation letter goes out, the provider accepts it online, and the grant changes."""

from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from funding.models import Award
from grants.models import Application, Variation
from opcc.demo import demo_email
from opcc.services.demo_accounts import DEMO_PASSWORD
from tests import demo_data
from tests.browser.conftest import SCREENSHOTS, assert_is_accessible, screenshot, sign_in_through_the_page

NARROW = {"width": 375, "height": 812}
WIDE = {"width": 1280, "height": 900}


@pytest.fixture
def demo(transactional_db, settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    demo_data.load("core", "funding", "grants")


def check(page, axe, name, *, narrow=False):
    assert_is_accessible(page, axe)
    screenshot(page, name)
    if narrow:
        page.set_viewport_size(NARROW)
        assert_is_accessible(page, axe)
        screenshot(page, f"{name}-375")
        page.set_viewport_size(WIDE)


def test_the_provider_asks_the_officer_approves_and_the_provider_accepts_the_letter(
    page, live_server, demo, axe
):
    base = live_server.url
    page.set_viewport_size(WIDE)
    application = Application.objects.select_related("award").get(title="Safe at home: sanctuary scheme")
    award = application.award
    assert award.status == Award.Status.ACTIVE and award.amount == Decimal("18500")

    # The provider finds its grant and asks for more money, first leaving the reason out.
    sign_in_through_the_page(page, base, demo_email("provider.marches"), DEMO_PASSWORD)
    page.goto(base + reverse("grants:application", args=[application.pk]))
    page.get_by_role("link", name=award.reference).click()
    page.get_by_role("link", name="Variations of this grant").click()
    check(page, axe, "variation-award-list")
    page.get_by_role("link", name="Ask for a variation").click()
    page.get_by_label("New total amount (optional)").fill("0")
    page.get_by_role("button", name="Send the request").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("The new total amount must be more than £0")
    expect(summary).to_contain_text("Enter the reason for the variation")
    check(page, axe, "variation-request-errors", narrow=True)
    assert not Variation.objects.exists()
    page.get_by_label("New total amount (optional)").fill("19,750.50")
    page.get_by_label("Reason for the variation").fill(
        "Referrals are a third higher than planned <script>alert(1)</script>"
    )
    page.get_by_role("button", name="Send the request").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("sent to the office")
    expect(page.locator("h1")).to_contain_text("Requested by the provider")
    expect(page.locator("body")).to_contain_text("<script>alert(1)</script>")
    check(page, axe, "variation-requested", narrow=True)
    variation = Variation.objects.get()
    page.get_by_role("button", name="Sign out").click()

    # The officer's delegation (£25,000) covers the new total: they approve and the letter goes out.
    sign_in_through_the_page(page, base, demo_email("officer"), DEMO_PASSWORD)
    page.goto(base + reverse("grants:variations"))
    check(page, axe, "variation-waiting")
    page.get_by_role("link", name=variation.reference).click()
    page.get_by_role("link", name="Decide the variation").click()
    page.get_by_label("Approve and send the variation letter").check()
    page.get_by_label("Reasons for the decision").fill("The referral figures justify the increase.")
    check(page, axe, "variation-decide", narrow=True)
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("letter sent")
    expect(page.locator("h1")).to_contain_text("Letter sent")
    check(page, axe, "variation-letter-sent")
    page.get_by_role("button", name="Sign out").click()

    # The provider reads the letter and accepts it.
    sign_in_through_the_page(page, base, demo_email("provider.marches"), DEMO_PASSWORD)
    page.goto(base + reverse("grants:variation", args=[variation.pk]))
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Your variation letter is ready")
    page.get_by_role("link", name="Read and accept the variation").click()
    check(page, axe, "variation-accept", narrow=True)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the variation letter (PDF)").click()
    download.value.save_as(SCREENSHOTS / "variation-letter.pdf")
    page.get_by_label("I accept this variation").check()
    page.get_by_label("Role in the organisation").fill("Director")
    page.get_by_role("button", name="Accept the variation").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Your grant has changed")
    expect(page.locator("h1")).to_contain_text("Accepted")
    check(page, axe, "variation-accepted", narrow=True)
    page.get_by_role("link", name=award.reference).click()
    expect(page.locator("body")).to_contain_text("£19,750.50")
    check(page, axe, "variation-award-after")

    award.refresh_from_db()
    assert award.amount == Decimal("19750.50")
    assert sum(line.amount for line in award.profile.all()) == award.amount
    assert sum(line.amount for line in award.schedule.all()) == award.amount
