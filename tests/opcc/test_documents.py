import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from opcc.models import Document, Role
from opcc.services import documents
from tests.conftest import sign_in
from tests.uploads import BAD_UPLOADS, CSV_BYTES, office_zip, refused_on_page, upload

PDF_BYTES = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


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


@pytest.mark.parametrize(
    "data", [EXE_BYTES, b"\x7fELF\x02\x01", b"PK\x03\x04not a zip", b"<script>alert(1)</script>"]
)
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


ACCEPTED = "The selected file must be a PDF, Word, Excel, OpenDocument, CSV, PNG or JPEG file"


def refusal(name: str, data: bytes) -> str:
    with pytest.raises(ValidationError) as error:
        documents.check_bytes(data, name=name)
    return error.value.messages[0]


@pytest.mark.parametrize(
    "data,what",
    [
        (b"Name,Value\n<html><body>hi</body></html>\n", "an HTML web page"),
        (b"\xef\xbb\xbf  \n\t<!DOCTYPE html>,x\n<p>,y\n", "an HTML web page"),
        (b"a,b\n<IFRAME src=//evil.example>,c\n", "an HTML web page"),
        (b'a,b\n<img src=x onerror="alert(1)">,c\n', "an HTML web page"),
        (b"a,b\n<SVG onload=alert(1)>,c\n", "an SVG image"),
        (b'<?xml version="1.0"?>,x\n<a>,b\n', "an XML file"),
        (b"a,b\njavascript:alert(1),c\n", "a script"),
        (b"a,b\nx onmouseover = steal(),c\n", "a script"),
        (b"a,b\n+ADw-script+AD4-,c\n", "a script"),
        ("a,b\nCaf\u00e9 <script>,c\n".encode("cp1252"), "a script"),
    ],
)
def test_markup_or_script_anywhere_in_a_text_file_is_refused_whatever_its_name(data, what):
    for name in ("evidence.csv", "evidence.pdf", "evidence.html", "evidence"):
        assert refusal(name, data) == f"{ACCEPTED}: its contents are {what}, which cannot be uploaded"


@pytest.mark.parametrize(
    "data",
    [
        b"Name,Amount\nA,1\nB,2,extra\n",  # a row with more columns than the header
        b"Dear Sir, I am writing\nabout the grant.\n",  # prose with a comma in its first line
        b"Just one column\nof text\n",  # a single column is any text at all
        b"Name,Amount\n\nA,1\n",  # a blank line in the middle
        b'Name,Amount\n"A"x,1\n',  # broken quoting
        b"Name,Amount\nA\x00,1\n",  # a NUL byte
        b"Name,Amount\nA\x07,1\n",  # a control character
        b"Name,Amount\nA\x81\x8d,1\n",  # neither UTF-8 nor Windows-1252
    ],
)
def test_text_that_does_not_parse_as_a_table_is_not_a_csv(data):
    assert documents.sniff(data) is None
    assert "its contents are not one of these" in refusal("table.csv", data)


@pytest.mark.parametrize(
    "data",
    [
        b"Name,Amount\nA,1\nB,2\n\n",  # a trailing blank line
        b"\xef\xbb\xbfName,Amount\r\nA,1\r\n",  # UTF-8 with a byte order mark, Windows line ends
        "Name,Amount\nCaf\u00e9 \u2013 \u00a3,1\n".encode("cp1252"),  # Windows-1252
        b'Name,Notes\nA,"Evesham, Pershore"\nB,"two\nlines"\n',  # quoted commas and line breaks
    ],
)
def test_a_real_csv_is_recognised(data):
    assert documents.sniff(data) == documents.CSV


def test_a_file_whose_name_disagrees_with_its_contents_is_refused_naming_what_it_is():
    assert (
        refusal("report.pdf", b"Month,Referrals\n2026-09,40\n")
        == f"{ACCEPTED}: its contents are a CSV file, not a PDF"
    )
    assert (
        refusal("accounts.xlsx", PDF_BYTES) == f"{ACCEPTED}: its contents are a PDF, not an Excel spreadsheet"
    )
    assert refusal("photo.png", b"\xff\xd8\xff\xe0" + b"\x00" * 20) == (
        f"{ACCEPTED}: its contents are a JPEG image, not a PNG image"
    )
    assert refusal("figures.txt", b"Month,Referrals\n2026-09,40\n") == (
        f"{ACCEPTED}: its contents are a CSV file but its name ends .txt: rename it to end .csv"
    )


