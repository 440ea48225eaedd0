"""Every list of documents names each file: its file name is the link, with what it is, its type and its size."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile

from commissioning.services import commissions as commission_services
from opcc.models import Role
from opcc.services.documents import store_document
from tests.commissioning import factories as f
from tests.conftest import sign_in

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF\n"


def links_to_documents(body: str) -> list[str]:
    return [
        re.sub(r"<[^>]+>", "", text).strip()
        for text in re.findall(
            r'<a class="govuk-link" href="/documents/[0-9a-f-]+/"[^>]*>(.*?)</a>', body, re.S
        )
    ]


def test_the_needs_assessments_are_listed_by_file_name(client, world):
    c = f.new_commission(world)
    commission_services.upload_needs_assessment(
        commission=c,
        uploaded=SimpleUploadedFile("da-needs-2026.pdf", PDF),
        title="Domestic abuse needs assessment",
        by=f.officer_of(world),
    )
    sign_in(client, f.officer_of(world))
    body = client.get(f"/commissioning/{c.pk}/understand/").content.decode()
    assert links_to_documents(body) == ["da-needs-2026.pdf"]
    assert "Domestic abuse needs assessment" in body and "PDF, 33" in body


def test_an_organisations_documents_are_listed_by_file_name(client, world):
    store_document(
        uploaded=SimpleUploadedFile("safeguarding-policy.pdf", PDF),
        attached_to=world.organisation,
        by=world.users[Role.PROVIDER],
        title="Safeguarding policy",
    )
    sign_in(client, world.users[Role.PROVIDER])
    body = client.get(f"/organisations/{world.organisation.pk}/").content.decode()
    assert links_to_documents(body) == ["safeguarding-policy.pdf"]
    assert "Safeguarding policy" in body


def test_a_grant_applications_documents_are_listed_by_file_name(client, world):
    from tests.grants.factories import cgs_round, draft, roles

    provider, _officer = roles(world)
    application = draft(cgs_round(), provider)
    sign_in(client, provider)
    for url in (
        f"/grants/applications/{application.pk}/",
        f"/grants/applications/{application.pk}/documents/",
        f"/grants/applications/{application.pk}/submit/",
    ):
        body = client.get(url).content.decode()
        assert links_to_documents(body) == ["accounts.pdf"], url
        assert "Accounts" in body and "PDF, 33" in body
