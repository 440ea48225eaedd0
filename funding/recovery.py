"""Reads about recoveries: what is awaiting receipt across the office, and an award's own."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Sum, Value
from django.db.models.functions import Coalesce

from funding import ledger
from funding.models import Award, Recovery, RecoveryStatus
from opcc.money import ZERO


@dataclass
class AwaitingTotals:
    count: int
    amount: Decimal


def awaiting_receipt():
    """Recoveries owed and not yet received, oldest first."""
    return (
        Recovery.objects.filter(status=RecoveryStatus.OWED)
        .select_related("award__organisation", "award__pot__year")
        .order_by("recorded_at", "id")
    )


def awaiting_totals() -> AwaitingTotals:
    """How many recoveries are awaiting receipt and how much: one query."""
    row = Recovery.objects.filter(status=RecoveryStatus.OWED).aggregate(
        count=Count("pk"), amount=Coalesce(Sum("amount"), Value(ZERO), output_field=ledger.MONEY_OUT)
    )
    return AwaitingTotals(count=row["count"], amount=row["amount"])


def award_recoveries(award: Award):
    """An award's recoveries, newest first: the payment history shows each received one as a credit."""
    return Recovery.objects.filter(award=award).select_related("recorded_by").order_by("-recorded_at", "-id")
