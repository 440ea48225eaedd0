import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from opcc import aggregates
from opcc.models import Role
from opcc.services import documents, invitations
from opcc.testing import verified_client
from tests.conftest import build_world
from tests.permissions import ANON, IGNORED_PREFIXES, LOGIN, MATRIX, OTHER_PROVIDER, REDIRECT, VISITORS


def named_urls(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from named_urls(entry, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}"


def test_every_named_url_is_in_the_permission_matrix():
    missing = sorted(
        {name for name in named_urls() if name not in MATRIX and not name.startswith(IGNORED_PREFIXES)}
    )
    assert not missing, f"Add these URLs to tests/permissions.py: {missing}"


@pytest.fixture(scope="module")
def matrix_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """One world for every row, built once and rolled back when the module ends; each test still runs
    in its own savepoint (pytest-django's `db`), so nothing one visitor does leaks into the next row."""
    from django.db import transaction
    from django.test.utils import override_settings

    media = tmp_path_factory.mktemp("matrix-media")
    with (
        django_db_blocker.unblock(),
        override_settings(
            MEDIA_ROOT=media, PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
        ),
    ):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            world = build_world()
            world.media_root = media
            world.document = documents.store_document(
                uploaded=SimpleUploadedFile("plan.pdf", b"%PDF-1.7\n%%EOF\n"),
                attached_to=world.organisation,
                by=None,
            )
            _, world.invitation_token = invitations.invite(
                email="new@example.org",
                organisation=world.organisation,
                by=world.users[Role.COMMISSIONING_OFFICER],
            )
            for setup in app_setups():
                setup(world)
            # Each visitor signed in once, two-factor verified: a test presents the session's cookie.
            world.sessions = {
                visitor: verified_client(visitor_user(world, visitor)).cookies[
                    django_settings.SESSION_COOKIE_NAME
                ]
                for visitor in VISITORS
                if visitor != ANON
            }
            yield world
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def app_setups():
    """Each app's tests/<app>/permissions.py may define setup(world) to add the objects its URLs need."""
    from tests.permissions import permission_modules

    return [module.setup for module in permission_modules() if hasattr(module, "setup")]


def visitor_user(world, visitor):
    if visitor == ANON:
        return None
    if visitor == OTHER_PROVIDER:
        return world.other_provider
    return world.users[Role(visitor)]


def outcome(response) -> object:
    if response.status_code in (301, 302):
        return (
            LOGIN
            if response["Location"].startswith("/sign-in/") and "next=" in response["Location"]
            else REDIRECT
        )
    return response.status_code


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_who_gets_in(client, matrix_world, db, settings, name):
    settings.MEDIA_ROOT = matrix_world.media_root
    build_kwargs, expected = MATRIX[name]
    url = reverse(name, kwargs=build_kwargs(matrix_world))
    got = {}
    for visitor in VISITORS:
        client.cookies.clear()
        if visitor != ANON:
            client.cookies[django_settings.SESSION_COOKIE_NAME] = matrix_world.sessions[visitor].value
        with CaptureQueriesContext(connection) as queries:
            got[visitor] = outcome(client.get(url))
        # A GET changes nothing: every change is a POST, under CSRF protection (CsrfViewMiddleware, no exemptions).
        writes = [q["sql"][:120] for q in queries.captured_queries if aggregates._writes_watched(q["sql"])]
        assert not writes, f"GET {url} as {visitor} wrote to the database: {writes}"
    wrong = {v: f"expected {expected[v]}, got {got[v]}" for v in VISITORS if got[v] != expected[v]}
    assert not wrong, f"{name} ({url}): {wrong}"
