"""A provider applies to the open CGS round, an officer assesses and approves it and makes the offer, the
provider accepts online and the award becomes active."""

import pytest
from playwright.sync_api import expect

from funding.models import Award
from grants import demo as grants_demo
from grants.models import Application
from opcc.demo import demo_email
from opcc.demo_utils import year_label
from opcc.services.demo_accounts import DEMO_PASSWORD
from tests import demo_data
from tests.browser.conftest import assert_is_accessible, screenshot, sign_in_through_the_page

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def demo(transactional_db, settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    demo_data.load("core", "funding", "grants")


def check(page, axe, name):
    assert_is_accessible(page, axe)
    screenshot(page, name)


def fill_date(page, field, day):
    page.locator(f"#id_{field}_0").fill(str(day.day))
    page.locator(f"#id_{field}_1").fill(str(day.month))
    page.locator(f"#id_{field}_2").fill(str(day.year))


def cgs_round_name() -> str:
    """The demo's open CGS round, named by its year (the current one, or next year's from late February)."""
    return f"Commissioner's Grant Scheme {year_label(grants_demo.dates().year)} (demo)"


def test_a_provider_applies_an_officer_assesses_the_head_decides_and_the_provider_accepts(
    page, live_server, demo, axe, tmp_path
):
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    base = live_server.url

    # The provider applies.
    sign_in_through_the_page(page, base, demo_email("provider.telford"), DEMO_PASSWORD)
    check(page, axe, "grants-provider-home")
    page.get_by_role("link", name="Apply for funding", exact=True).first.click()
    check(page, axe, "grants-apply")
    page.get_by_role("link", name=f"Apply to {cgs_round_name()}").click()
    # The demo's Telford project already has a draft in this round: it is continued, never started twice.
    expect(page.get_by_role("button", name="Continue your application")).to_be_visible()
    expect(page.get_by_role("button", name="Start your application")).to_have_count(0)
    check(page, axe, "grants-start-continue")
    page.get_by_role("button", name="Continue your application").click()
    expect(page.locator(".govuk-task-list")).to_be_visible()
    expect(page.locator("#task-declaration-status")).to_have_text("Cannot start yet")
    check(page, axe, "grants-task-list")

    page.get_by_role("link", name="About the project").click()
    page.get_by_label("Project name").fill("Girls' group <script>alert(1)</script>")
    page.get_by_label("Summary of the project").fill(
        "Weekly group for girls at risk of exploitation in Telford."
    )
    when = grants_demo.dates()  # the demo's projects: from a month ahead to the end of the round's year
    fill_date(page, "start_date", when.project_start)
    fill_date(page, "end_date", when.project_end)
    page.get_by_role("button", name="Save and return to the task list").click()
    expect(page.locator("#task-project-status")).to_have_text("Completed")

    page.get_by_role("link", name="Need and outcomes").click()
    page.get_by_label("What need will the project meet?").fill("Child exploitation profile for Telford.")
    page.get_by_role("button", name="Save and return to the task list").click()
    expect(page.locator("#task-need-status")).to_contain_text("In progress")
    page.get_by_role("link", name="Need and outcomes").click()
    page.get_by_label("What outcomes will it achieve, and how will you measure them?").fill(
        "Girls feel safer; fewer missing episodes."
    )
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Save and return to the task list").click()

    page.get_by_role("link", name="Funding requested").click()
    page.get_by_label("Amount requested").fill("45,000")
    page.get_by_label("How will the money be spent?").fill("Two youth workers, one evening a week.")
    page.get_by_role("button", name="Save and return to the task list").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("maximum award of £40,000.00")
    expect(page.get_by_label("How will the money be spent?")).to_have_value(
        "Two youth workers, one evening a week."
    )
    check(page, axe, "grants-section-error")
    page.get_by_label("Amount requested").fill("14,500")
    page.get_by_role("button", name="Save and return to the task list").click()

    page.get_by_role("link", name="Supporting documents").click()
    accounts = tmp_path / "accounts.pdf"
    accounts.write_bytes(PDF)
    page.get_by_label("What is this document?").fill("Annual accounts 2025")
    page.get_by_label("Upload a file").set_input_files(str(accounts))
    page.get_by_role("button", name="Upload the document").click()
    expect(page.get_by_role("link", name="accounts.pdf")).to_be_visible()
    expect(page.locator("body")).to_contain_text("Annual accounts 2025")
    check(page, axe, "grants-attachments")
    page.get_by_role("button", name="I have added every document").click()

    page.get_by_role("link", name="Declaration and submit").click()
    page.get_by_role("button", name="Submit the application").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Confirm that the information you have given is true"
    )
    check(page, axe, "grants-submit-error")
    page.get_by_label("I confirm that the information").check()
    page.get_by_role("button", name="Submit the application").click()
    expect(page.locator(".govuk-panel--confirmation")).to_contain_text("Application submitted")
    expect(page.locator("body")).to_contain_text("What happens next")
    check(page, axe, "grants-submitted-confirmation")
    page.get_by_role("link", name="View your application").click()
    expect(page.locator("h1")).to_contain_text("Submitted")
    expect(page.locator("h1")).to_contain_text("<script>alert(1)</script>")
    check(page, axe, "grants-submitted")
    application = Application.objects.get(title__startswith="Girls' group")
    page.get_by_role("button", name="Sign out").click()

    # The officer assesses and approves (within their delegation) and makes the offer.
    sign_in_through_the_page(page, base, demo_email("officer"), DEMO_PASSWORD)
    page.get_by_role("link", name="Grants", exact=True).click()
    check(page, axe, "grants-index")
    page.get_by_role("link", name=cgs_round_name()).click()
    check(page, axe, "grants-round")
    page.get_by_role("link", name=application.reference).click()
    page.get_by_role("link", name="Start the assessment").click()
    page.get_by_role("button", name="Start the assessment").click()
    page.get_by_role("link", name="Score the application").click()
    page.get_by_label("No").check()
    check(page, axe, "grants-declare-interests")
    page.get_by_role("button", name="Continue").click()
    for radio in page.locator("input[type=radio][value='4']").all():
        radio.check()
    check(page, axe, "grants-score")
    page.get_by_role("button", name="Save scores").click()
    page.get_by_role("link", name="Record the assessment").click()
    page.locator("input[name=eligible][value=yes]").check()
    page.get_by_label("Cross-check with the needs assessment").fill("Matches the child exploitation profile.")
    page.locator("input[name=meets_priorities][value=yes]").check()
    page.locator("input[name=prevention][value=yes]").check()
    page.get_by_label("Approve", exact=True).check()
    page.get_by_role("button", name="Save the assessment").click()
    expect(page.get_by_text("80.0 out of 100")).to_be_visible()
    check(page, axe, "grants-assessed")
    page.get_by_role("link", name="Decide").click()
    page.get_by_label("Approve").check()
    page.get_by_label("Reasons (the applicant is told these)").fill("Strong outcomes for the cost.")
    check(page, axe, "grants-decide")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator("h1")).to_contain_text("Approved")
    page.get_by_role("link", name="Make the offer").click()
    page.get_by_label("In advance").check()
    check(page, axe, "grants-offer")
    page.get_by_role("button", name="Make the offer").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("£14,500.00 committed")
    check(page, axe, "grants-offered")
    page.get_by_role("button", name="Sign out").click()

    # The provider accepts.
    sign_in_through_the_page(page, base, demo_email("provider.telford"), DEMO_PASSWORD)
    expect(page.locator(".govuk-notification-banner")).to_contain_text("You have an offer of £14,500.00")
    page.get_by_role("link", name="Read and accept it").click()
    page.get_by_role("link", name="Accept the offer").first.click()
    check(page, axe, "grants-accept")
    page.get_by_label("I accept this offer").check()
    page.get_by_label("Role in the organisation").fill("Project lead")
    page.get_by_role("button", name="Accept the offer").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Your grant is now active")
    application.refresh_from_db()
    expect(page.get_by_text(application.offer.letter.sha256)).to_be_visible()
    check(page, axe, "grants-accepted")
    assert application.status == Application.Status.ACCEPTED
    assert Award.objects.get(pk=application.award_id).status == Award.Status.ACTIVE
    assert errors == []


def test_an_area_commander_decides_a_bid_on_its_page(page, live_server, demo, axe):
    base = live_server.url
    sign_in_through_the_page(page, base, demo_email("commander.herefordshire"), DEMO_PASSWORD)
    expect(page.get_by_text("Community drop-in at Leominster market")).to_be_visible()
    check(page, axe, "grants-commander-home")
    page.get_by_role("link", name="LPCAF bids", exact=True).click()
    check(page, axe, "grants-area-bids")
    page.get_by_role("link", name="Community drop-in at Leominster market").first.click()
    page.get_by_label("Approve").check()
    check(page, axe, "grants-area-bid")
    page.get_by_role("button", name="Record your decision").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Your decision has been recorded"
    )
    other = Application.objects.get(title="Friday night football in Brookside")
    page.goto(f"{base}/grants/applications/{other.pk}/")
    expect(page.locator("h1")).to_contain_text("Page not found")
