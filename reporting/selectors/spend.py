"""Every item of expenditure over £500, by month, from the payments ledger: the Elected Local Policing Bodies
(Specified Information) Order 2011, Schedule para. 3(g) as amended ("each item of expenditure ... exceeding £500,
including the recipient of the funds, the purpose of the expenditure and the reasons why the body ... considered
that good value for money would be obtained", published each month).

Exceeding £500: £500.00 is not listed, £500.01 is. The office pays organisations only (opcc.Organisation has no
individual or sole trader), so the recipient is always an organisation's name and no personal data is published;
the finance system reference and anything else internal never leaves this module.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet

from commissioning.models import Route
from funding.models import AwardKind, Payment
from opcc.calendar import add_months
from reporting.selectors.transparency import public_title

OVER = Decimal("500")

# What each published row says, in order: the CSV's header and the JSON's keys are these names.
COLUMNS = (
    "date_paid",
    "recipient",
    "purpose",
    "amount",
    "award_reference",
    "award_type",
    "how_awarded",
)

HOW_AWARDED = {
    Route.ONE_QUOTE: "Contract awarded after a written quote",
    Route.THREE_QUOTES: "Contract awarded after comparing three written quotes",
    Route.TENDER: "Contract awarded after a competitive tender",
    Route.REGULATED: "Contract awarded after a competitive tender under the Procurement Act",
    Route.SINGLE_TENDER: "Contract awarded by a single tender agreement, its reasons approved",
}


def spend_over_500(month: date | None = None) -> QuerySet[Payment]:
    """The items, newest first, with what a row shows (one query however many)."""
    qs = Payment.objects.filter(amount__gt=OVER)
    if month is not None:
        qs = qs.filter(paid_on__gte=month, paid_on__lt=add_months(month, 1))
    return (
        qs.select_related("award__organisation", "award__contract__procurement", "award__public_description")
        .only(
            "amount",
            "paid_on",
            "award__reference",
            "award__kind",
            "award__public_description__title",
            "award__organisation__name",
            "award__contract__procurement__route",
        )
        .order_by("-paid_on", "-pk")
    )


def months() -> list[date]:
    """The months with items, newest first: the month filter's choices."""
    return list(Payment.objects.filter(amount__gt=OVER).dates("paid_on", "month", order="DESC"))


def month_from(value: str | None, choices: list[date]) -> date | None:
    """`2026-06` from a public URL: a month with items, or None (every month) for anything else."""
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        chosen = date(year, month, 1)
    except ValueError:
        return None
    return chosen if chosen in choices else None


@dataclass(frozen=True)
class SpendItem:
    date_paid: date
    recipient: str
    purpose: str
    amount: Decimal
    award_reference: str
    award_type: str
    how_awarded: str

    def values(self) -> tuple:
        return tuple(getattr(self, column) for column in COLUMNS)


def how_awarded(payment: Payment) -> str:
    award = payment.award
    if award.kind == AwardKind.GRANT:
        return "Grant awarded against the scheme's published criteria"
    contract = getattr(award, "contract", None)
    if contract is None:
        return "Contract"
    return HOW_AWARDED.get(contract.procurement.route, "Contract")


def item(payment: Payment) -> SpendItem:
    award = payment.award
    return SpendItem(
        date_paid=payment.paid_on,
        recipient=award.organisation.name,
        purpose=public_title(award),
        amount=payment.amount,
        award_reference=award.reference,
        award_type=award.get_kind_display(),
        how_awarded=how_awarded(payment),
    )
