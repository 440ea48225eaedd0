from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from grants.models import Application
from opcc.models import Invitation, Organisation, Role
from opcc.services.documents import documents_for
from tests.conftest import sign_in
from tests.factories import OrganisationFactory
from tests.grants.factories import cgs_round, draft, roles, submitted
from tests.uploads import BAD_UPLOADS, office_zip, refused_on_page, upload


def test_bad_input_in_a_section_is_named_and_nothing_typed_is_lost(client, world):
    provider, _ = roles(world)
    round_ = cgs_round(max_award="10000")
    application = draft(round_, provider, amount="5000")
    sign_in(client, provider)
    url = f"/grants/applications/{application.pk}/sections/budget/"
    body = client.post(
        url,
        {
            "amount_requested": "10000.01",
            "budget": "<script>alert('x')</script> staff costs",
            "match_funding_amount": "",
            "match_funding_source": "",
        },
    ).content.decode()
    assert (
        "govuk-error-summary" in body and "no more than the round&#x27;s maximum award of £10,000.00" in body
    )
    assert 'href="#id_amount_requested"' in body and 'value="10000.01"' in body
    assert (
        "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; staff costs" in body
        and "<script>alert" not in body
    )
    application.refresh_from_db()
    assert application.amount_requested == 5000 and application.budget == "Locks, doors, alarms"
    # Saved text with script in it is shown as text everywhere.
    client.post(
        url,
        {
            "amount_requested": "6000",
            "budget": "<script>alert('x')</script>",
            "match_funding_amount": "",
            "match_funding_source": "",
        },
    )
    page = client.get(f"/grants/applications/{application.pk}/").content.decode()
    assert "&lt;script&gt;" in page and "<script>alert" not in page


def test_missing_declaration_and_late_submission_are_refused_clearly(client, world):
    provider, _ = roles(world)
    round_ = cgs_round()
    application = draft(round_, provider)
    sign_in(client, provider)
    url = f"/grants/applications/{application.pk}/submit/"
    body = client.post(url, {"name": "Lucy Evans", "role": ""}).content.decode()
    assert "Confirm that the information you have given is true and complete" in body
    assert "Enter your role in the organisation" in body and 'value="Lucy Evans"' in body
    round_.closes_at = timezone.now() - timedelta(seconds=1)
    round_.save()
    body = client.post(url, {"confirmed": "on", "name": "Lucy Evans", "role": "Manager"}).content.decode()
    assert "This round closed at" in body and "cannot be accepted" in body
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT and application.title == "Safe at home"


def test_oversized_and_disguised_attachments_are_refused(client, world, settings):
    provider, _ = roles(world)
    application = draft(cgs_round(), provider)
    sign_in(client, provider)
    url = f"/grants/applications/{application.pk}/documents/"
    disguised = SimpleUploadedFile(
        "accounts.pdf", b"MZ\x90\x00\x03 not really a pdf\x00", content_type="application/pdf"
    )
    body = client.post(url, {"title": "Accounts 2025", "file": disguised}).content.decode()
    assert "its contents are not one of these" in body and 'value="Accounts 2025"' in body
    settings.DOCUMENT_MAX_BYTES = 1024
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.7\n" + b"x" * 2048, content_type="application/pdf")
    body = client.post(url, {"title": "Big", "file": big}).content.decode()
    assert "must be smaller than" in body
    assert (
        application.__class__.objects.get(pk=application.pk)
        and len(
            [
                d
                for d in __import__("opcc.services.documents", fromlist=["x"]).documents_for(
                    application, "attachment"
                )
            ]
        )
        == 1
    )


@pytest.mark.parametrize("name,data,fragment", BAD_UPLOADS)
def test_the_attachments_page_refuses_markup_and_misnamed_files(client, world, name, data, fragment):
    provider, _ = roles(world)
    application = draft(cgs_round(), provider)
    sign_in(client, provider)
    response = client.post(
        f"/grants/applications/{application.pk}/documents/",
        {"title": "Annual accounts", "file": upload(name, data)},
    )
    assert refused_on_page(response, fragment) and 'href="#id_file"' in response.content.decode()
    assert [d.title for d in documents_for(application, "attachment")] == ["Accounts"]


def test_the_attachments_page_stores_a_good_file_with_the_ending_of_its_type(client, world):
    provider, _ = roles(world)
    application = draft(cgs_round(), provider)
    sign_in(client, provider)
    page = client.get(f"/grants/applications/{application.pk}/documents/").content.decode()
    assert (
        "PDF, Word (.docx), Excel (.xlsx), OpenDocument (.odt), CSV, PNG or JPEG, smaller than 20MB" in page
    )
    client.post(
        f"/grants/applications/{application.pk}/documents/",
        {"title": "Budget", "file": upload("budget.XLSX", office_zip("xlsx"))},
    )
    document = documents_for(application, "attachment").get(title="Budget")
    assert (document.original_name, document.extension) == ("budget.xlsx", "xlsx")


