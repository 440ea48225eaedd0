import freezegun
import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from opcc.models import Role
from opcc.testing import verified_client
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


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups
def pytest_collection_modifyitems(items):
    """Under `--dist loadgroup` (make test) each module runs whole on one worker, so data a module builds once is
    built once, and every browser journey runs on the same worker, one after another: one Chromium and one live
    server at a time is what a small machine runs fastest. A test that loads the whole demo (slow_data) shares
    nothing with its neighbours and goes wherever a worker is free."""
    for item in items:
        if item.path.parent.name == "browser":
            group = "browser"
        elif item.get_closest_marker("slow_data"):
            group = item.nodeid
        else:
            group = item.nodeid.split("::")[0]
        item.add_marker(pytest.mark.xdist_group(group))


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


@pytest.fixture(autouse=True)
def _migrations_rows(db):
    """A test with a real transaction (a browser journey, a concurrency test) ends by emptying every table, the
    rows the migrations wrote too: write them again when they are missing, so every test finds the outcome indicator
    catalogue, the monitoring tiers and bands and the MoJ return's sections the migrations made."""
    from reporting.models import MojReturnSection, MonitoringTier, OutcomeIndicator

    if not (
        OutcomeIndicator.objects.exists()
        and MonitoringTier.objects.exists()
        and MojReturnSection.objects.exists()
    ):
        from reporting import moj_defaults
        from reporting.services import frameworks, tiers

        frameworks.ensure_indicators()
        tiers.ensure_defaults()
        moj_defaults.ensure_defaults()


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
