"""Copies of contracts over £10,000: uploaded redacted as a PDF, reviewed by someone else, then public."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from opcc.models import Role
from opcc.testing import verified_client
from reporting.models import ContractCopy
from reporting.services import contract_copies as services
from tests.reporting.payments_factories import contract

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n"
REDACTIONS = "Personal data: staff names and signatures; commercially sensitive: pricing schedule"


def pdf(name="contract.pdf", data=PDF):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


@pytest.fixture
def let(world):
    return contract(world, chosen_on=date(2025, 6, 1), amount="90000")


@pytest.fixture
def officer(world):
    return world.users[Role.COMMISSIONING_OFFICER]


@pytest.fixture
def head(world):
    return world.users[Role.HEAD_OF_COMMISSIONING]


def test_only_a_pdf_by_its_content_and_the_redactions_said(let, officer):
    with pytest.raises(ValidationError) as refused:
        services.upload_copy(
            award=let,
            uploaded=pdf("contract.pdf", b"<html><script>alert(1)</script></html>"),
            redactions="",
            by=officer,
        )
    assert "redactions" in refused.value.message_dict
    with pytest.raises(ValidationError) as disguised:
        services.upload_copy(
            award=let,
            uploaded=pdf("contract.pdf", b"PK\x03\x04 not a pdf"),
            redactions=REDACTIONS,
            by=officer,
        )
    assert "file" in disguised.value.message_dict
    assert not ContractCopy.objects.exists()


def test_the_uploader_cannot_approve_their_own_copy(let, officer):
    copy = services.upload_copy(award=let, uploaded=pdf(), redactions=REDACTIONS, by=officer)
    with pytest.raises(PermissionDenied, match="someone else must review"):
        services.approve_copy(copy=copy, by=officer)
    copy = ContractCopy.objects.get(pk=copy.pk)
    assert copy.status == ContractCopy.Status.AWAITING_REVIEW
    # The database holds the rule too.
    with pytest.raises(IntegrityError), transaction.atomic():
        ContractCopy.objects.filter(pk=copy.pk).update(reviewed_by=officer)


def test_nothing_is_public_until_a_second_person_approves(client, let, officer, head):
    copy = services.upload_copy(award=let, uploaded=pdf(), redactions=REDACTIONS, by=officer)
    url = f"/transparency/contracts/{let.reference}/copy.pdf"
    assert client.get(url).status_code == 404
    assert "Not yet published" in client.get(f"/transparency/contracts/{let.reference}/").content.decode()
    services.approve_copy(copy=copy, by=head)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF
    page = client.get(f"/transparency/contracts/{let.reference}/").content.decode()
    assert "Download the contract (PDF" in page and "pricing schedule" in page


def test_a_copy_sent_back_needs_a_reason_and_stays_private(client, let, officer, head):
    copy = services.upload_copy(award=let, uploaded=pdf(), redactions=REDACTIONS, by=officer)
    with pytest.raises(ValidationError):
        services.reject_copy(copy=copy, reason=" ", by=head)
    services.reject_copy(copy=copy, reason="A signature on page 9 is legible", by=head)
    copy = ContractCopy.objects.get(pk=copy.pk)
    assert (copy.status, copy.rejection_reason) == (
        ContractCopy.Status.REJECTED,
        "A signature on page 9 is legible",
    )
    assert client.get(f"/transparency/contracts/{let.reference}/copy.pdf").status_code == 404


def test_a_newer_approved_copy_replaces_the_older(let, officer, head):
    first = services.upload_copy(award=let, uploaded=pdf(), redactions=REDACTIONS, by=officer)
    services.approve_copy(copy=first, by=head)
    second = services.upload_copy(award=let, uploaded=pdf(), redactions="Nothing", by=officer)
    services.approve_copy(copy=second, by=head)
    first = ContractCopy.objects.get(pk=first.pk)
    assert first.status == ContractCopy.Status.REPLACED


def test_officers_upload_and_review_through_the_pages(world, let, officer, head):
    uploader = verified_client(officer)
    refused = uploader.post(
        f"/transparency-review/contract-copies/award/{let.pk}/",
        {"file": pdf("x.pdf", b"GIF89a"), "redactions": ""},
    ).content.decode()
    assert "govuk-error-summary" in refused and "Enter what was redacted and why" in refused
    done = uploader.post(
        f"/transparency-review/contract-copies/award/{let.pk}/", {"file": pdf(), "redactions": REDACTIONS}
    )
    assert done.status_code == 302
    copy = ContractCopy.objects.get()
    own = uploader.get(f"/transparency-review/contract-copies/{copy.pk}/").content.decode()
    assert "someone else must review it" in own and "Approve and publish" not in own
    assert uploader.post(f"/transparency-review/contract-copies/{copy.pk}/approve/").status_code == 200
    copy = ContractCopy.objects.get(pk=copy.pk)
    assert copy.status == ContractCopy.Status.AWAITING_REVIEW
    reviewer = verified_client(head)
    # The reviewer reads the file itself; a provider is not even told it exists.
    document_url = f"/documents/{copy.document.uuid}/"
    assert reviewer.get(document_url).status_code == 200
    assert verified_client(world.users[Role.PROVIDER]).get(document_url).status_code == 404
    listing = reviewer.get("/transparency-review/contract-copies/").content.decode()
    assert let.reference in listing
    assert reviewer.post(f"/transparency-review/contract-copies/{copy.pk}/approve/").status_code == 302
    copy = ContractCopy.objects.get(pk=copy.pk)
    assert copy.status == ContractCopy.Status.APPROVED and copy.reviewed_by == head
