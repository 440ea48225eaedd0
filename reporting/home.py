"""Monitoring's sections of the home pages: providers see returns to do; the office sees returns to review
and overdue."""

from django.utils import timezone

from opcc.models import Role
from reporting.models import QuarterlyReturn
from reporting.selectors import monitoring as selectors

OFFICE = {Role.COMMISSIONING_OFFICER, Role.HEAD_OF_COMMISSIONING, Role.PCC, Role.FINANCE_OFFICER, Role.AUDITOR}


def panels(request):
    user = request.user
    today = timezone.localdate()
    if user.role == Role.PROVIDER:
        to_do = list(selectors.provider_returns(user).filter(status__in=QuarterlyReturn.WITH_PROVIDER)
                     .order_by("due_date")[:20])
        # Returns to complete wait for the provider: ahead of the lists of their awards.
        return [{"template": "reporting/panels/provider_returns.html", "returns": to_do, "today": today,
                 "waiting": bool(to_do)}]
    if user.role in OFFICE:
        base = QuarterlyReturn.objects.select_related("award__organisation")
        to_review = base.to_review().order_by("submitted_at")
        overdue = base.overdue(today).order_by("due_date")
        return [{"template": "reporting/panels/office_returns.html", "today": today,
                 "to_review_count": to_review.count(), "overdue_count": overdue.count(),
                 "to_review": list(to_review[:8]), "overdue": list(overdue[:8]),
                 "is_officer": user.role in (Role.COMMISSIONING_OFFICER, Role.HEAD_OF_COMMISSIONING)}]
    return []
