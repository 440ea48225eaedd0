import fcntl
import importlib
import os
import shutil
import tempfile

import freezegun
import pytest
from django.conf import settings as django_settings
from django.contrib.contenttypes.models import ContentType
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from opcc.models import Role
from opcc.testing import verified_client
from tests import demo_data
from tests.factories import (
    AreaFactory,
    CSPFactory,
    ObjectiveFactory,
    OrganisationFactory,
    ProviderFactory,
    UserFactory,
)

# pytest times each test with `_pytest.timing.perf_counter`: left to freezegun, a test that freezes time in a fixture
# would report a duration of nothing in --durations. Only that module is named: a wider prefix ("_pytest",
# "django.db") would hand the real clock to the code under test too, since freezegun judges by the callers' modules.
freezegun.configure(extend_ignore_list=["_pytest.timing"])


def pytest_configure(config):
    """One directory for the demo data the run's tests build (tests/demo_data.py), made by the controller so that
    every xdist worker inherits it, and removed when the run ends."""
    if not hasattr(config, "workerinput"):
        os.environ[demo_data.CACHE_ENV] = tempfile.mkdtemp(prefix="opcc-demo-")
        os.environ[demo_data.ORIGINAL_DB_ENV] = django_settings.DATABASES["default"]["NAME"]


def pytest_unconfigure(config):
    if not hasattr(config, "workerinput") and os.environ.get(demo_data.CACHE_ENV):
        from pytest_django.plugin import blocking_manager_key

        with config.stash[blocking_manager_key].unblock():
            drop_template_database()
        shutil.rmtree(os.environ.pop(demo_data.CACHE_ENV), ignore_errors=True)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """Under `--dist loadfile` (make test) each module runs whole on one worker, so data a module builds once is
    built once, and every browser journey runs on the same worker, one after another: one Chromium and one live
    server at a time is what a small machine runs fastest."""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class BrowserJourneysTogether(LoadFileScheduling):
        def _split_scope(self, nodeid):
            module = super()._split_scope(nodeid)
            return "tests/browser/" if module.startswith("tests/browser/") else module

    return BrowserJourneysTogether(config, log)


@pytest.fixture(scope="session")
def django_db_setup(request, django_test_environment, django_db_blocker, django_db_modify_db_settings):
    """The test database, migrated once per run. Migrating takes about forty seconds of Django building model states:
    on PostgreSQL the first worker migrates a template database and every worker (itself included) copies it with
    CREATE DATABASE ... TEMPLATE, in about a second; each worker drops its copy when it ends, and the controller the
    template. Elsewhere (SQLite) each worker migrates its own, as pytest-django does."""
    from django.db import connection, connections
    from django.test.utils import setup_databases, teardown_databases

    verbosity = request.config.option.verbose
    if connection.vendor != "postgresql":
        with django_db_blocker.unblock():
            created = setup_databases(
                verbosity=verbosity, interactive=False, aliases={"default"}, serialized_aliases=set()
            )
        yield
        with django_db_blocker.unblock():
            teardown_databases(created, verbosity=verbosity)
        return

    # Named for the run (its demo directory's random suffix), so two runs on one server never drop each other's.
    settings_dict = connection.settings_dict
    run = demo_data.cache_dir().name.rsplit("-", 1)[-1].lower()
    template = f"test_{os.environ.get(demo_data.ORIGINAL_DB_ENV, settings_dict['NAME'])}_{run}"
    own = f"{template}_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    marker = demo_data.cache_dir() / "template-database"
    quote = connection.ops.quote_name
    with django_db_blocker.unblock(), open(marker.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not marker.exists():
            settings_dict["TEST"]["NAME"] = template
            setup_databases(
                verbosity=verbosity, interactive=False, aliases={"default"}, serialized_aliases=set()
            )
            marker.write_text(template)
        connection.close()  # nobody may be connected to a template while it is copied
        with connection.creation._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quote(own)}")
            cursor.execute(f"CREATE DATABASE {quote(own)} TEMPLATE {quote(template)}")
        settings_dict["NAME"] = django_settings.DATABASES["default"]["NAME"] = own
    yield
    with django_db_blocker.unblock():
        connections.close_all()
        drop_database(own)


def drop_database(name: str) -> None:
    """Drop a test database, ending any session a test left open on it (a live server's thread, a worker's)."""
    from django.db import connection

    with connection.creation._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)} WITH (FORCE)")


def drop_template_database() -> None:
    """At the end of the run (in the controller): the template the workers copied, if one was made."""
    from django.db import connection

    marker = demo_data.cache_dir() / "template-database"
    if connection.vendor == "postgresql" and marker.exists():
        drop_database(marker.read_text())


@pytest.fixture(scope="session")
def _migrated(django_db_setup, django_db_blocker):
    """Every row the migrations wrote, as Django's serialized rollback keeps them, read once per test database;
    and the tables they are in, but for the content types and permissions, which a flush writes again itself."""
    from django.core import serializers
    from django.db import connection

    with django_db_blocker.unblock():
        rows = connection.creation.serialize_db_to_string()
        demo_data.keep_migrated_state()
    tables = {type(row.object)._meta.db_table for row in serializers.deserialize("json", rows)}
    return rows, sorted(tables - {"django_content_type", "auth_permission"})


