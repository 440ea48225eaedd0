"""The head of commissioning reviews a service's description for publication, edits it and approves it; the public
then reads the approved wording on the invitation to tender."""

import re
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from opcc.demo import demo_email
from opcc.models import Role, User
from opcc.services.demo_accounts import DEMO_PASSWORD
from tests import demo_data
from tests.browser.conftest import assert_is_accessible, screenshot, sign_in_through_the_page
from tests.reporting.transparency_factories import open_tender


@pytest.fixture
def demo(transactional_db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    demo_data.load("core", "funding", "commissioning", "grants")
    from reporting.services import descriptions, public_texts  # noqa: PLC0415

    descriptions.approve_all_as_they_are()
    public_texts.approve_all_as_they_are()  # what the demo published; the tender below waits for review
    officer = User.objects.get(email=demo_email("officer"))
    return open_tender(
        SimpleNamespace(users={Role.COMMISSIONING_OFFICER: officer}), title="Stalking advocacy (demo)"
    )


def test_the_head_edits_and_approves_a_service_for_publication(page, live_server, demo, axe):
    base, tender = live_server.url, demo
    page.goto(f"{base}/transparency/tenders/{tender.pk}/")
    expect(page.locator("h1")).to_contain_text("title awaiting review")

    sign_in_through_the_page(page, base, demo_email("head"), DEMO_PASSWORD)
    page.goto(f"{base}/transparency-review/descriptions/")
    expect(page.locator("h1")).to_have_text("Text to review for publication")
    expect(page.get_by_role("heading", name="Services tendered for and contracted")).to_be_visible()
    assert_is_accessible(page, axe)
    screenshot(page, "publication-review-list")

    page.get_by_role("link", name=re.compile(r"Review and approve .*lead officer")).first.click()
    expect(page.locator("h1")).to_contain_text("Review for publication")
    assert_is_accessible(page, axe)
    page.get_by_label("What the service is for").fill("")
    page.get_by_role("button", name="Approve for publication").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "What the service is for: enter the text to publish"
    )
    assert_is_accessible(page, axe)
    page.get_by_label("What the service is for").fill("Advocacy for people being stalked, West Mercia wide")
    screenshot(page, "publication-review-edit")
    page.get_by_role("button", name="Approve for publication").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Published:")

    page.goto(f"{base}/transparency/tenders/{tender.pk}/")
    expect(page.locator("h1")).to_have_text("Stalking advocacy (demo)")
    expect(page.locator("main")).to_contain_text("Advocacy for people being stalked, West Mercia wide")
    assert_is_accessible(page, axe)
