"""Recoveries on pages funding's views draw: the overview's money awaiting recovery and an award's credits."""

from django import template

from funding import ledger
from funding import recovery as reads
from funding.models import Award
from funding.services.recoveries import ENDED, recovered_on_award

register = template.Library()


@register.inclusion_tag("funding/recoveries/_awaiting_panel.html", takes_context=True)
def recoveries_awaiting(context):
    """The funding overview's "money awaiting recovery": a total and a link to the list. One query."""
    return {"totals": reads.awaiting_totals(), "request": context.get("request")}


@register.inclusion_tag("funding/recoveries/_award_recoveries.html", takes_context=True)
def award_recoveries(context, award: Award):
    """An award's recoveries: each received one is a credit in its payment history. One query."""
    user = context["request"].user
    return {
        "award": award,
        "recoveries": list(reads.award_recoveries(award)[:50]),
        # Offered while some of what was paid is not yet being recovered.
        "can_record": user.has_perm("funding.record_recovery")
        and award.status in ENDED
        and ledger.paid_on_award(award) > recovered_on_award(award),
        "can_receive": user.has_perm("funding.record_recovery"),
        "request": context.get("request"),
    }
