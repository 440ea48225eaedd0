"""An officer moves a grant to the light monitoring tier: a reason is required, and then the award's calendar shows
one end-of-project report; the list of visits and annual reviews due, and the provider's page saying what each award
asks, are accessible too."""

import re

import pytest
from playwright.sync_api import expect

from opcc.demo import demo_email
from opcc.services.demo_accounts import DEMO_PASSWORD
from reporting.models import AwardMonitoring, QuarterlyReturn
from tests import demo_data
from tests.browser.conftest import assert_is_accessible, screenshot, sign_in_through_the_page


@pytest.fixture
def demo(transactional_db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    demo_data.load("core", "funding", "reporting")


def test_an_officer_moves_a_grant_to_the_light_tier_with_a_reason(page, live_server, demo, axe):
    base = live_server.url
    record = (
        AwardMonitoring.objects.filter(award__status="active", award__pot__stream="cgs", tier__key="standard")
        .select_related("award")
        .order_by("award__reference")
        .first()
    )
    award = record.award
    sign_in_through_the_page(page, base, demo_email("officer"), DEMO_PASSWORD)
    page.goto(f"{base}/monitoring/awards/{award.pk}/")
    expect(page.locator(".govuk-summary-list")).to_contain_text("Standard: An outcome return each quarter")
    page.get_by_role("link", name="Change the monitoring tier").click()
    expect(page.locator("h1")).to_have_text("Change the monitoring tier")
    assert_is_accessible(page, axe)
    page.get_by_label("Light", exact=True).check()
    page.get_by_role("button", name="Change the tier").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter the reason for changing the monitoring tier"
    )
    assert_is_accessible(page, axe)
    screenshot(page, "reporting-tier-override-error")
    assert AwardMonitoring.objects.get(pk=record.pk).tier.key == "standard"
    page.get_by_label("Why this tier").fill(
        "A one-off purchase of equipment: one report at the end is enough."
    )
    page.get_by_role("button", name="Change the tier").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("monitored at the light tier")
    expect(page.locator("h2", has_text="End-of-project report")).to_be_visible()
    assert_is_accessible(page, axe)
    screenshot(page, "reporting-tier-light")
    kinds = set(
        QuarterlyReturn.objects.filter(award=award, status__in=["open", "not_yet_due"]).values_list(
            "kind", flat=True
        )
    )
    assert kinds <= {"end_of_project"}

    page.goto(f"{base}/monitoring/visits-and-reviews-due/")
    expect(page.locator("h1")).to_have_text("Visits and annual reviews due")
    expect(page.locator("table")).to_contain_text(re.compile(r"Overdue \d+ days"))
    assert_is_accessible(page, axe)

    page.get_by_role("button", name="Sign out").click()
    sign_in_through_the_page(page, base, demo_email("provider"), DEMO_PASSWORD)
    page.goto(f"{base}/monitoring/your-returns/")
    expect(page.get_by_role("heading", name="What each award asks")).to_be_visible()
    expect(page.locator("table").first).to_contain_text("What we ask")
    assert_is_accessible(page, axe)
