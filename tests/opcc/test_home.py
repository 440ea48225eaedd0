"""Home pages: what waits for the person comes first, and no list on them grows with the data."""

import re

import pytest

from grants.services import assessment as assessment_services
from opcc.models import Role
from tests.conftest import sign_in
from tests.grants.factories import cgs_round
from tests.grants.factories import submitted as submitted_application
from tests.reporting.factories import monitored_award, the_return, victims_pot
from tests.reporting.factories import submitted as submitted_return


def headings(body: str) -> list[str]:
    return [
        re.sub(r"<[^>]+>", "", h).strip()
        for h in re.findall(r'<h2 class="govuk-heading-m"[^>]*>(.*?)</h2>', body, re.S)
    ]


def _in_assessment(round_, provider, officer, **kwargs):
    return assessment_services.start_assessment(
        application=submitted_application(round_, provider, **kwargs), by=officer
    )


@pytest.fixture
def officer_with_work(world):
    provider, officer = world.users[Role.PROVIDER], world.users[Role.COMMISSIONING_OFFICER]
    round_ = cgs_round()
    submitted_application(round_, provider, title="Waiting to be picked up")
    _in_assessment(round_, provider, officer, amount="12000", title="Small drop-in")
    award = monitored_award(world.organisation, pot=victims_pot())
    submitted_return(the_return(award, 1), provider)
    return officer


def test_the_officers_home_page_puts_the_work_waiting_above_everything_else(client, world, officer_with_work):
    sign_in(client, officer_with_work)
    found = headings(client.get("/home/").content.decode())
    waiting = ["Grant decisions waiting for you", "Applications to assess", "Outcome returns to review"]
    for heading in waiting:
        assert heading in found, found
    first_other = min(found.index(h) for h in found if h not in waiting)
    assert all(found.index(h) < first_other for h in waiting), found


def test_the_applications_to_assess_link_to_each_and_to_the_full_lists(client, world, officer_with_work):
    sign_in(client, officer_with_work)
    body = client.get("/home/").content.decode()
    section = body[body.index("Applications to assess") :]
    assert "Waiting to be picked up" in section and "Small drop-in" in section
    assert 'href="/grants/?status=submitted"' in section and 'href="/grants/?status=in_assessment"' in section


def test_nothing_waiting_puts_nothing_above_the_officers_own_work(client, world):
    sign_in(client, world.users[Role.COMMISSIONING_OFFICER])
    found = headings(client.get("/home/").content.decode())
    assert "Applications to assess" not in found and "Outcome returns to review" not in found


def test_the_decisions_waiting_are_capped_with_a_link_to_the_whole_paginated_list(client, world, monkeypatch):
    from opcc.views import home

    monkeypatch.setattr(home, "HOME_LIST_LENGTH", 2)
    monkeypatch.setattr("grants.views.decisions.DECISIONS_PER_PAGE", 2)
    provider, officer = world.users[Role.PROVIDER], world.users[Role.COMMISSIONING_OFFICER]
    round_ = cgs_round()
    titles = [f"Project {n}" for n in range(1, 6)]
    for title in titles:
        _in_assessment(round_, provider, officer, amount="12000", title=title)
    sign_in(client, officer)
    body = client.get("/home/").content.decode()
    section = body[body.index("Grant decisions waiting for you") : body.index("Applications to assess")]
    assert [t for t in titles if t in section] == titles[:2]  # the longest waiting first
    assert 'href="/grants/decisions/">View all 5 grant decisions waiting for you</a>' in section

    page_1 = client.get("/grants/decisions/").content.decode()
    assert [t for t in titles if t in page_1] == titles[:2]
    assert 'class="govuk-pagination"' in page_1 and "5 grant decisions are waiting for you" in page_1
    page_3 = client.get("/grants/decisions/?page=3").content.decode()
    assert [t for t in titles if t in page_3] == titles[4:]


def test_only_those_with_delegated_authority_have_a_decisions_list(client, world):
    from grants import defaults

    defaults.ensure()  # the delegation levels, which a database flushed by a browser journey may have lost
    sign_in(client, world.users[Role.FINANCE_OFFICER])
    assert client.get("/grants/decisions/").status_code == 403
    sign_in(client, world.users[Role.PCC])
    assert "No grant decisions are waiting for you" in client.get("/grants/decisions/").content.decode()


