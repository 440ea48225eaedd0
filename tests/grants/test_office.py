"""The office's counts of applications lead to the applications they count."""

import re

import pytest

from grants.services import assessment as assessment_services
from opcc.models import Role
from tests.conftest import sign_in
from tests.grants.factories import approved, cgs_round, draft, roles, submitted


@pytest.fixture
def queues(world):
    provider, officer = roles(world)
    round_ = cgs_round()
    return {
        "submitted": [
            submitted(round_, provider, title="Waiting one"),
            submitted(round_, provider, title="Waiting two"),
        ],
        "in_assessment": [
            assessment_services.start_assessment(
                application=submitted(round_, provider, title="Being assessed"), by=officer
            )
        ],
        "approved": [approved(round_, provider, officer, title="Approved bid")],
        "draft": [draft(round_, provider, title="Still a draft")],
    }


def _links(body: str) -> dict[str, str]:
    return {
        text: href
        for href, text in re.findall(
            r'<a class="govuk-link" href="(/grants/\?status=[a-z_]+)">([^<]+)</a>', body
        )
    }


def test_each_count_on_the_grants_page_links_to_the_applications_it_counts(client, world, queues):
    sign_in(client, world.users[Role.COMMISSIONING_OFFICER])
    body = client.get("/grants/").content.decode()
    links = _links(body)
    assert links == {
        "2 submitted": "/grants/?status=submitted",
        "1 in assessment": "/grants/?status=in_assessment",
        "1 approved, not yet offered": "/grants/?status=approved",
    }
    assert "0 offers waiting for acceptance" in body  # nothing to list, so not a link
    titles = {
        "submitted": {"Waiting one", "Waiting two"},
        "in_assessment": {"Being assessed"},
        "approved": {"Approved bid"},
    }
    everything = {"Waiting one", "Waiting two", "Being assessed", "Approved bid", "Still a draft"}
    for text, href in links.items():
        status = href.split("=")[1]
        page = client.get(href).content.decode()
        shown = {title for title in everything if title in page}
        assert shown == titles[status], text
        for application in queues[status]:
            assert f'href="/grants/applications/{application.pk}/"' in page
        assert page.count('<tr class="govuk-table__row">') >= len(queues[status])
    # The rounds are still listed below, and the plain page lists no applications.
    assert "Rounds" in client.get(links["2 submitted"]).content.decode()
    assert not ({"Waiting one", "Being assessed"} & {t for t in everything if t in body})


@pytest.mark.parametrize("status", ["draft", "nonsense", "", "withdrawn"])
def test_a_status_the_counts_do_not_cover_shows_the_ordinary_page(client, world, queues, status):
    sign_in(client, world.users[Role.COMMISSIONING_OFFICER])
    response = client.get(f"/grants/?status={status}")
    assert response.status_code == 200 and "Still a draft" not in response.content.decode()


def test_the_home_page_counts_link_to_the_same_lists(client, world, queues):
    sign_in(client, world.users[Role.HEAD_OF_COMMISSIONING])
    body = client.get("/home/").content.decode()
    links = _links(body[body.index('<h2 class="govuk-heading-m">Grants</h2>') :])
    assert links["2 applications submitted, waiting for assessment"] == "/grants/?status=submitted"
    assert links["1 in assessment"] == "/grants/?status=in_assessment"
    assert links["1 approved, waiting for an offer"] == "/grants/?status=approved"
    assert len(links) == 3


def test_the_lists_are_for_the_office_only(client, world, queues):
    sign_in(client, world.users[Role.PROVIDER])
    assert client.get("/grants/?status=submitted").status_code == 403
