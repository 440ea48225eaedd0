"""Do: choosing the procurement route, and the quotes routes' written quotes and chosen supplier."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from commissioning import gates
from commissioning.models import QUOTE_ROUTES, Commission, Procurement, Quote, Route
from commissioning.procurement import required_route, route_allowed
from commissioning.services._common import _in_do, _procurement, _refuse
from opcc.money import gbp
from opcc.permissions import require_perm
from opcc.types import Actor


@transaction.atomic
def choose_route(*, commission: Commission, route: str, reason: str, by: Actor) -> Procurement:
    require_perm(by, "commissioning.change_commission")
    locked = _in_do(commission)
    value = locked.estimated_total_value
    if value is None:
        raise ValidationError({"route": "Enter the estimated total value in Plan first"})
    needed = required_route(value, light_touch=locked.light_touch)
    if not route_allowed(route, needed):
        raise ValidationError(
            {
                "route": (
                    f"The estimated total value of {gbp(value)} needs at least: {Route(needed).label.lower()}. "
                    f"A lighter route is only possible by a single tender agreement"
                )
            }
        )
    if route == Route.SINGLE_TENDER and not (reason or "").strip():
        raise ValidationError({"route_reason": "Enter why a single tender agreement is needed"})
    procurement = Procurement.objects.filter(commission=locked, cycle=locked.cycle).first()
    if procurement is not None:
        _refuse(gates.procurement_closed(locked))
    if procurement and procurement.route != route:
        started = (
            procurement.quotes.exists()
            or gates._one(procurement, "tender") is not None
            or gates._one(procurement, "sta") is not None
        )
        if started:
            raise ValidationError(
                {"route": "Work has already started on the current route: it cannot be changed now"}
            )
    procurement = procurement or Procurement(commission=locked, cycle=locked.cycle)
    procurement.route, procurement.required_route, procurement.value, procurement.route_reason = (
        route,
        needed,
        value,
        reason,
    )
    procurement.save()
    return procurement


def quote_problems(*, received_on: date | None, today: date | None = None) -> dict[str, str]:
    """What is wrong with a quote's answers beyond each field's own checks (the quotes form asks this too)."""
    if received_on and received_on > (today or timezone.localdate()):
        return {"received_on": "The date received cannot be in the future"}
    return {}


@transaction.atomic
def add_quote(
    *, commission: Commission, organisation, amount: Decimal, received_on: date, notes: str, by: Actor
) -> Quote:
    require_perm(by, "commissioning.change_commission")
    procurement = _procurement(commission, *QUOTE_ROUTES)
    if problems := quote_problems(received_on=received_on):
        raise ValidationError(problems)
    quote = Quote(
        procurement=procurement,
        organisation=organisation,
        amount=amount,
        received_on=received_on,
        notes=notes,
    )
    quote.full_clean()
    quote.save()
    return quote


@transaction.atomic
def choose_quote(*, commission: Commission, quote: Quote, reason: str, by: Actor) -> Procurement:
    require_perm(by, "commissioning.change_commission")
    procurement = _procurement(commission, *QUOTE_ROUTES)
    if quote.procurement_id != procurement.pk:
        raise ValidationError({"quote": "Choose one of the quotes recorded"})
    if (closed := gates.choose_quote_closed(procurement.commission)) is not None:
        raise ValidationError({"quote": closed})
    if not (reason or "").strip():
        raise ValidationError({"reason": "Enter why this supplier was chosen"})
    procurement.chosen_quote, procurement.quote_choice_reason = quote, reason
    procurement.save(update_fields=["chosen_quote", "quote_choice_reason"])
    return procurement
