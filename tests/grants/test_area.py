from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from freezegun import freeze_time

from funding.models import Award
from grants.models import Application
from grants.services import decisions as decision_services
from grants.services import offers as offer_services
from opcc.models import Role
from tests.conftest import sign_in
from tests.factories import UserFactory
from tests.grants.factories import lpcaf_round, submitted


@pytest.fixture
def bids(world):
    round_ = lpcaf_round(areas=[world.area, world.other_area])
    mine = submitted(
        round_, world.users[Role.PROVIDER], amount="1500", area=world.area, title="Herefordshire bid"
    )
    theirs = submitted(
        round_, world.other_provider, amount="900", area=world.other_area, title="Shropshire bid"
    )
    return mine, theirs


@pytest.fixture
def in_2026_27():
    """Bids made and offered in 2026/27, the year of the areas' pots (the offer's money comes from the bid's year)."""
    with freeze_time("2026-11-25 10:00:00"):
        yield


def test_both_deciders_of_the_bids_own_area_approve_it_on_its_page(in_2026_27, client, world, bids):
    mine, _ = bids
    ambassador, commander = world.users[Role.COMMUNITY_AMBASSADOR], world.users[Role.AREA_COMMANDER]
    sign_in(client, ambassador)
    page = client.get(f"/grants/applications/{mine.pk}/").content.decode()
    assert "Record your decision" in page and "Herefordshire bid" in page
    response = client.post(
        f"/grants/applications/{mine.pk}/area-decision/", {"decision": "approve", "note": ""}
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.status == Application.Status.SUBMITTED  # waiting for the commander
    sign_in(client, commander)
    client.post(
        f"/grants/applications/{mine.pk}/area-decision/", {"decision": "approve", "note": "Good value"}
    )
    mine.refresh_from_db()
    assert mine.status == Application.Status.APPROVED and mine.decided_amount == 1500
    # The officer then makes the offer from the area's own pot.
    application = offer_services.make_offer(
        application=mine,
        by=world.users[Role.COMMISSIONING_OFFICER],
        start_date=mine.start_date,
        end_date=mine.end_date,
        schedule_kind="in_advance",
        accept_by=mine.start_date - timedelta(days=1),
    )
    assert (
        application.award.pot.key == f"lpcaf-{world.area.slug}"
        and application.award.status == Award.Status.PENDING
    )


def test_one_decline_declines_the_bid(client, world, bids):
    mine, _ = bids
    sign_in(client, world.users[Role.AREA_COMMANDER])
    body = client.post(
        f"/grants/applications/{mine.pk}/area-decision/", {"decision": "decline", "note": ""}
    ).content.decode()
    assert "Enter the reason for declining" in body and "govuk-error-summary" in body
    client.post(
        f"/grants/applications/{mine.pk}/area-decision/",
        {"decision": "decline", "note": "Duplicates the youth club"},
    )
    mine.refresh_from_db()
    assert mine.status == Application.Status.DECLINED
    assert mine.messages.get().body.endswith("Duplicates the youth club")


def test_nobody_sees_or_decides_another_areas_bid_by_url(client, world, bids):
    mine, theirs = bids
    for role in (Role.COMMUNITY_AMBASSADOR, Role.AREA_COMMANDER):
        sign_in(client, world.users[role])
        assert client.get(f"/grants/applications/{theirs.pk}/").status_code == 404
        assert client.get(f"/grants/applications/{theirs.pk}/offer-letter.pdf").status_code == 404
        assert (
            client.post(
                f"/grants/applications/{theirs.pk}/area-decision/", {"decision": "approve"}
            ).status_code
            == 404
        )
        listing = client.get("/grants/area-bids/").content.decode()
        assert "Herefordshire bid" in listing and "Shropshire bid" not in listing
        assert "Shropshire bid" not in client.get("/home/").content.decode()
    theirs.refresh_from_db()
    assert theirs.status == Application.Status.SUBMITTED and not theirs.area_decisions.exists()
    with pytest.raises(PermissionDenied):
        decision_services.record_area_decision(
            application=theirs, by=world.users[Role.AREA_COMMANDER], decision="approve", note=""
        )
    # An ambassador of the other area can.
    other = UserFactory(role=Role.COMMUNITY_AMBASSADOR, areas=[world.other_area])
    sign_in(client, other)
    assert client.get(f"/grants/applications/{theirs.pk}/").status_code == 200
    assert client.get(f"/grants/applications/{mine.pk}/").status_code == 404


def test_an_office_cgs_application_is_not_decided_by_area_deciders(world):
    from tests.grants.factories import cgs_round

    application = submitted(cgs_round(), world.users[Role.PROVIDER])
    assert not world.users[Role.COMMUNITY_AMBASSADOR].has_perm("grants.view_application", application)
    assert not world.users[Role.COMMUNITY_AMBASSADOR].has_perm("grants.decide_application", application)
