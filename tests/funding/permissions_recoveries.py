"""Recoveries: the office reads the list; finance records money owed back and its receipt."""

from opcc.models import Role
from tests.permissions import OFFICE, OTHER_PROVIDER, only

FINANCE = {Role.FINANCE_OFFICER}


def setup(world):
    from decimal import Decimal

    from funding.services import awards, recoveries
    from tests.grants.closeout_factories import paid_grant

    finance = world.users[Role.FINANCE_OFFICER]
    world.recovery_award = paid_grant(world, kind="contract", title="Ended contract")
    awards.change_status(award=world.recovery_award, transition="complete", by=finance)
    world.recovery = recoveries.record_recovery(
        award=world.recovery_award,
        amount=Decimal("100"),
        final_spend=Decimal("9900"),
        invoice_reference="INV-1",
        by=finance,
    )


MATRIX = {
    "funding:recoveries": (lambda w: {}, only(OFFICE)),
    "funding:recovery-create": (
        lambda w: {"pk": w.recovery_award.pk},
        only(FINANCE, **{OTHER_PROVIDER: 403}),
    ),
    "funding:recovery-receive": (lambda w: {"pk": w.recovery.pk}, only(FINANCE)),
}
