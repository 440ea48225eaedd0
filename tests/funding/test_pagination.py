"""An award's payments, its timeline and a pot's awards are shown a page at a time, however many there are."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType

from funding.models import Award, Payment
from opcc.models import Role, TransitionLog
from tests.conftest import sign_in
from tests.factories import copies
from tests.funding.factories import PotFactory, approved_year, award
from tests.pages import next_page_link, table_rows


@pytest.fixture
def pot(db):
    return PotFactory(year=approved_year(2026), key="cgs", allocated=Decimal("1000000"))


def test_an_awards_payments_are_shown_twenty_five_at_a_time_newest_first(client, world, pot):
    grant = award(organisation=world.organisation, pot=pot, amount="10000")
    Payment.objects.bulk_create(
        [
            Payment(
                award=grant,
                award_year=grant.profile.get(),
                amount=Decimal("10"),
                paid_on=date(2026, 4, 1) + timedelta(days=i),
                reference=f"PAY-{i:03d}",
            )
            for i in range(30)
        ]
    )
    sign_in(client, world.users[Role.FINANCE_OFFICER])

    body = client.get(f"/funding/awards/{grant.pk}/").content.decode()
    assert "Payments made (30)" in body
    assert table_rows(body, "Payments made") == 25
    assert "PAY-029" in body and "PAY-004" not in body
    link = next_page_link(body, "Pages of payments made")
    assert link == "?payments-page=2#payments"
    body = client.get(f"/funding/awards/{grant.pk}/{link}").content.decode()
    assert table_rows(body, "Payments made") == 5 and "PAY-004" in body and "PAY-029" not in body


def test_an_awards_timeline_is_shown_twenty_changes_at_a_time(client, world, pot):
    grant = award(organisation=world.organisation, pot=pot, amount="10000")
    log = TransitionLog.objects.filter(
        content_type=ContentType.objects.get_for_model(Award), object_id=grant.pk
    ).first()
    copies(log, 24)
    sign_in(client, world.users[Role.FINANCE_OFFICER])

    body = client.get(f"/funding/awards/{grant.pk}/").content.decode()
    assert body.count('<div class="moj-timeline__item">') == 20
    link = next_page_link(body, "Pages of the timeline")
    assert link == "?timeline-page=2#timeline"
    body = client.get(f"/funding/awards/{grant.pk}/{link}").content.decode()
    total = TransitionLog.objects.filter(content_type=log.content_type, object_id=grant.pk).count()
    assert body.count('<div class="moj-timeline__item">') == total - 20


def test_a_pots_awards_are_shown_fifty_at_a_time(client, world, pot):
    first = award(organisation=world.organisation, pot=pot, amount="100")
    for made in copies(first, 50, reference=lambda i: f"POT-{i:03d}"):
        copies(first.profile.get(), 1, award_id=lambda _i, made=made: made.pk)
    sign_in(client, world.users[Role.FINANCE_OFFICER])
    body = client.get("/funding/2026/pots/cgs/").content.decode()
    assert "Awards from this pot in 2026 to 2027 (51)" in body
    assert table_rows(body, "Awards from") == 50
    assert next_page_link(body, "Pages of awards from this pot") == "?page=2#awards"
