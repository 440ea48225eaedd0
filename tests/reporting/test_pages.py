"""The pages: the provider's form (drafts, bad input, declaration), review, lists, monitoring, visits, panels."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from freezegun import freeze_time

from funding.models import Award
from opcc.models import Document, Role
from reporting.models import (
    GrantVisit,
    Measure,
    OutcomeFramework,
    QuarterlyReturn,
    ReturnAnswer,
    ReturnStatus,
)
from tests.conftest import sign_in
from tests.factories import OrganisationFactory
from tests.reporting.factories import accepted, monitored_award, submitted, the_return, victims_pot
from tests.uploads import BAD_UPLOADS, CSV_BYTES, refused_on_page, upload


@pytest.fixture(autouse=True)
def _today():
    with freeze_time("2026-11-25 10:00:00"):
        yield


@pytest.fixture
def award(world):
    return monitored_award(world.organisation)


def measure(award, name):
    return Measure.objects.get(framework__award=award, name=name)


def good_post(award, **overrides):
    data = {
        "activity": "Outreach in Worcester and Evesham.",
        "spend_to_date": "9,500",
        "declaration": "",
        "action": "save",
    }
    for m in Measure.objects.filter(framework__award=award):
        if m.kind == "narrative":
            data[f"m_{m.pk}"] = "Anonymised answer."
        elif m.is_rate:
            data[f"m_{m.pk}_denominator"], data[f"m_{m.pk}_numerator"] = "20", "15"
        elif m.quarterly_target:
            data[f"m_{m.pk}"] = str(m.quarterly_target.normalize())
    data.update(overrides)
    return data


def test_the_provider_saves_a_draft_and_comes_back_to_it(client, world, award):
    ret = the_return(award, 2)
    sign_in(client, world.users[Role.PROVIDER])
    page = client.get(f"/monitoring/returns/{ret.pk}/").content.decode()
    assert "Do not enter personal data about any victim" in page
    assert "Quarterly target: 300 referrals" in page
    referrals = measure(award, "Referrals received")
    response = client.post(
        f"/monitoring/returns/{ret.pk}/",
        {"activity": "Half written", f"m_{referrals.pk}": "1,204", "action": "save"},
    )
    assert response.status_code == 302
    ret.refresh_from_db()
    assert ret.status == ReturnStatus.OPEN and ret.activity == "Half written"
    assert ReturnAnswer.objects.get(quarterly_return=ret, measure=referrals).value == Decimal("1204")
    page = client.get(f"/monitoring/returns/{ret.pk}/").content.decode()
    assert 'value="1204"' in page and "Half written" in page


@pytest.mark.parametrize(
    "measure_name, part, typed, message",
    [
        ("Referrals received", "", "twelve", "Enter referrals received as a number, like 12"),
        ("Referrals received", "", "-3", "Referrals received cannot be negative"),
        ("Referrals received", "", "2.5", "Referrals received must be a whole number"),
        (
            "Service users better able to cope and recover",
            "_numerator",
            "-3",
            "Enter a whole number of 0 or more for service users better able to cope and recover",
        ),
        (
            "Service users better able to cope and recover",
            "_numerator",
            "about 80",
            "Enter how many of them said they are better able to cope and recover as a number",
        ),
        ("Safety", "", "11", "The Outcomes Star reading for Safety must be between 1 and 10"),
        ("Safety", "", "0", "must be between 1 and 10"),
    ],
)
def test_bad_numbers_are_named_kept_and_nothing_is_saved(
    client, world, award, measure_name, part, typed, message
):
    ret = the_return(award, 2)
    m = measure(award, measure_name)
    sign_in(client, world.users[Role.PROVIDER])
    response = client.post(f"/monitoring/returns/{ret.pk}/", good_post(award, **{f"m_{m.pk}{part}": typed}))
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page and message in page and f'href="#id_m_{m.pk}{part}"' in page
    assert f'value="{typed}"' in page
    assert not ReturnAnswer.objects.filter(quarterly_return=ret).exists()
    assert QuarterlyReturn.objects.get(pk=ret.pk).activity == ""


def test_submitting_needs_every_required_answer_and_the_declaration(client, world, award):
    ret = the_return(award, 2)
    sign_in(client, world.users[Role.PROVIDER])
    response = client.post(f"/monitoring/returns/{ret.pk}/", {"action": "submit", "activity": ""})
    page = response.content.decode()
    for message in (
        "Describe what you did this quarter",
        "Enter referrals received",
        "Enter spend to date",
        "Confirm the declaration by typing your full name",
    ):
        assert message in page
    assert QuarterlyReturn.objects.get(pk=ret.pk).status == ReturnStatus.OPEN
    upload = SimpleUploadedFile("evaluation.pdf", b"%PDF-1.7\n%%EOF\n", content_type="application/pdf")
    response = client.post(
        f"/monitoring/returns/{ret.pk}/",
        good_post(award, action="submit", declaration="Pat Provider", attachment=upload),
    )
    assert response.status_code == 302
    ret.refresh_from_db()
    assert ret.status == ReturnStatus.SUBMITTED and ret.declaration_name == "Pat Provider"
    assert Document.objects.filter(object_id=ret.pk, purpose="return_attachment").count() == 1


@pytest.mark.parametrize("name,data,fragment", BAD_UPLOADS)
def test_a_return_attachment_with_markup_or_a_misleading_name_is_refused(
    client, world, award, name, data, fragment
):
    ret = the_return(award, 2)
    sign_in(client, world.users[Role.PROVIDER])
    response = client.post(f"/monitoring/returns/{ret.pk}/", good_post(award, attachment=upload(name, data)))
    assert refused_on_page(response, fragment) and 'href="#id_attachment"' in response.content.decode()
    assert not Document.objects.filter(purpose="return_attachment").exists()
    assert QuarterlyReturn.objects.get(pk=ret.pk).activity == ""  # nothing of the draft saved either


def test_a_return_attachment_is_stored_with_the_ending_of_its_type(client, world, award):
    ret = the_return(award, 2)
    sign_in(client, world.users[Role.PROVIDER])
    page = client.get(f"/monitoring/returns/{ret.pk}/").content.decode()
    assert (
        "For example, an evaluation report. PDF, Word (.docx), Excel (.xlsx), OpenDocument (.odt), CSV, PNG or "
        "JPEG, smaller than 20MB"
    ) in page
    response = client.post(
        f"/monitoring/returns/{ret.pk}/",
        good_post(award, attachment=upload("referrals by month", CSV_BYTES, "text/csv")),
    )
    assert response.status_code == 302
    document = Document.objects.get(object_id=ret.pk, purpose="return_attachment")
    assert (document.original_name, document.mime_type) == ("referrals by month.csv", "text/csv")


def test_a_post_after_acceptance_changes_nothing(client, world, award):
    ret = accepted(the_return(award, 1), world.users[Role.PROVIDER], world.users[Role.COMMISSIONING_OFFICER])
    sign_in(client, world.users[Role.PROVIDER])
    response = client.post(
        f"/monitoring/returns/{ret.pk}/",
        good_post(award, action="submit", declaration="X", activity="Rewritten"),
        follow=True,
    )
    assert "This return is accepted: it cannot be changed now" in response.content.decode()
    assert QuarterlyReturn.objects.get(pk=ret.pk).activity != "Rewritten"


def test_a_provider_opening_another_organisations_return_gets_404_and_changes_nothing(client, world, award):
    ret = the_return(award, 2)
    sign_in(client, world.other_provider)
    assert client.get(f"/monitoring/returns/{ret.pk}/").status_code == 404
    assert (
        client.post(f"/monitoring/returns/{ret.pk}/", good_post(award, activity="Not mine")).status_code
        == 404
    )
    assert client.get(f"/monitoring/returns/{ret.pk}/review/").status_code == 404
    assert QuarterlyReturn.objects.get(pk=ret.pk).activity == ""
    assert "Domestic abuse outreach" not in client.get("/monitoring/your-returns/").content.decode()


def test_the_officer_requests_changes_then_accepts(client, world, award):
    provider, officer = world.users[Role.PROVIDER], world.users[Role.COMMISSIONING_OFFICER]
    ret = submitted(the_return(award, 2), provider)
    sign_in(client, officer)
    page = client.get(f"/monitoring/returns/{ret.pk}/review/").content.decode()
    assert "Performance against targets" in page and "Referrals received" in page
    response = client.post(
        f"/monitoring/returns/{ret.pk}/review/", {"decision": "request_changes", "comments": ""}
    )
    assert "Say what the provider needs to change" in response.content.decode()
    client.post(
        f"/monitoring/returns/{ret.pk}/review/",
        {"decision": "request_changes", "comments": "Add crime types", "expected_state": "submitted"},
    )
    assert QuarterlyReturn.objects.get(pk=ret.pk).status == ReturnStatus.CHANGES_REQUESTED
    # A stale page: the officer's second tab still thinks it is submitted.
    response = client.post(
        f"/monitoring/returns/{ret.pk}/review/", {"decision": "accept", "expected_state": "submitted"}
    )
    assert (
        "Someone else changed this" in response.content.decode()
        or "cannot be done" in response.content.decode()
    )
    submitted(QuarterlyReturn.objects.get(pk=ret.pk), provider)
    client.post(f"/monitoring/returns/{ret.pk}/review/", {"decision": "accept", "comments": ""})
    ret.refresh_from_db()
    assert ret.status == ReturnStatus.ACCEPTED and ret.rag == "green"


def bulk_returns(n, stream_pot):
    org = OrganisationFactory()
    awards = Award.objects.bulk_create(
        [
            Award(
                reference=f"P-{stream_pot.pk}-{n}-{i}",
                organisation=org,
                pot=stream_pot,
                kind="grant",
                title=f"Bulk {i}",
                purpose="x",
                start_date=date(2026, 4, 1),
                end_date=date(2027, 3, 31),
                amount=1,
                schedule_kind="in_advance",
                status="active",
            )
            for i in range(n)
        ]
    )
    OutcomeFramework.objects.bulk_create([OutcomeFramework(award=a, source="template") for a in awards])
    QuarterlyReturn.objects.bulk_create(
        [
            QuarterlyReturn(
                award=a,
                quarter_start_year=2026,
                quarter=2,
                period_end=date(2026, 9, 30),
                due_date=date(2026, 10, 30),
                status=[ReturnStatus.OPEN, ReturnStatus.SUBMITTED][i % 2],
            )
            for i, a in enumerate(awards)
        ]
    )


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "query", ["", "?quarter=2026-q2&status=open&overdue=yes&stream=victim_services", "?overdue=no"]
)
def test_the_officers_list_runs_the_same_queries_for_10_or_10000_returns(client, world, query):
    pot = victims_pot()
    sign_in(client, world.users[Role.COMMISSIONING_OFFICER])
    bulk_returns(10, pot)
    few = count_queries(client, f"/monitoring/returns/{query}")
    bulk_returns(9990, pot)
    assert count_queries(client, f"/monitoring/returns/{query}") == few


def test_the_filters_filter(client, world, award):
    sign_in(client, world.users[Role.COMMISSIONING_OFFICER])
    page = client.get("/monitoring/returns/?overdue=yes").content.decode()
    assert "2 returns" in page and "Overdue 26 days" in page
    assert "0 returns" in client.get("/monitoring/returns/?stream=lpcaf").content.decode()
    assert "1 return." in client.get("/monitoring/returns/?quarter=2026-q1").content.decode()
    assert client.get("/monitoring/returns/?quarter=nonsense&status=<b>&page=x").status_code == 200


def test_the_list_shows_the_newest_first_and_the_longest_overdue_first(client, world, award):
    sign_in(client, world.users[Role.COMMISSIONING_OFFICER])
    q1, q2 = the_return(award, 1), the_return(award, 2)
    page = client.get("/monitoring/returns/").content.decode()
    assert "newest due date first" in page
    assert page.index(f"/monitoring/returns/{q2.pk}/") < page.index(f"/monitoring/returns/{q1.pk}/")
    page = client.get("/monitoring/returns/?overdue=yes").content.decode()
    assert "longest overdue first" in page
    assert page.index(f"/monitoring/returns/{q1.pk}/") < page.index(f"/monitoring/returns/{q2.pk}/")


def test_the_award_monitoring_page_and_visits(client, world, award):
    officer = world.users[Role.COMMISSIONING_OFFICER]
    sign_in(client, officer)
    response = client.post(
        f"/monitoring/awards/{award.pk}/visits/new/",
        {
            "scheduled_for_0": "3",
            "scheduled_for_1": "12",
            "scheduled_for_2": "2026",
            "officer": officer.pk,
            "purpose": "Annual monitoring visit",
        },
    )
    assert response.status_code == 302
    visit = GrantVisit.objects.get(award=award)
    response = client.post(
        f"/monitoring/awards/{award.pk}/visits/{visit.pk}/",
        {"visited_on_0": "30", "visited_on_1": "12", "visited_on_2": "2026", "attendees": "", "findings": ""},
    )
    page = response.content.decode()
    assert "The date visited must be today or in the past" in page and "Enter who attended" in page
    client.post(
        f"/monitoring/awards/{award.pk}/visits/{visit.pk}/",
        {
            "visited_on_0": "20",
            "visited_on_1": "11",
            "visited_on_2": "2026",
            "attendees": "Service manager; 3 service users",
            "findings": "Well run.",
            "service_user_feedback": "Felt listened to.",
            "actions": "Share the waiting list data.",
        },
    )
    visit.refresh_from_db()
    assert visit.visited_on == date(2026, 11, 20) and visit.recorded_by == officer
    page = client.get(f"/monitoring/awards/{award.pk}/").content.decode()
    for text in (
        "Victims&#x27; services (Ministry of Justice return) template",
        "Referrals received",
        "Q2 2026/27",
        "Visited 20 November 2026",
        "Felt listened to.",
        "Chase history",
    ):
        assert text in page


def test_home_panels(client, world, award):
    submitted(the_return(award, 1), world.users[Role.PROVIDER])
    sign_in(client, world.users[Role.PROVIDER])
    page = client.get("/home/").content.decode()
    assert "Outcome returns to complete" in page and "Q2 2026/27" in page
    sign_in(client, world.users[Role.COMMISSIONING_OFFICER])
    page = client.get("/home/").content.decode()
    assert "to review" in page and "Outcome returns to review" in page and "overdue" in page
    sign_in(client, world.users[Role.EVALUATOR])
    assert "Outcome returns" not in client.get("/home/").content.decode()


def test_navigation_offers_outcome_returns_to_providers_and_the_office(client, world):
    for role, url in ((Role.PROVIDER, "/monitoring/your-returns/"), (Role.AUDITOR, "/monitoring/returns/")):
        sign_in(client, world.users[role])
        assert f'href="{url}"' in client.get("/home/").content.decode()
