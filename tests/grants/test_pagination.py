"""A round's applications and an area's LPCAF bids are shown a page at a time, however many there are."""

from grants.models import Application
from opcc.models import Role
from tests.conftest import sign_in
from tests.factories import copies
from tests.grants.factories import cgs_round, lpcaf_round, submitted
from tests.pages import next_page_link, table_rows


def test_a_rounds_applications_are_shown_fifty_at_a_time(client, world):
    round_ = cgs_round()
    first = submitted(round_, world.users[Role.PROVIDER], title="The first bid")
    copies(first, 50, reference=lambda i: f"PAGE-{i:03d}")
    sign_in(client, world.users[Role.COMMISSIONING_OFFICER])

    body = client.get(f"/grants/rounds/{round_.pk}/").content.decode()
    assert table_rows(body, "Applications") == 50
    link = next_page_link(body, "Pages of applications")
    assert link == "?page=2#applications"

    body = client.get(f"/grants/rounds/{round_.pk}/{link}").content.decode()
    assert table_rows(body, "Applications") == 1
    assert next_page_link(body, "Pages of applications") is None


def test_an_areas_bids_and_those_waiting_for_a_decision_are_each_shown_a_page_at_a_time(client, world):
    round_ = lpcaf_round(areas=[world.area])
    bid = submitted(
        round_, world.users[Role.PROVIDER], amount="1500", area=world.area, title="Herefordshire bid"
    )
    copies(bid, 50, reference=lambda i: f"BID-{i:03d}")
    assert Application.objects.filter(area=world.area, status=Application.Status.SUBMITTED).count() == 51
    sign_in(client, world.users[Role.COMMUNITY_AMBASSADOR])

    body = client.get("/grants/area-bids/").content.decode()
    assert "Waiting for your decision (51)" in body and "All bids in your area (51)" in body
    assert table_rows(body, "Waiting for your decision") == 25
    assert table_rows(body, "All bids in your area") == 50
    waiting_next = next_page_link(body, "Pages of bids waiting for your decision")
    assert waiting_next == "?waiting-page=2#waiting"
    assert next_page_link(body, "Pages of all bids in your area") == "?page=2#all-bids"

    # Turning the waiting list's page leaves the other list where it was, and the other way round.
    body = client.get(f"/grants/area-bids/{waiting_next}").content.decode()
    assert table_rows(body, "Waiting for your decision") == 25
    assert table_rows(body, "All bids in your area") == 50
    assert next_page_link(body, "Pages of all bids in your area") == "?waiting-page=2&page=2#all-bids"
    body = client.get("/grants/area-bids/?waiting-page=2&page=2").content.decode()
    assert table_rows(body, "Waiting for your decision") == 25
    assert table_rows(body, "All bids in your area") == 1


def test_a_providers_applications_are_shown_fifty_at_a_time(client, world):
    first = submitted(cgs_round(), world.users[Role.PROVIDER], title="The first bid")
    copies(first, 55, reference=lambda i: f"MINE-{i:03d}")
    sign_in(client, world.users[Role.PROVIDER])
    body = client.get("/grants/applications/").content.decode()
    assert table_rows(body, "Your applications") == 50
    assert next_page_link(body, "Pages of your applications") == "?page=2"
