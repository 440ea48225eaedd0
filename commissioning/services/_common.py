"""What every commissioning service shares: refusing with a gate's reason, the row locks each stage's writes
start from, the timeline note and the system actor. Permission checks, money and dates have their homes in
opcc (opcc.permissions, opcc.money, opcc.calendar)."""

from django.core.exceptions import ValidationError

from commissioning import gates
from commissioning.models import Commission, Procurement, Route, Tender
from opcc.services.transitions import record_transition
from opcc.types import Actor


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


def _note(commission: Commission, transition: str, note: str, by: Actor) -> None:
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