@pytest.mark.parametrize(
    "name,data,stored",
    [
        ("plan.PDF", PDF_BYTES, "plan.pdf"),
        ("plan", PDF_BYTES, "plan.pdf"),
        ("Minutes 12.03.2026", PDF_BYTES, "Minutes 12.03.2026.pdf"),
        ("C:\\Users\\sam\\photo.JPEG", b"\xff\xd8\xff\xe0" + b"\x00" * 20, "photo.jpeg"),
        ("photo.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 20, "photo.jpg"),
        ("figures", b"Month,Referrals\n2026-09,40\n", "figures.csv"),
    ],
)
def test_the_stored_name_ends_with_the_detected_type(world, name, data, stored):
    document = documents.store_document(
        uploaded=SimpleUploadedFile(name, data), attached_to=world.organisation, by=None
    )
    assert document.original_name == stored
    assert (
        document.file.name.endswith(f".{document.extension}")
        and stored.endswith(f".{document.extension}")
        or (document.extension == "jpg" and stored.endswith(".jpeg"))
    )


def test_office_files_with_macros_are_refused():
    assert documents.sniff(office_zip("docx", macros=True)) is None
    assert refusal("letter.docx", office_zip("docx", macros=True)) == (
        f"{ACCEPTED}: its contents are a Word document with macros in it, which cannot be uploaded: "
        "save it as a Word document without macros (.docx) and try again"
    )
    assert "an Excel spreadsheet with macros in it" in refusal("budget.xlsx", office_zip("xlsx", macros=True))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<x/>")
        archive.writestr("Basic/Standard/Module1.xml", "<script:module/>")
    assert "an OpenDocument text document with macros in it" in refusal("plan.odt", buffer.getvalue())


@pytest.mark.parametrize(
    "data",
    [
        b"junk before the header %PDF-1.7\n%%EOF\n",
        b"\xef\xbb\xbf%PDF-1.7\n%%EOF\n",
    ],
)
def test_a_pdf_must_start_with_its_header(data):
    assert documents.sniff(data) is None


@pytest.mark.parametrize(
    "data,what",
    [
        (b"%PDF-1.7\n<html><script>alert(1)</script></html>\n%%EOF\n", "a PDF with web page code in it"),
        (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dtEXt<script>alert(1)</script>",
            "a PNG image with web page code in it",
        ),
        (b"\xff\xd8\xff\xfe\x00\x20<svg onload=alert(1)>", "a JPEG image with web page code in it"),
        (
            b"%PDF-1.7\n1 0 obj<</OpenAction<</S/JavaScript/JS(app.alert(1))>>>>endobj\n%%EOF\n",
            "a PDF with scripts, launch actions or embedded files in it",
        ),
    ],
)
def test_polyglots_and_active_pdfs_are_refused(data, what):
    assert documents.sniff(data) is None
    assert refusal("file", data).startswith(f"{ACCEPTED}: its contents are {what}, which cannot be uploaded")


@pytest.fixture
def stored(world):
    return documents.store_document(
        uploaded=SimpleUploadedFile("plan.pdf", PDF_BYTES),
        attached_to=world.organisation,
        by=world.users[Role.PROVIDER],
        title="Delivery plan",
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
def test_a_document_is_served_only_to_those_who_may_see_what_it_is_attached_to(
    client, world, stored, who, status
):
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


@pytest.mark.parametrize("name,data,fragment", BAD_UPLOADS)
def test_the_organisation_documents_page_refuses_markup_and_misnamed_files(
    client, world, name, data, fragment
):
    sign_in(client, world.users[Role.PROVIDER])
    response = client.post(
        f"/organisations/{world.organisation.pk}/documents/new/",
        {"title": "Safeguarding policy", "file": upload(name, data)},
    )
    assert refused_on_page(response, fragment)
    assert 'href="#id_file"' in response.content.decode()
    assert not Document.objects.exists()


def test_the_organisation_documents_page_stores_a_good_file_with_the_ending_of_its_type(client, world):
    sign_in(client, world.users[Role.PROVIDER])
    page = client.get(f"/organisations/{world.organisation.pk}/documents/new/").content.decode()
    assert (
        "PDF, Word (.docx), Excel (.xlsx), OpenDocument (.odt), CSV, PNG or JPEG, smaller than 20MB" in page
    )
    assert 'accept=".pdf,.docx,.xlsx,.odt,.csv,.png,.jpg,.jpeg,' in page
    client.post(
        f"/organisations/{world.organisation.pk}/documents/new/",
        {"title": "Referrals", "file": upload("referrals", CSV_BYTES, "text/csv")},
    )
    document = Document.objects.get()
    assert (document.original_name, document.mime_type) == ("referrals.csv", "text/csv")
    response = client.get(f"/documents/{document.uuid}/")
    assert 'filename="referrals.csv"' in response["Content-Disposition"]