@pytest.fixture(autouse=True)
def _migrations_rows_after_a_flush(_migrated, django_db_blocker):
    """A test with a real transaction (a browser journey, a concurrency test) ends by emptying every table, the
    rows the migrations wrote too. With the tests spread over workers a worker may go on to any other module after
    one, so they are written back for good, before and after each test, whenever they are found gone."""
    with django_db_blocker.unblock():
        write_back_migrations_rows(*_migrated)
    yield
    with django_db_blocker.unblock():
        write_back_migrations_rows(*_migrated)


def write_back_migrations_rows(rows: str, tables: list[str]) -> None:
    """Fill the tables a flush left empty from `rows`, outside any test's transaction."""
    from django.core import serializers
    from django.db import connection, transaction

    if connection.in_atomic_block or not tables:
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(f"EXISTS (SELECT 1 FROM {quote(t)})" for t in tables))
        filled = dict(zip(tables, cursor.fetchone(), strict=True))
    if all(filled.values()):
        return
    with transaction.atomic(), connection.constraint_checks_disabled():
        for row in serializers.deserialize("json", rows):
            if not filled.get(type(row.object)._meta.db_table, True):
                row.save()
        connection.check_constraints(table_names=[t for t, f in filled.items() if not f])


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    from django.core.cache import cache

    from opcc.celery import app

    app.conf.task_always_eager = True
    cache.clear()  # rate-limit counters must not leak from one test into the next
    # Content types are cached by id for the process. A flush (after a test with a real transaction) writes them
    # again under new ids, and a test that copies the demo back (tests/demo_data.py) and rolls back returns to
    # those: each test looks them up afresh.
    ContentType.objects.clear_cache()


@pytest.fixture(autouse=True)
def _migrations_rows(db):
    """A test with a real transaction (a browser journey, a concurrency test) ends by emptying every table, the
    rows the migrations wrote too: write them again when they are missing, so every test finds the outcome indicator
    catalogue, the monitoring tiers and bands, the MoJ return's sections, the delegation levels and the due diligence
    checklist the migrations made (`_migrations_rows_after_a_flush` cannot, once the test's transaction has begun)."""
    from funding.models import DelegationLevel
    from opcc.models import ValueBand
    from reporting.models import MojReturnSection, MonitoringTier, OutcomeIndicator

    if not ValueBand.objects.exists():
        # The due diligence checklist (bands and items) as migration opcc 0006 writes it.
        from django.apps import apps

        importlib.import_module("opcc.migrations.0006_due_diligence").seed_checklist(apps, None)
    if not (
        OutcomeIndicator.objects.exists()
        and MonitoringTier.objects.exists()
        and MojReturnSection.objects.exists()
        and DelegationLevel.objects.exists()
    ):
        from funding import delegation
        from reporting import moj_defaults
        from reporting.services import frameworks, tiers

        frameworks.ensure_indicators()
        tiers.ensure_defaults()
        moj_defaults.ensure_defaults()
        delegation.ensure()


@pytest.fixture(autouse=True)
def _reset_axes(db):
    from axes.models import AccessAttempt

    AccessAttempt.objects.all().delete()


def current_code(user) -> str:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return str(totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)).zfill(
        device.digits
    )


def sign_in(client, user):
    """Force a signed-in, two-factor-verified session, as the real sign-in leaves it."""
    return verified_client(user, client)


class World:
    """Two areas, an organisation in each, and one person in every role; providers and deciders tied to area one."""


@pytest.fixture
def world(db):
    return build_world()


def build_world() -> World:
    w = World()
    w.area = AreaFactory(name="Herefordshire", slug="herefordshire")
    w.other_area = AreaFactory(name="Shropshire", slug="shropshire")
    w.csp = CSPFactory(area=w.area)
    w.other_csp = CSPFactory(area=w.other_area)
    w.organisation = OrganisationFactory(name="Marches Support")
    w.organisation.areas_served.set([w.area])
    w.other_organisation = OrganisationFactory(name="Shropshire Help")
    w.other_organisation.areas_served.set([w.other_area])
    w.users = {
        Role.COMMISSIONING_OFFICER: UserFactory(
            role=Role.COMMISSIONING_OFFICER, email="officer@example.org", is_staff=True
        ),
        Role.HEAD_OF_COMMISSIONING: UserFactory(
            role=Role.HEAD_OF_COMMISSIONING, email="head@example.org", is_staff=True
        ),
        Role.PCC: UserFactory(role=Role.PCC, email="pcc@example.org"),
        Role.FINANCE_OFFICER: UserFactory(role=Role.FINANCE_OFFICER, email="finance@example.org"),
        Role.PROVIDER: ProviderFactory(email="provider@example.org", organisation=w.organisation),
        Role.COMMUNITY_AMBASSADOR: UserFactory(
            role=Role.COMMUNITY_AMBASSADOR, email="ambassador@example.org", areas=[w.area]
        ),
        Role.AREA_COMMANDER: UserFactory(
            role=Role.AREA_COMMANDER, email="commander@example.org", areas=[w.area]
        ),
        Role.EVALUATOR: UserFactory(role=Role.EVALUATOR, email="evaluator@example.org"),
        Role.AUDITOR: UserFactory(role=Role.AUDITOR, email="auditor@example.org"),
    }
    w.other_provider = ProviderFactory(email="other-provider@example.org", organisation=w.other_organisation)
    # The current Police and Crime Plan, with one priority and its objective.
    w.objective = ObjectiveFactory(
        title="Support victims to cope and recover", priority__title="Putting victims and survivors first"
    )
    w.priority, w.plan = w.objective.priority, w.objective.priority.plan
    return w
