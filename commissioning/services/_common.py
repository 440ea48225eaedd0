"""What every commissioning service shares: the permission check, refusing with a gate's reason,
the row locks each stage's writes start from, and the date and money helpers.
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError

from commissioning import gates
from commissioning.models import Commission, Procurement, Route, Tender
from opcc.services.transitions import record_transition

ZERO = Decimal("0")


def _require(user, perm, obj=None):
    if user is not None and not user.has_perm(perm, obj):
        raise PermissionDenied("You do not have permission to do this.")


def _gbp(amount):
    return f"£{amount:,.2f}"


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    import calendar

    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _refuse(reason) -> None:
    """Raise a gate's reason (a sentence or a list of them) as the refusal the person sees."""
    if reason:
        raise ValidationError(reason)


def _lock_open(commission: Commission) -> Commission:
    locked = Commission.objects.select_for_update().get(pk=commission.pk)
    _refuse(gates.evidence_closed(locked))
    return locked


def _in_do(commission: Commission) -> Commission:
    locked = Commission.objects.select_for_update().get(pk=commission.pk)
    _refuse(gates.do_closed(locked))
    return locked


def _procurement(commission, *kinds) -> Procurement:
    locked = _in_do(commission)
    _refuse(gates.route_closed(locked, *kinds) if kinds else gates.procurement_closed(locked))
    return gates.current_procurement(locked)


def _tender(commission) -> Tender:
    procurement = _procurement(commission, Route.TENDER, Route.REGULATED)
    tender = gates._one(procurement, "tender")
    if tender is None:
        raise ValidationError("Record the tender first")
    return tender


def _note(commission: Commission, transition: str, note: str, by) -> None:
    """A timeline entry on the commission for something done within its stage."""
    record_transition(
        commission,
        transition=transition,
        from_state=commission.status,
        to_state=commission.status,
        by=by,
        note=note,
    )


class SystemActor:
    """The daily task acting on a decision a person already made (e.g. a break notice reaching its exit date).
    Recorded on the timeline as the system; the note names who made the decision."""

    is_authenticated = False
    pk = None

    def has_perm(self, perm, obj=None):
        return True
