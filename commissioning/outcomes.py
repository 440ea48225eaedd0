"""The outcome measures set in Plan, for the award a contract created (the interface agreed with reporting)."""

from commissioning.models import Contract
from funding.hooks import MeasureSpec
from funding.models import Award


def measures_for_award(award: Award) -> list[MeasureSpec] | None:
    """None when the award did not come from a commissioning contract; else the commission's measures."""

    contract = Contract.objects.filter(award_id=award.pk).select_related("procurement__commission").first()
    if contract is None:
        return None
    return [
        MeasureSpec(
            name=m.name,
            kind=m.kind,
            quarterly_target=m.quarterly_target,
            unit=m.unit,
            star_name=m.star_name,
            help=m.help,
        )
        for m in contract.procurement.commission.measures.all()
    ]
