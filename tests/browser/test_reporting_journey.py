"""A provider completes and submits a quarterly return, the officer asks for a change, the provider resubmits,
the officer accepts and the quarter's payment in arrears becomes payable."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from funding.models import PaymentScheduleLine
from opcc.demo import demo_email
from opcc.demo_utils import overdue_quarter
from opcc.services.demo_accounts import DEMO_PASSWORD
from reporting.models import Measure, QuarterlyReturn
from tests import demo_data
from tests.browser.conftest import assert_is_accessible, screenshot, sign_in_through_the_page


@pytest.fixture
def demo(transactional_db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    demo_data.load("core", "funding", "reporting")


def test_a_return_is_submitted_sent_back_resubmitted_and_accepted(page, live_server, demo, axe):
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    base = live_server.url
    last = overdue_quarter(timezone.localdate())  # the demo's last quarter: its returns are overdue
    ret = QuarterlyReturn.objects.get(
        award__organisation__name="Severn Valley Women's Aid (demo)",
        quarter_start_year=last.start_year,
        quarter=last.number,
        award__status="active",
    )
    assert ret.status == "open"

    # The provider finds the overdue return and completes it.
    sign_in_through_the_page(page, base, demo_email("provider"), DEMO_PASSWORD)
    expect(page.locator("h2", has_text="Outcome returns to complete")).to_be_visible()
    assert_is_accessible(page, axe)
    screenshot(page, "reporting-provider-home")
    page.get_by_role("link", name="Outcome returns", exact=True).click()
    expect(page.locator("h1")).to_have_text("Your outcome returns")
    assert_is_accessible(page, axe)
    page.get_by_role("link", name=f"{last.short_label} return for {ret.award.title}").click()
    expect(page.locator(".govuk-warning-text")).to_contain_text("Do not enter personal data")
    page.get_by_label("What you did this quarter").fill(
        "Outreach in Worcester, Evesham and Redditch; two new volunteers."
    )
    page.get_by_label("Referrals received", exact=True).fill("twelve")
    cope = Measure.objects.get(
        framework__award=ret.award, name="Service users better able to cope and recover"
    )
    page.locator(f"#id_m_{cope.pk}_denominator").fill("20")
    page.get_by_label("How many of them said they are better able to cope and recover").fill("30")
    page.get_by_role("button", name="Save as draft").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter referrals received as a number, like 12")
    assert_is_accessible(page, axe)
    screenshot(page, "reporting-return-errors")
    page.get_by_label("Referrals received", exact=True).fill("318")
    page.get_by_role("button", name="Save as draft").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "30 cannot be more than the 20 you gave for how many service users left the service this quarter"
    )
    page.get_by_label("How many of them said they are better able to cope and recover").fill("17")
    page.get_by_role("button", name="Save as draft").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Your draft has been saved")
    for m in Measure.objects.filter(framework__award=ret.award, required=True):
        if m.is_rate:
            for part, value in (("denominator", "40"), ("numerator", "32")):
                if not page.locator(f"#id_m_{m.pk}_{part}").input_value():
                    page.locator(f"#id_m_{m.pk}_{part}").fill(value)
            continue
        field = page.locator(f"#id_m_{m.pk}")
        if not field.input_value():
            field.fill(
                "Practical help and being believed."
                if m.kind == "narrative"
                else str(m.quarterly_target.normalize())
            )
    page.get_by_label("Spend to date").fill("214,500")
    page.get_by_label("Your full name").fill("Helen Price")
    screenshot(page, "reporting-return-form")
    page.get_by_role("button", name="Submit the return").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("has been submitted")
    assert_is_accessible(page, axe)
    page.get_by_role("button", name="Sign out").click()

    # The officer asks for a change.
    sign_in_through_the_page(page, base, demo_email("officer"), DEMO_PASSWORD)
    assert_is_accessible(page, axe)
    screenshot(page, "reporting-officer-home")
    page.get_by_role("link", name="Outcome returns", exact=True).click()
    page.get_by_label("Status").select_option("submitted")
    page.get_by_role("button", name="Filter").click()
    assert_is_accessible(page, axe)
    screenshot(page, "reporting-officer-returns")
    page.get_by_role("link", name=f"{last.short_label} return for {ret.award.reference}").click()
    expect(page.locator("h1")).to_contain_text("Review the return")
    assert_is_accessible(page, axe)
    screenshot(page, "reporting-review")
    page.get_by_label("Ask for changes").check()
    page.get_by_role("button", name="Save the decision").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say what the provider needs to change")
    page.get_by_label("Comments").fill("Please add the referrals by crime type.")
    page.get_by_role("button", name="Save the decision").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("changes requested")
    assert_is_accessible(page, axe)
    screenshot(page, "reporting-award-monitoring")
    page.get_by_role("button", name="Sign out").click()

    # The provider makes the change and submits again.
    sign_in_through_the_page(page, base, demo_email("provider"), DEMO_PASSWORD)
    page.goto(f"{base}/monitoring/returns/{ret.pk}/")
    expect(page.locator(".govuk-inset-text")).to_contain_text("Please add the referrals by crime type.")
    page.get_by_label("Domestic abuse (optional)").fill("201")
    page.get_by_label("Sexual violence (optional)").fill("37")
    page.get_by_label("Your full name").fill("Helen Price")
    page.get_by_role("button", name="Submit the return").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("has been submitted")
    page.get_by_role("button", name="Sign out").click()

    # The officer accepts: the quarter's payment in arrears becomes payable.
    sign_in_through_the_page(page, base, demo_email("officer"), DEMO_PASSWORD)
    page.goto(f"{base}/monitoring/returns/{ret.pk}/review/")
    page.get_by_label("Accept the return").check()
    page.get_by_role("button", name="Save the decision").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("accepted")
    assert_is_accessible(page, axe)
    ret.refresh_from_db()
    assert ret.status == "accepted" and ret.rag
    line = PaymentScheduleLine.objects.get(
        award=ret.award, quarter_start_year=last.start_year, quarter=last.number
    )
    assert line.return_accepted_at is not None and line.is_payable
    page.goto(f"{base}/monitoring/returns/{ret.pk}/")
    assert_is_accessible(page, axe)
    screenshot(page, "reporting-accepted-return")
    assert not errors
