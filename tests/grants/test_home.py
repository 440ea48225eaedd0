"""Each decider's home page lists the grant decisions that fall to them under the delegation levels."""

from grants.services import assessment as assessment_services
from opcc.models import Role
from tests.conftest import sign_in
from tests.grants.factories import cgs_round, submitted


def decisions_panel(client) -> str:
    """The home page's grant decisions panel (the officers' applications to assess list every application)."""
    page = client.get("/home/").content.decode()
    start = page.index("Grant decisions waiting for you")
    return page[start : page.index("<h2", start)]


def _in_assessment(round_, provider, officer, *, amount, title):
    application = submitted(round_, provider, amount=amount, title=title)
    return assessment_services.start_assessment(application=application, by=officer)


def test_a_grant_above_the_officers_authority_waits_on_the_heads_home_page_not_the_pccs(client, world):
    provider, officer = world.users[Role.PROVIDER], world.users[Role.COMMISSIONING_OFFICER]
    round_ = cgs_round(max_award="200000")
    small = _in_assessment(round_, provider, officer, amount="12000", title="Small drop-in")
    middle = _in_assessment(round_, provider, officer, amount="32000", title="Knife crime mentoring")
    large = _in_assessment(round_, provider, officer, amount="150000", title="County-wide helpline")

    sign_in(client, world.users[Role.HEAD_OF_COMMISSIONING])
    page = decisions_panel(client)
    assert "Knife crime mentoring" in page and f'href="/grants/applications/{middle.pk}/decide/"' in page
    assert "£32,000.00" in page
    assert "Small drop-in" not in page and "County-wide helpline" not in page

    sign_in(client, world.users[Role.PCC])
    page = decisions_panel(client)
    assert "County-wide helpline" in page and f'href="/grants/applications/{large.pk}/decide/"' in page
    assert "Knife crime mentoring" not in page

    sign_in(client, officer)
    page = decisions_panel(client)
    assert "Small drop-in" in page and f'href="/grants/applications/{small.pk}/decide/"' in page
    assert "Knife crime mentoring" not in page


def test_the_recommended_amount_decides_whose_decision_it_is_and_an_empty_list_says_so(client, world):
    provider, officer = world.users[Role.PROVIDER], world.users[Role.COMMISSIONING_OFFICER]
    round_ = cgs_round(max_award="200000")
    application = _in_assessment(round_, provider, officer, amount="32000", title="Knife crime mentoring")
    assessment_services.save_assessment(
        application=application,
        by=officer,
        values={
            "eligible": True,
            "needs_assessment": "Fits",
            "meets_priorities": True,
            "match_funding_confirmed": None,
            "prevention": True,
            "recommendation": "approve_reduced",
            "recommended_amount": 20000,
        },
    )
    sign_in(client, world.users[Role.HEAD_OF_COMMISSIONING])
    page = decisions_panel(client)
    assert "Knife crime mentoring" not in page and "No grant decisions are waiting for you." in page
    sign_in(client, officer)
    page = decisions_panel(client)
    assert "Knife crime mentoring" in page and "Approve a reduced amount" in page and "£20,000.00" in page


def test_an_offer_to_accept_is_the_first_thing_on_the_providers_home_page(client, world):
    from tests.grants.factories import offered

    provider, officer = world.users[Role.PROVIDER], world.users[Role.COMMISSIONING_OFFICER]
    offered(cgs_round(), provider, officer, title="Safe at home", amount="12000")
    sign_in(client, provider)
    body = client.get("/home/").content.decode()
    assert "You have an offer of £12,000.00 for Safe at home" in body
    assert body.index("You have an offer") < body.index("Your funding")
