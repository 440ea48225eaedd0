"""Outcome measures for awards that came from a grant (the interface agreed with outcome monitoring).

Reporting calls `measures_for_award(award)` when an award becomes active: None when the award did not
come from a grant, else the scheme's measures as plain dicts. The measures are data on the scheme.
"""

from decimal import Decimal, InvalidOperation

from funding.hooks import MeasureSpec
from funding.models import Award
from grants.models import Application

KINDS = {"count", "percentage", "star", "narrative"}


def _target(value):
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def measures_for_award(award: Award) -> list[MeasureSpec] | None:

    application = Application.objects.filter(award_id=award.pk).select_related("round__scheme").first()
    if application is None:
        return None
    return [
        MeasureSpec(
            name=str(m.get("name", "")),
            kind=m.get("kind") if m.get("kind") in KINDS else "count",
            quarterly_target=_target(m.get("quarterly_target")),
            unit=str(m.get("unit", "")),
            star_name=str(m.get("star_name", "")),
            help=str(m.get("help", "")),
        )
        for m in application.round.scheme.measures
        if m.get("name")
    ]
