import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.db import connection, connections
from django.test.utils import override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Error as PlaywrightError
from pytest_django.live_server_helper import LiveServer

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture
def axe():
    return Axe()


def assert_is_accessible(page, axe):
    """No serious or critical axe finding on the page as it stands.

    A click that navigates returns before the next page exists; axe run in between finds no document (or has its
    context destroyed). The page is let finish loading and axe runs again, on the page the user lands on."""
    for attempt in range(3):
        page.wait_for_load_state("load")
        try:
            results = axe.run(page)
            break
        except PlaywrightError as exc:
            navigating = "documentElement" in str(exc) or "context was destroyed" in str(exc)
            if not navigating or attempt == 2:
                raise
            page.wait_for_timeout(200)
    bad = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    details = "\n".join(
        f"{v['impact']}: {v['id']} — {v['help']} — {[n['target'] for n in v['nodes']][:3]}" for v in bad
    )
    assert not bad, f"axe on {page.url}:\n{details}"


def screenshot(page, name: str):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def sign_in_through_the_page(page, base_url: str, email: str, password: str):
    page.goto(f"{base_url}/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    if "/sign-in/two-factor/" in page.url:
        device = TOTPDevice.objects.get(user__email=email, confirmed=True)
        if device.last_t != -1:
            # A code works once; signing in twice within 30 seconds a person would wait for the next one. Written
            # only when needed: on a site shared by a module (`shared_site`) the server must not wait on this row.
            TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
            device.refresh_from_db()
        code = str(totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)).zfill(6)
        page.get_by_label("Security code").fill(code)
        page.get_by_role("button", name="Continue").click()


@pytest.fixture
def page(page):
    """Every browser test fails on a Content-Security-Policy violation or a script error."""
    problems = []
    page.on(
        "console",
        lambda msg: (
            problems.append(msg.text)
            if msg.type == "error" and "Content Security Policy" in msg.text
            else None
        ),
    )
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    yield page
    assert not problems, problems


class SharedSite:
    """A live server of a module's own, over data committed once for the whole module."""

    def __init__(self, server):
        self.url = server.url


@contextmanager
def shared_site(django_db_blocker, tmp_path_factory, load):
    """Runs `load()` once and commits it, then serves it until the module ends, when the tables are emptied and
    the migrations' rows put back. `live_server` (with `transactional_db`) would instead flush the database after
    every test, so every test would build its data again. The module's tests run in their own rolled-back
    transaction (pytest-django's `db`) and only read what `load()` made: a journey that changes the data keeps
    `live_server` and a load of its own."""
    from opcc.celery import app

    app.conf.task_always_eager = True
    with (
        django_db_blocker.unblock(),
        override_settings(
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            CELERY_TASK_ALWAYS_EAGER=True,
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
            MEDIA_ROOT=tmp_path_factory.mktemp("media"),
        ),
    ):
        # What the migrations left (procurement bands, delegation levels, the outcome catalogue...), put back after
        # the flush below, as Django's serialized rollback does: the tests that follow expect to find it.
        migrated = connection.creation.serialize_db_to_string()
        try:
            site_data = load()
            # A fixture's set-up and tear-down may each run in a context of their own, with a database connection
            # of their own: each closes its own, or the test database could not be dropped at the end of the run.
            connections.close_all()
            server = LiveServer("localhost")
            try:
                site = SharedSite(server)
                site.data = site_data
                yield site
            finally:
                server.stop()
        finally:
            call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
            connection.creation.deserialize_db_from_string(migrated)
            connections.close_all()
