"""Offer letters for a whole round: queued after commit, rendered in the background, progress on the page."""

from tests.conftest import sign_in
from tests.grants.factories import cgs_round, offered, roles


def test_letters_for_a_whole_round_are_prepared_in_the_background(
    client, world, django_capture_on_commit_callbacks
):
    provider, officer = roles(world)
    round_ = cgs_round()
    offered(round_, provider, officer, amount="1000", title="One")
    offered(round_, provider, officer, amount="2000", title="Two")
    sign_in(client, officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/grants/rounds/{round_.pk}/letters/")
    assert response.status_code == 302
    page = client.get(f"/grants/rounds/{round_.pk}/letters/").content.decode()
    assert "2 of 2 letters (100%)" in page and "Done" in page and page.count("Offer letter G26-") == 2