def test_after_submission_the_application_is_read_only(client, world):
    provider, _ = roles(world)
    application = submitted(cgs_round(), provider)
    sign_in(client, provider)
    response = client.get(f"/grants/applications/{application.pk}/sections/project/")
    assert response.status_code == 302
    client.post(f"/grants/applications/{application.pk}/sections/project/", {"title": "Changed"})
    application.refresh_from_db()
    assert application.title == "Safe at home"
    page = client.get(f"/grants/applications/{application.pk}/").content.decode()
    assert "govuk-task-list" not in page and "Submitted" in page


def test_a_provider_registers_its_organisation_and_bad_numbers_are_named(client, db):
    data = {
        "name": "Leominster Youth Club",
        "org_type": "registered_charity",
        "charity_number": "12AB",
        "company_number": "",
        "address_line_1": "1 Etnam Street",
        "town": "Leominster",
        "postcode": "12345",
        "full_name": "Sam Price",
        "contact_email": "sam@example.org",
        "password1": "a long pass phrase 2026",
        "password2": "a long pass phrase 2026",
    }
    body = client.post("/grants/register/", data).content.decode()
    assert "Enter a charity number in the correct format" in body and "Enter a real postcode" in body
    assert 'value="Leominster Youth Club"' in body and not Organisation.objects.exists()
    data.update(charity_number="1123456", postcode="hr6 8ah")
    response = client.post("/grants/register/", data)
    assert response.status_code == 302 and response["Location"] == "/grants/register/sent/"
    # The account is made from the emailed link (tests/grants/test_registration.py); the organisation waits for it.
    invitation = Invitation.objects.get(email="sam@example.org")
    assert (
        invitation.role == Role.PROVIDER
        and invitation.make_admin
        and invitation.organisation.postcode == "HR6 8AH"
    )


def test_a_provider_sees_only_its_own_organisations_applications(client, world):
    round_ = cgs_round()
    mine = submitted(round_, world.users[Role.PROVIDER], title="Ours")
    theirs = submitted(round_, world.other_provider, title="Theirs")
    sign_in(client, world.users[Role.PROVIDER])
    listing = client.get("/grants/applications/").content.decode()
    assert "Ours" in listing and "Theirs" not in listing
    assert "Theirs" not in client.get("/home/").content.decode()
    assert client.get(f"/grants/applications/{theirs.pk}/").status_code == 404
    assert client.get(f"/grants/applications/{mine.pk}/").status_code == 200


def _bulk(round_, n, start=0):
    org = OrganisationFactory()
    Application.objects.bulk_create(
        [
            Application(
                round=round_,
                organisation=org,
                reference=f"B{round_.pk}-{start}-{i}",
                title=f"Bulk {i}",
                status="submitted",
                amount_requested=100,
            )
            for i in range(n)
        ]
    )


@pytest.mark.parametrize(
    "who, url",
    [
        ("officer", "/grants/rounds/{pk}/"),
        ("officer", "/grants/"),
        ("officer", "/grants/?status=submitted"),
        ("provider", "/grants/applications/"),
        ("provider", "/home/"),
        ("ambassador", "/grants/area-bids/"),
    ],
)
def test_grants_pages_run_the_same_number_of_queries_with_3_or_60_applications(client, world, who, url):
    from tests.grants.factories import lpcaf_round

    provider, officer = roles(world)
    user = {"officer": officer, "provider": provider, "ambassador": world.users[Role.COMMUNITY_AMBASSADOR]}[
        who
    ]
    round_ = cgs_round() if who != "ambassador" else lpcaf_round(areas=[world.area])
    kwargs = {"area": world.area, "amount": "900"} if who == "ambassador" else {}

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url.format(pk=round_.pk)).status_code == 200
        return len(ctx.captured_queries)

    sign_in(client, user)
    for i in range(3):
        submitted(round_, provider, title=f"Mine {i}", **kwargs)
    _bulk(round_, 3)
    few = count()
    for i in range(3, 12):
        submitted(round_, provider, title=f"Mine {i}", **kwargs)
    _bulk(round_, 50, start=1)
    assert count() == few


def test_providers_see_what_happened_but_not_the_offices_internal_notes(client, world):
    from opcc.services.transitions import record_transition

    application = submitted(cgs_round(), world.users[Role.PROVIDER], title="Ours")
    record_transition(
        application,
        transition="start_assessment",
        from_state="submitted",
        to_state="in_assessment",
        by=world.users[Role.COMMISSIONING_OFFICER],
        note="Internal: finances look thin",
    )
    sign_in(client, world.users[Role.PROVIDER])
    body = client.get(f"/grants/applications/{application.pk}/").content.decode()
    assert "Submitted → In assessment" in body and "finances look thin" not in body
    sign_in(client, world.users[Role.COMMISSIONING_OFFICER])
    assert "finances look thin" in client.get(f"/grants/applications/{application.pk}/").content.decode()
