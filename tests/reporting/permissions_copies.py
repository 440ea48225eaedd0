"""Contract copies for publication: commissioning officers and their head upload and review them; the approved copy
is public."""

from tests.permissions import OFFICERS, expect, only


def setup(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from opcc.models import Role
    from reporting.services import contract_copies
    from tests.reporting.payments_factories import contract
    from tests.reporting.transparency_factories import open_tender

    officer, head = world.users[Role.COMMISSIONING_OFFICER], world.users[Role.HEAD_OF_COMMISSIONING]
    world.copied_contract = contract(world, title="Matrix copied contract", amount="90000")

    def upload():
        return contract_copies.upload_copy(
            award=world.copied_contract,
            uploaded=SimpleUploadedFile("c.pdf", b"%PDF-1.7\n%%EOF\n"),
            redactions="Nothing",
            by=officer,
        )

    contract_copies.approve_copy(copy=upload(), by=head)
    world.waiting_copy = upload()
    world.reviewed_service = open_tender(world, title="Matrix service").procurement.commission


MATRIX = {
    "reporting:contract-copies": (lambda w: {}, only(OFFICERS)),
    "reporting:contract-copy-upload": (lambda w: {"pk": w.copied_contract.pk}, only(OFFICERS)),
    "reporting:contract-copy-review": (lambda w: {"pk": w.waiting_copy.pk}, only(OFFICERS)),
    "reporting:contract-copy-approve": (lambda w: {"pk": w.waiting_copy.pk}, expect(405, anonymous=405)),
    "reporting:public-descriptions": (lambda w: {}, only(OFFICERS)),
    "reporting:public-description-approve": (
        lambda w: {"pk": w.copied_contract.pk},
        expect(405, anonymous=405),
    ),
    "reporting:public-text-review": (
        lambda w: {"source": "services", "pk": w.reviewed_service.pk},
        only(OFFICERS),
    ),
    "reporting:transparency-contract-copy": (
        lambda w: {"reference": w.copied_contract.reference},
        expect(200, anonymous=200),
    ),
}
