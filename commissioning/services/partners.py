"""Co-commissioning partners: who pools a budget with the office for the service."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from commissioning.models import CoCommissioningPartner, Commission
from commissioning.services._common import _lock_open
from opcc.permissions import require_perm
from opcc.types import Actor


def partner_problems(*, commission: Commission, organisation) -> dict[str, str]:
    """What is wrong with adding this partner (the partners form asks this too)."""
    if organisation is not None and commission.partners.filter(organisation=organisation).exists():
        return {"organisation": f"{organisation} is already a partner"}
    return {}


@transaction.atomic
def add_partner(
    *, commission: Commission, organisation, contribution: Decimal, notes: str, by: Actor
) -> CoCommissioningPartner:
    require_perm(by, "commissioning.change_commission")
    _lock_open(commission)
    if problems := partner_problems(commission=commission, organisation=organisation):
        raise ValidationError(problems)
    partner = CoCommissioningPartner(
        commission=commission, organisation=organisation, contribution=contribution, notes=notes
    )
    partner.full_clean()
    partner.save()
    return partner
