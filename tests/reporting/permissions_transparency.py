"""The public transparency pages and open-data files: everyone gets in, signed in or not."""

from tests.permissions import expect


def setup(world):
    """A published grant (funding's), a contract (commissioning's), an open round (grants') and an open tender."""
    from funding.models import Award
    from tests.reporting.transparency_factories import open_tender

    world.published_grant = world.award
    world.published_contract = Award.objects.filter(kind="contract", status="active").first()
    world.open_tender = open_tender(world, title="Open tender for the matrix")


EVERYONE = expect(200, anonymous=200)

MATRIX = {
    "reporting:transparency": (lambda w: {}, EVERYONE),
    "reporting:transparency-grants": (lambda w: {}, EVERYONE),
    "reporting:transparency-grant": (lambda w: {"reference": w.published_grant.reference}, EVERYONE),
    "reporting:transparency-contracts": (lambda w: {}, EVERYONE),
    "reporting:transparency-small-contracts": (lambda w: {}, EVERYONE),
    "reporting:transparency-contract": (lambda w: {"reference": w.published_contract.reference}, EVERYONE),
    "reporting:transparency-rounds": (lambda w: {}, EVERYONE),
    "reporting:transparency-round": (lambda w: {"pk": w.grant_round.pk}, EVERYONE),
    "reporting:transparency-tenders": (lambda w: {}, EVERYONE),
    "reporting:transparency-tender": (lambda w: {"pk": w.open_tender.pk}, EVERYONE),
    "reporting:transparency-spend": (lambda w: {}, EVERYONE),
    "reporting:transparency-spend-csv": (lambda w: {}, EVERYONE),
    "reporting:transparency-spend-json": (lambda w: {}, EVERYONE),
    "reporting:open-data": (lambda w: {}, EVERYONE),
    "reporting:open-data-grants-json": (lambda w: {}, EVERYONE),
    "reporting:open-data-grants-xlsx": (lambda w: {}, EVERYONE),
    "reporting:open-data-contracts": (lambda w: {}, EVERYONE),
}
