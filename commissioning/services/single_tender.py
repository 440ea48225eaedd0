"""A single tender agreement and its sign-off (the head of commissioning, then the PCC above the threshold)."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from commissioning import gates
from commissioning.models import Commission, CommissioningRules, Route, SingleTenderAgreement
from commissioning.services._common import _procurement, _refuse
from opcc.models import Role
from opcc.permissions import require_perm
from opcc.types import Actor


@transaction.atomic
def save_single_tender(
    *, commission: Commission, organisation, ground: str, justification: str, value: Decimal, by: Actor
) -> SingleTenderAgreement:
    require_perm(by, "commissioning.change_commission")
    procurement = _procurement(commission, Route.SINGLE_TENDER)
    _refuse(gates.single_tender_closed(procurement.commission))
    sta = gates._one(procurement, "sta") or SingleTenderAgreement(procurement=procurement)
    sta.organisation, sta.ground, sta.justification, sta.value = organisation, ground, justification, value
    sta.needs_pcc = value > CommissioningRules.current().sta_pcc_threshold
    sta.full_clean()
    sta.save()
    return sta


@transaction.atomic
def sign_single_tender(*, commission: Commission, by: Actor) -> SingleTenderAgreement:
    require_perm(by, "commissioning.sign_single_tender")
    procurement = _procurement(commission, Route.SINGLE_TENDER)
    sta = SingleTenderAgreement.objects.select_for_update().filter(procurement=procurement).first()
    if sta is None:
        raise ValidationError("There is no single tender agreement to sign off")
    now = timezone.now()
    if by.role == Role.HEAD_OF_COMMISSIONING:
        if sta.head_signed_at:
            raise ValidationError("The head of commissioning has already signed off this agreement")
        sta.head_signed_by, sta.head_signed_at = by, now
    elif by.role == Role.PCC:
        if not sta.needs_pcc:
            raise ValidationError("This agreement does not need the PCC's sign-off")
        if not sta.head_signed_at:
            raise ValidationError("The head of commissioning signs off first")
        if sta.pcc_signed_at:
            raise ValidationError("The PCC has already signed off this agreement")
        sta.pcc_signed_by, sta.pcc_signed_at = by, now
    sta.save()
    return sta
