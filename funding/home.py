"""Funding's sections of the home pages."""

from django.utils import timezone

from funding import ledger
from funding.models import Award, FinancialYear
from funding.selectors import payments_due_totals
from opcc.calendar import financial_year_of
from opcc.models import Role

MONEY_ROLES = {
    Role.PCC,
    Role.FINANCE_OFFICER,
    Role.HEAD_OF_COMMISSIONING,
    Role.COMMISSIONING_OFFICER,
    Role.AUDITOR,
}


def panels(request):
    user = request.user
    if user.role in MONEY_ROLES:
        year = FinancialYear.objects.filter(start_year=financial_year_of(timezone.localdate())).first()
        if year is None:
            return []
        summary = ledger.year_summary(year)
        draft_years = list(
            FinancialYear.objects.filter(status=FinancialYear.Status.DRAFT).order_by("start_year")
        )
        # The PCC approves each year's allocation: a draft waits for them, so the panel goes first.
        awaiting = draft_years if user.has_perm("funding.approve_allocation") else []
        return [
            {
                "template": "funding/panels/year.html",
                "year": year,
                "summary": summary,
                "draft_years": draft_years,
                "awaiting_approval": awaiting,
                "waiting": bool(awaiting),
                "due": _due_totals() if user.has_perm("funding.record_payment") else None,
            }
        ]
    if user.role == Role.PROVIDER:
        awards = (
            Award.objects.filter(organisation__memberships__user=user)
            .exclude(status=Award.Status.CANCELLED)
            .select_related("organisation")
            .order_by("-start_date")[:20]
        )
        return [{"template": "funding/panels/provider_awards.html", "awards": awards}]
    return []


def _due_totals():
    """Finance's figure on every home page view."""

    return payments_due_totals(timezone.localdate())
