"""Check your answers: each answer has a Change link to the section that holds it, naming what it changes for
screen readers, for as long as the applicant can still change the application; nobody else sees them."""

import re
from decimal import Decimal

from grants.models import Application
from grants.services import applications as application_services
from grants.services import assessment as assessment_services
from opcc.models import Role
from tests.conftest import sign_in
from tests.factories import ProviderFactory
from tests.grants.factories import cgs_round, draft, lpcaf_round, roles

CHANGE = re.compile(
    r'<a class="govuk-link" href="([^"]+)">Change<span class="govuk-visually-hidden"> ([^<]+)</span></a>'
)


def _changes(body: str) -> dict[str, str]:
    """What each Change link changes (its visually hidden text), and where it goes."""
    found = CHANGE.findall(body)
    changes = {what: href for href, what in found}
    assert len(changes) == len(found), "two Change links name the same thing"
    return changes


def _expected(pk: int) -> dict[str, str]:
    section = f"/grants/applications/{pk}/sections/"
    return {
        "project name": f"{section}project/",
        "summary of the project": f"{section}project/",
        "project dates": f"{section}project/",
        "the need it meets": f"{section}need/",
        "outcomes": f"{section}need/",
        "whether it is prevention or early intervention": f"{section}need/",
        "amount requested": f"{section}budget/",
        "how the money will be spent": f"{section}budget/",
        "match funding": f"{section}budget/",
        "supporting documents": f"/grants/applications/{pk}/documents/",
    }


def test_every_answer_on_check_your_answers_links_to_the_section_that_holds_it(client, world):
    provider, _ = roles(world)
    application = draft(cgs_round(), provider)
    sign_in(client, provider)
    body = client.get(f"/grants/applications/{application.pk}/submit/").content.decode()
    changes = _changes(body)
    assert changes == _expected(application.pk)
    # Rows that cannot be changed here are marked so, as the summary list pattern asks.
    assert (
        'govuk-summary-list__row govuk-summary-list__row--no-actions"><dt class="govuk-summary-list__key">Organisation'
        in body
    )
    # Each link opens the page where that answer is changed.
    for href in set(changes.values()):
        assert client.get(href).status_code == 200, href


def test_an_area_bid_can_change_its_area_and_a_partnerships_plan_links_to_the_plan(client, world):
    provider, _ = roles(world)
    bid = draft(lpcaf_round(areas=[world.area]), provider, amount="900", area=world.area)
    sign_in(client, provider)
    changes = _changes(client.get(f"/grants/applications/{bid.pk}/submit/").content.decode())
    assert changes["local policing area"] == f"/grants/applications/{bid.pk}/sections/project/"

    from grants.models import Round, Scheme, SchemeKind

    csp_round = Round.objects.create(
        scheme=Scheme.objects.get(kind=SchemeKind.CSP),
        year=bid.round.year,
        name="CSP grants",
        summary="Plans",
        eligibility="CSPs",
        opens_at=bid.round.opens_at,
        closes_at=bid.round.closes_at,
        max_award=5000,
    )
    csp_user = ProviderFactory(organisation=world.csp.organisation)
    plan = application_services.start_application(
        round_=csp_round, organisation=world.csp.organisation, by=csp_user
    )
    application_services.add_project(
        application=plan, by=csp_user, title="Patrols", description="City centre", amount=Decimal("900")
    )
    sign_in(client, csp_user)
    body = client.get(f"/grants/applications/{plan.pk}/submit/").content.decode()
    changes = _changes(body)
    assert changes["plan of projects"] == f"/grants/applications/{plan.pk}/plan/"
    # A partnership's area comes with the partnership: it is shown but not changed here.
    assert "local policing area" not in changes and "Local policing area" in body


def test_when_the_office_asks_for_more_information_the_change_links_come_back(client, world):
    provider, officer = roles(world)
    application = draft(cgs_round(), provider)
    application = application_services.submit(
        application=application, by=provider, confirmed=True, name="L", role="M"
    )
    sign_in(client, provider)
    # Submitted: read-only, so no Change links anywhere and the check page sends them back to the application.
    page = client.get(f"/grants/applications/{application.pk}/").content.decode()
    assert _changes(page) == {} and "Change<span" not in page
    assert client.get(f"/grants/applications/{application.pk}/submit/").status_code == 302

    assessment_services.request_information(application=application, by=officer, note="Send your accounts")
    body = client.get(f"/grants/applications/{application.pk}/submit/").content.decode()
    assert "Check your answers and send them back" in body and _changes(body) == _expected(application.pk)


def test_the_office_never_sees_change_links(client, world):
    provider, officer = roles(world)
    application = draft(cgs_round(), provider)
    application = application_services.submit(
        application=application, by=provider, confirmed=True, name="L", role="M"
    )
    application = assessment_services.start_assessment(application=application, by=officer)
    assessment_services.request_information(application=application, by=officer, note="Send your accounts")
    assert Application.objects.get(pk=application.pk).is_editable
    for user in (officer, world.users[Role.HEAD_OF_COMMISSIONING], world.users[Role.AUDITOR]):
        sign_in(client, user)
        for url in (
            f"/grants/applications/{application.pk}/",
            f"/grants/applications/{application.pk}/assessment/",
        ):
            response = client.get(url)
            if response.status_code == 200:
                assert "Change<span" not in response.content.decode(), (user.role, url)


def test_the_application_page_keeps_to_its_task_list_for_changes(client, world):
    """The task list already links to every section: the answers under it carry no second set of links."""
    provider, _ = roles(world)
    application = draft(cgs_round(), provider)
    sign_in(client, provider)
    page = client.get(f"/grants/applications/{application.pk}/").content.decode()
    assert "govuk-task-list" in page and "Change<span" not in page
