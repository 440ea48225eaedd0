"""A provider's returns, an award's chase history and the published grants are shown a page at a time, however many
there are."""

from datetime import date, timedelta
from decimal import Decimal

from opcc.models import Role
from reporting.models import ChaseEvent, QuarterlyReturn, ReturnStatus
from tests.conftest import sign_in
from tests.factories import OrganisationFactory, copies
from tests.funding.factories import PotFactory, approved_year
from tests.pages import next_page_link, table_rows
from tests.reporting.factories import force_status, monitored_award, the_return
from tests.reporting.transparency_factories import bulk_grants


def earlier_returns(ret, n, status):
    """`n` returns for the quarters before this one's, in `status`."""
    return copies(
        ret,
        n,
        quarter_start_year=lambda i: 2000 + i // 4,
        quarter=lambda i: i % 4 + 1,
        status=lambda _i: status,
    )


def test_a_providers_returns_sent_to_the_office_are_shown_twenty_five_at_a_time(client, world):
    grant = monitored_award(world.organisation)
    earlier_returns(force_status(the_return(grant, 1), ReturnStatus.ACCEPTED), 30, ReturnStatus.ACCEPTED)
    sign_in(client, world.users[Role.PROVIDER])

    to_complete = QuarterlyReturn.objects.filter(
        award=grant, status__in=QuarterlyReturn.WITH_PROVIDER
    ).count()
    assert to_complete >= 1

    body = client.get("/monitoring/your-returns/").content.decode()
    assert table_rows(body, "Returns to complete") == to_complete
    assert table_rows(body, "Returns sent to the office") == 25
    link = next_page_link(body, "Pages of returns sent to the office")
    assert link == "?page=2#sent"
    body = client.get(f"/monitoring/your-returns/{link}").content.decode()
    assert table_rows(body, "Returns sent to the office") == 31 - 25
    assert table_rows(body, "Returns to complete") == to_complete


def test_a_providers_returns_to_complete_are_shown_twenty_five_at_a_time(client, world):
    grant = monitored_award(world.organisation)
    earlier_returns(the_return(grant, 2), 30, ReturnStatus.OPEN)
    to_complete = QuarterlyReturn.objects.filter(
        award=grant, status__in=QuarterlyReturn.WITH_PROVIDER
    ).count()
    sign_in(client, world.users[Role.PROVIDER])
    body = client.get("/monitoring/your-returns/").content.decode()
    assert to_complete > 30 and f"To do ({to_complete})" in body
    assert table_rows(body, "Returns to complete") == 25
    assert next_page_link(body, "Pages of returns to complete") == "?to-do-page=2#to-do"


def test_an_awards_chase_history_is_shown_twenty_five_at_a_time(client, world):
    grant = monitored_award(world.organisation)
    ret = the_return(grant, 1)
    ChaseEvent.objects.bulk_create(
        [
            ChaseEvent(
                quarterly_return=ret,
                step_key=f"step-{i}",
                description=f"Reminder {i}",
                sent_on=date(2026, 7, 1) + timedelta(days=i),
            )
            for i in range(30)
        ]
    )
    assert QuarterlyReturn.objects.filter(award=grant).count() >= 3
    sign_in(client, world.users[Role.COMMISSIONING_OFFICER])
    body = client.get(f"/monitoring/awards/{grant.pk}/").content.decode()
    assert table_rows(body, "Chase history") == 25
    assert "Reminder 29" in body and "Reminder 4<" not in body
    assert next_page_link(body, "Pages of the chase history") == "?chases-page=2#chases"


def test_lists_page_through_many_grants(client, world):
    year = approved_year(2026)
    pot = PotFactory(year=year, key="cgs", allocated=Decimal("1000000"))
    bulk_grants(pot, 30, OrganisationFactory())
    first = _public_page(client, "/transparency/grants/?stream=cgs")
    assert "30 grants" in first and 'href="?stream=cgs&amp;page=2"' in first
    assert 'href="?stream=cgs&amp;page=1" aria-label="Page 1" aria-current="page"' in first  # no link to "#"
    assert 'href="#"' not in first
    second = _public_page(client, "/transparency/grants/?stream=cgs&page=2")
    assert 'aria-label="Page 2" aria-current="page"' in second and "Bulk grant 0" in first + second


def _public_page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()
