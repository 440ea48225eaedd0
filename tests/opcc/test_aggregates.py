"""Cached aggregates: reused until the data changes, whoever changes it and however; never stale, never
holding a transaction's uncommitted figures."""

from decimal import Decimal

import pytest
from django.db import transaction

from funding.models import Pot
from opcc import aggregates
from opcc.models import Role
from tests.conftest import build_world, sign_in
from tests.reporting.factories import victims_pot

pytestmark = pytest.mark.django_db(transaction=True)


class Counter:
    def __init__(self):
        self.calls = 0

    def total(self):
        self.calls += 1
        return sum(p.allocated for p in Pot.objects.all())


def test_a_figure_is_computed_once_until_a_write_commits():
    pot = victims_pot(allocated="1000")
    counter = Counter()
    assert aggregates.cached("t", "k", counter.total) == Decimal("1000")
    assert aggregates.cached("t", "k", counter.total) == Decimal("1000")
    assert counter.calls == 1

    pot.allocated = Decimal("2000")
    pot.save()  # a model save
    assert aggregates.cached("t", "k", counter.total) == Decimal("2000")
    Pot.objects.filter(pk=pot.pk).update(allocated=Decimal("3000"))  # a queryset update: no signals
    assert aggregates.cached("t", "k", counter.total) == Decimal("3000")
    Pot.objects.bulk_create(
        [Pot(year=pot.year, stream=pot.stream, key="extra", name="Extra", allocated=Decimal("5"))]
    )
    assert aggregates.cached("t", "k", counter.total) == Decimal("3005")
    assert counter.calls == 4
    assert aggregates.cached("t", "other key", counter.total) == Decimal("3005") and counter.calls == 5


def test_writes_elsewhere_leave_the_cache_alone():
    victims_pot(allocated="1000")
    counter = Counter()
    aggregates.cached("t", "k", counter.total)
    world = build_world()  # users and sessions are not watched; organisations are
    counter.calls = 0
    from opcc.models import User

    User.objects.filter(pk=world.users[Role.PCC].pk).update(full_name="Renamed")
    aggregates.cached("t", "k", counter.total)
    aggregates.cached("t", "k", counter.total)
    assert counter.calls == 1  # computed once after build_world's organisations, then reused


def test_inside_a_transaction_that_wrote_the_figure_is_fresh_and_not_kept_and_a_rollback_changes_nothing():
    pot = victims_pot(allocated="1000")
    counter = Counter()
    assert aggregates.cached("t", "k", counter.total) == Decimal("1000")
    with pytest.raises(RuntimeError), transaction.atomic():
        Pot.objects.filter(pk=pot.pk).update(allocated=Decimal("9999"))
        assert aggregates.cached("t", "k", counter.total) == Decimal("9999")  # this transaction's own view
        raise RuntimeError("roll back")
    assert aggregates.cached("t", "k", counter.total) == Decimal("1000")
    with transaction.atomic():
        Pot.objects.filter(pk=pot.pk).update(allocated=Decimal("1500"))
    assert aggregates.cached("t", "k", counter.total) == Decimal("1500")


def test_the_money_dashboard_shows_a_change_at_once(client):
    world = build_world()
    pot = victims_pot(allocated="1000000")
    sign_in(client, world.users[Role.PCC])
    assert "£1,000,000" in client.get("/dashboard/?year=2026").content.decode()
    Pot.objects.filter(pk=pot.pk).update(allocated=Decimal("1234567"))
    page = client.get("/dashboard/?year=2026").content.decode()
    assert "£1,234,567" in page and "£1,000,000" not in page


def test_the_open_data_files_are_built_once_and_show_a_change_at_once(client, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.reporting.transparency_factories import published_world

    settings.RATE_LIMIT_OPEN_DATA = 1000
    pub = published_world(build_world())
    first = client.get("/open-data/grants.360giving.json")
    assert first.status_code == 200 and b"Safe at home" in first.content
    for url in (
        "/open-data/grants.360giving.json",
        "/open-data/grants.360giving.xlsx",
        "/open-data/contracts.ocds.json",
    ):
        client.get(url)  # built
        with CaptureQueriesContext(connection) as queries:
            again = client.get(url)
        assert again.status_code == 200
        assert len(queries) == 1, [q["sql"] for q in queries]  # the data version only: the file is reused
    assert client.get("/open-data/grants.360giving.json").content == first.content

    from funding.models import Award
    from reporting.services import descriptions
    from tests.factories import UserFactory

    Award.objects.filter(pk=pub.grant.pk).update(title="Safe at home, renamed")  # committed at once
    # The public reads a title once someone other than the award's creator approved it for publication.
    descriptions.approve_description(
        award=Award.objects.get(pk=pub.grant.pk), by=UserFactory(role=Role.COMMISSIONING_OFFICER)
    )
    changed = client.get("/open-data/grants.360giving.json").content
    assert b"Safe at home, renamed" in changed
