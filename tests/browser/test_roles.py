"""Sign in as every demo role in Chromium, visit its home page and navigation, and run axe on each."""

import pytest
from playwright.sync_api import expect

from opcc.demo import PEOPLE, demo_email
from opcc.models import Role
from opcc.services.demo_accounts import DEMO_PASSWORD
from tests import demo_data
from tests.browser.conftest import assert_is_accessible, screenshot, shared_site, sign_in_through_the_page

FIRST_OF_EACH_ROLE = {}
for local, _name, role, *_ in PEOPLE:
    FIRST_OF_EACH_ROLE.setdefault(role, local)


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo's people and organisations, loaded once: these journeys sign in and read, and change nothing."""
    with shared_site(django_db_blocker, tmp_path_factory, lambda: demo_data.load("core")) as site:
        yield site


@pytest.mark.parametrize("role", list(Role))
def test_each_role_signs_in_lands_home_and_every_page_in_its_navigation_is_accessible(page, site, axe, role):
    email = demo_email(FIRST_OF_EACH_ROLE[role])
    sign_in_through_the_page(page, site.url, email, DEMO_PASSWORD)
    expect(page).to_have_url(f"{site.url}/home/")
    expect(page.locator(".opcc-signed-in")).to_contain_text(Role(role).label.lower())
    expect(page.locator("h1")).to_be_visible()
    assert_is_accessible(page, axe)
    screenshot(page, f"home-{role}")

    nav_links = page.locator(".govuk-service-navigation__list a.govuk-service-navigation__link")
    hrefs = [nav_links.nth(i).get_attribute("href") for i in range(nav_links.count())]
    assert "/home/" in hrefs and "/account/" in hrefs
    for href in hrefs:
        page.goto(f"{site.url}{href}")
        assert page.locator("h1").count() == 1, f"{href} has no single h1"
        assert_is_accessible(page, axe)
        screenshot(page, f"nav-{role}{href.strip('/').replace('/', '-') or '-root'}")

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(f"{site.url}/sign-in/")


def test_public_and_error_pages_are_accessible(page, site, axe):
    for path in ("/sign-in/", "/accessibility/", "/password-reset/", "/no-such-page/", "/invitations/bad/"):
        page.goto(f"{site.url}{path}")
        assert_is_accessible(page, axe)
        screenshot(page, "public" + path.rstrip("/").replace("/", "-"))


def test_sign_in_errors_are_shown_in_an_error_summary_that_takes_focus(page, site, axe):
    page.goto(f"{site.url}/sign-in/")
    page.get_by_label("Email address").fill("nobody@example.org")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Sign in").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter a correct email address and password")
    expect(summary).to_be_focused()
    expect(page).to_have_title(
        "Error: Sign in – Commissioning and grants – West Mercia Police and Crime Commissioner"
    )
    assert_is_accessible(page, axe)
    screenshot(page, "sign-in-error")


def test_the_service_works_by_keyboard(page, site):
    page.goto(f"{site.url}/sign-in/")
    page.keyboard.press("Tab")
    expect(page.locator(".govuk-skip-link")).to_be_focused()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    # After the skip link, focus moves into the main content, not back through the header.
    assert page.evaluate("document.activeElement.closest('main') !== null")
    page.get_by_label("Email address").focus()
    page.keyboard.type(demo_email("provider"))
    page.keyboard.press("Tab")
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{site.url}/home/")