def test_what_waits_in_commissioning_is_capped_with_a_link_to_the_whole_paginated_list(
    client, world, monkeypatch
):
    from opcc.views import home
    from tests.commissioning.test_sign_off import sta_waiting

    monkeypatch.setattr(home, "HOME_LIST_LENGTH", 2)
    monkeypatch.setattr("commissioning.views.commissions.WAITING_PER_PAGE", 2)
    commissions = [sta_waiting(world) for _ in range(3)]
    sign_in(client, world.users[Role.HEAD_OF_COMMISSIONING])
    body = client.get("/home/").content.decode()
    start = body.index("Waiting for you in commissioning")
    section = body[start : body.index("<h2", start)]
    assert section.count("Sign off the single tender agreement<") == 2
    assert 'href="/commissioning/waiting/">View all 3 things waiting for you in commissioning</a>' in section
    page_1 = client.get("/commissioning/waiting/").content.decode()
    assert page_1.count("Sign off the single tender agreement<") == 2 and 'class="govuk-pagination"' in page_1
    page_2 = client.get("/commissioning/waiting/?page=2").content.decode()
    assert commissions[2].reference in page_2 and commissions[0].reference not in page_2


def _section(body: str, heading: str) -> str:
    start = body.index(heading)
    end = body.find("<h2", start)
    return body[start : end if end != -1 else len(body)]


def test_an_areas_bids_waiting_are_capped_with_a_link_to_all_of_them(client, world, monkeypatch):
    from opcc.views import home
    from tests.grants.factories import lpcaf_round

    monkeypatch.setattr(home, "HOME_LIST_LENGTH", 2)
    round_ = lpcaf_round(areas=[world.area])
    for n in range(3):
        submitted_application(
            round_, world.users[Role.PROVIDER], amount="900", area=world.area, title=f"Bid {n}"
        )
    sign_in(client, world.users[Role.COMMUNITY_AMBASSADOR])
    section = _section(client.get("/home/").content.decode(), "LPCAF bids waiting for your decision")
    assert len(re.findall(r'href="/grants/applications/\d+/"', section)) == 2
    assert 'href="/grants/area-bids/">View all 3 bids waiting for your decision</a>' in section


def test_a_providers_applications_are_capped_with_a_link_to_all_of_them(client, world, monkeypatch):
    from opcc.views import home

    monkeypatch.setattr(home, "HOME_LIST_LENGTH", 2)
    round_ = cgs_round()
    for n in range(3):
        submitted_application(round_, world.users[Role.PROVIDER], title=f"Project {n}")
    sign_in(client, world.users[Role.PROVIDER])
    section = _section(client.get("/home/").content.decode(), "Your grant applications")
    assert len(re.findall(r'href="/grants/applications/\d+/"', section)) == 2
    assert 'href="/grants/applications/">View all 3 of your applications</a>' in section


def test_a_providers_returns_to_complete_are_capped_with_a_link_to_all_of_them(client, world, monkeypatch):
    from opcc.views import home

    monkeypatch.setattr(home, "HOME_LIST_LENGTH", 1)
    monitored_award(world.organisation, pot=victims_pot())  # the first two quarters' returns are open
    sign_in(client, world.users[Role.PROVIDER])
    section = _section(client.get("/home/").content.decode(), "Outcome returns to complete")
    assert len(re.findall(r'href="/monitoring/returns/\d+/', section)) == 1, section
    assert 'href="/monitoring/your-returns/">View all 2 outcome returns to complete</a>' in section


def test_an_evaluators_tenders_are_capped_with_a_link_to_all_of_them(client, world, monkeypatch):
    from opcc.views import home
    from tests.commissioning import factories as f

    monkeypatch.setattr(home, "HOME_LIST_LENGTH", 2)
    person = f.evaluator()
    for _ in range(3):
        f.tender_ready_for_scoring(world, evaluators=[person])
    sign_in(client, person)
    section = _section(client.get("/home/").content.decode(), "Tenders you are evaluating")
    assert len(re.findall(r'href="/commissioning/evaluations/\d+/"', section)) == 2
    assert 'href="/commissioning/evaluations/">View all 3 tenders you are evaluating</a>' in section
