"""A single tender agreement and its sign-off (the head of commissioning, then the PCC above the threshold)."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from commissioning import gates
from commissioning.models import (
    Commission,
    CommissioningRules,
    NoticeKind,
    Route,
    SingleTenderAgreement,
)
from commissioning.procurement import is_direct_award
from commissioning.services._common import _procurement, _refuse
from commissioning.services.notices import ensure_notice
from opcc.models import Role
from opcc.permissions import require_perm
from opcc.types import Actor


@transaction.atomic
def save_single_tender(
    *,
    commission: Commission,
    organisation,
    ground: str,
    justification: str,
    value: Decimal,
    by: Actor,
    schedule5: str = "",
) -> SingleTenderAgreement:
    require_perm(by, "commissioning.change_commission")
    procurement = _procurement(commission, Route.SINGLE_TENDER)
    _refuse(gates.single_tender_closed(procurement.commission))
    above = is_direct_award(value, light_touch=procurement.commission.light_touch)
    schedule5 = justification_for(ground=ground, schedule5=schedule5, above=above)
    sta = gates._one(procurement, "sta") or SingleTenderAgreement(procurement=procurement)
    sta.organisation, sta.ground, sta.justification, sta.value = organisation, ground, justification, value
    sta.schedule5 = schedule5
    sta.needs_pcc = value > CommissioningRules.current().sta_pcc_threshold
    sta.full_clean()
    sta.save()
    if above:
        # A direct award above the threshold is announced by a transparency notice before it is made (s.44).
        ensure_notice(
            kind=NoticeKind.TRANSPARENCY,
            key=transparency_key(procurement),
            triggered_on=timezone.localdate(),
            procurement=procurement,
        )
    return sta


CONTINUITY_ALONE = (
    "Continuity of supply (ground (b)) is not on its own a lawful reason for a direct award above the threshold: "
    "choose the Schedule 5 justification the agreement relies on, such as paragraph 7 (additional or repeat "
    "services), or run a competitive tender"
)


def justification_for(*, ground: str, schedule5: str, above: bool) -> str:
    """The Schedule 5 paragraph an agreement relies on. Above the threshold one is needed: ground (a) is paragraph 6
    unless another is named; ground (b) alone is refused. Below it, none is recorded."""
    if not above:
        return ""
    if schedule5:
        return schedule5
    mapped = {str(k): v for k, v in SingleTenderAgreement.GROUND_JUSTIFICATION.items()}.get(ground)
    if mapped is not None:
        return mapped
    raise ValidationError({"schedule5": CONTINUITY_ALONE})


def transparency_key(procurement) -> str:
    return f"procurement:{procurement.pk}:transparency"


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
