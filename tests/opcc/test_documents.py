import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from opcc.models import Document, Role
from opcc.services import documents
from tests.conftest import sign_in

PDF_BYTES = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


def office_zip(kind: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml" if kind == "docx" else "xl/workbook.xml", "<x/>")
    return buffer.getvalue()


def odt_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    "data,extension",
    [
        (PDF_BYTES, "pdf"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "png"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 20, "jpg"),
        (office_zip("docx"), "docx"),
        (office_zip("xlsx"), "xlsx"),
        (odt_zip(), "odt"),
        (b"Month,Crime type\n2026-09,Burglary\n", "csv"),
    ],
)
def test_each_accepted_type_is_recognised_by_its_bytes(data, extension):
    assert documents.sniff(data).extension == extension


@pytest.mark.parametrize("data", [EXE_BYTES, b"\x7fELF\x02\x01", b"PK\x03\x04not a zip", b"<script>alert(1)</script>"])
def test_anything_else_is_refused(data):
    assert documents.sniff(data) is None


def test_an_executable_named_pdf_is_refused_with_a_clear_message(world):
    upload = SimpleUploadedFile("needs-assessment.pdf", EXE_BYTES, content_type="application/pdf")
    with pytest.raises(ValidationError) as error:
        documents.store_document(uploaded=upload, attached_to=world.organisation, by=None)
    assert "whatever its name says" in error.value.messages[0]
    assert not Document.objects.exists()


def test_an_oversized_file_is_refused(world, settings):
    settings.DOCUMENT_MAX_BYTES = 1024
    upload = SimpleUploadedFile("big.pdf", PDF_BYTES + b"0" * 2048)
    with pytest.raises(ValidationError) as error:
        documents.store_document(uploaded=upload, attached_to=world.organisation, by=None)
    assert "must be smaller than" in error.value.messages[0]


@pytest.fixture
def stored(world):
    return documents.store_document(
        uploaded=SimpleUploadedFile("plan.pdf", PDF_BYTES), attached_to=world.organisation,
        by=world.users[Role.PROVIDER], title="Delivery plan",
    )


def test_a_stored_document_keeps_its_name_hash_and_sniffed_type(stored):
    assert stored.mime_type == "application/pdf"
    assert stored.original_name == "plan.pdf"
    assert len(stored.sha256) == 64
    assert stored.file.name.endswith(f"{stored.uuid}.pdf")


@pytest.mark.parametrize(
    "who,status",
    [("provider", 200), ("officer", 200), ("auditor", 200), ("other_provider", 404), ("ambassador", 404)],
)
def test_a_document_is_served_only_to_those_who_may_see_what_it_is_attached_to(client, world, stored, who, status):
    user = {
        "provider": world.users[Role.PROVIDER],
        "officer": world.users[Role.COMMISSIONING_OFFICER],
        "auditor": world.users[Role.AUDITOR],
        "other_provider": world.other_provider,
        "ambassador": world.users[Role.COMMUNITY_AMBASSADOR],
    }[who]
    sign_in(client, user)
    response = client.get(f"/documents/{stored.uuid}/")
    assert response.status_code == status
    if status == 200:
        assert response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content) == PDF_BYTES


def test_anonymous_people_are_sent_to_sign_in(client, stored):
    response = client.get(f"/documents/{stored.uuid}/")
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/")


def test_uploading_a_disguised_executable_through_the_page_shows_an_error_and_stores_nothing(client, world):
    sign_in(client, world.users[Role.PROVIDER])
    response = client.post(
        f"/organisations/{world.organisation.pk}/documents/new/",
        {"title": "Safeguarding policy", "file": SimpleUploadedFile("policy.pdf", EXE_BYTES)},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in body and "whatever its name says" in body
    assert 'value="Safeguarding policy"' in body
    assert not Document.objects.exists()


def test_uploading_a_real_pdf_lists_it_on_the_organisation(client, world):
    sign_in(client, world.users[Role.PROVIDER])
    response = client.post(
        f"/organisations/{world.organisation.pk}/documents/new/",
        {"title": "Safeguarding policy", "file": SimpleUploadedFile("policy.pdf", PDF_BYTES)},
        follow=True,
    )
    assert "Safeguarding policy has been uploaded" in response.content.decode()
    document = Document.objects.get()
    assert f"/documents/{document.uuid}/" in response.content.decode()
