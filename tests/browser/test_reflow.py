"""At 320 CSS pixels wide no page scrolls sideways (WCAG 2.2, 1.4.10 Reflow), for every role and the public.

Each role's pages are found by following the links it can see (tests/crawler.py), at most a few pages of
the same view each, on the whole demo data set, loaded once for the module.
"""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from opcc.demo import PEOPLE, demo_email
from opcc.models import Role, User
from opcc.testing import verified_client
from tests import demo_data
from tests.browser.conftest import assert_is_accessible, shared_site
from tests.crawler import walk

WIDTH = 320
PAGES_PER_ROLE = 30
PAGES_PER_VIEW = 2
PUBLIC_STARTS = (
    "/sign-in/",
    "/transparency/",
    "/open-data/",
    "/accessibility/",
    "/password-reset/",
    "/grants/register/",
)

FIRST_OF_EACH_ROLE = {}
for local, _name, role, *_ in PEOPLE:
    FIRST_OF_EACH_ROLE.setdefault(role, local)


def sign_in(page, site, role):
    """Hand the browser a session of the role's, made when the demo was loaded, and return the crawler's client.

    The two have sessions of their own: the crawler runs inside the test's transaction, so a session row it
    writes (a refreshed expiry) stays locked until the test ends, and a browser on that same session would wait
    on the lock."""
    crawler, browser = site.data[role]
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "url": site.url,
                "value": browser.cookies[settings.SESSION_COOKIE_NAME].value,
            }
        ]
    )
    return crawler


def load_demo():
    """The whole demo, and for each role two signed-in, two-factor-verified clients: the crawler's and the
    browser's."""
    demo_data.load("seed_demo")
    users = {role: User.objects.get(email=demo_email(local)) for role, local in FIRST_OF_EACH_ROLE.items()}
    return {role: (verified_client(user), verified_client(user)) for role, user in users.items()}


@pytest.fixture(scope="module")
def demo_site(django_db_setup, django_db_blocker, tmp_path_factory):
    with shared_site(django_db_blocker, tmp_path_factory, load_demo) as site:
        yield site


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": WIDTH, "height": 720}}


def reachable_pages(client, starts, limit):
    pages = []
    for start in starts:
        for url, _parent, response in walk(client, start, limit, per_view=PAGES_PER_VIEW):
            if (
                response.status_code == 200
                and "text/html" in response.get("Content-Type", "")
                and url not in pages
            ):
                pages.append(url)
    return pages


def pages_that_scroll_sideways(page, base_url, urls):
    wide = []
    for url in urls:
        page.goto(f"{base_url}{url}")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > page.evaluate("window.innerWidth"):
            wide.append(f"{url} is {width}px wide")
    return wide


@pytest.mark.parametrize("role", list(Role))
def test_no_page_a_role_can_reach_scrolls_sideways_at_320_pixels(page, demo_site, role):
    urls = reachable_pages(sign_in(page, demo_site, role), ["/home/"], PAGES_PER_ROLE)
    assert len(urls) > 5, f"{role} reached almost nothing: {urls}"
    wide = pages_that_scroll_sideways(page, demo_site.url, urls)
    assert not wide, (
        f"{len(wide)} of {len(urls)} pages for {role} scroll sideways at {WIDTH}px:\n" + "\n".join(wide)
    )


def test_no_public_page_scrolls_sideways_at_320_pixels(page, demo_site):
    urls = reachable_pages(Client(), PUBLIC_STARTS, 15)
    assert len(urls) > 5, urls
    wide = pages_that_scroll_sideways(page, demo_site.url, urls)
    assert not wide, f"{len(wide)} of {len(urls)} public pages scroll sideways at {WIDTH}px:\n" + "\n".join(
        wide
    )


def test_a_table_too_wide_for_the_screen_scrolls_in_a_region_keyboard_users_can_reach(page, demo_site, axe):
    page.goto(f"{demo_site.url}/transparency/contracts/")
    region = page.locator(".moj-scrollable-pane").first
    assert region.get_attribute("role") == "region"
    assert region.get_attribute("tabindex") == "0"
    assert (
        region.get_attribute("aria-label")
        == page.locator(".moj-scrollable-pane caption").first.inner_text().strip()
    )
    assert region.evaluate("el => el.scrollWidth > el.clientWidth"), (
        "the table should need scrolling at 320px"
    )
    assert_is_accessible(page, axe)

    # On a wide screen the same table fits, and its region is no longer a tab stop or a landmark.
    page.set_viewport_size({"width": 1280, "height": 720})
    expect(region).not_to_have_attribute("tabindex", "0")
    expect(region).not_to_have_attribute("role", "region")
    assert_is_accessible(page, axe)
