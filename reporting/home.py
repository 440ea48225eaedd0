"""Monitoring's sections of the home pages: providers see returns to do; the office sees returns to review
and overdue."""

from django.utils import timezone

from opcc.models import Role
from opcc.views.home import first_few
from reporting.models import QuarterlyReturn
from reporting.selectors import monitoring as selectors
from reporting.selectors import payments_compliance as compliance
from reporting.selectors import tiers as tier_selectors

OFFICE = {
    Role.COMMISSIONING_OFFICER,
    Role.HEAD_OF_COMMISSIONING,
    Role.PCC,
    Role.FINANCE_OFFICER,
    Role.AUDITOR,
}


def panels(request):
    user = request.user
    today = timezone.localdate()
    if user.role == Role.PROVIDER:
        to_do, count = first_few(
            selectors.provider_returns(user)
            .filter(status__in=QuarterlyReturn.WITH_PROVIDER)
            .order_by("due_date")
        )
        # Returns to complete wait for the provider: ahead of the lists of their awards.
        return [
            {
                "template": "reporting/panels/provider_returns.html",
                "returns": to_do,
                "count": count,
                "today": today,
                "waiting": bool(to_do),
            }
        ]
    if user.role in OFFICE:
        base = QuarterlyReturn.objects.select_related("award__organisation")
        to_review = base.to_review().order_by("submitted_at")
        overdue = base.overdue(today).order_by("due_date")
        to_review_count = to_review.count()
        found = []
        if user.role in (Role.COMMISSIONING_OFFICER, Role.HEAD_OF_COMMISSIONING) and to_review_count:
            # Returns to review are the officers' work waiting: ahead of everything else on the page.
            found.append(
                {
                    "template": "reporting/panels/returns_to_review.html",
                    "count": to_review_count,
                    "returns": first_few(to_review)[0],
                    "waiting": True,
                }
            )
        overdue_shown, overdue_count = first_few(overdue)
        found.append(
            {
                "template": "reporting/panels/office_returns.html",
                "today": today,
                "to_review_count": to_review_count,
                "overdue_count": overdue_count,
                "overdue": overdue_shown,
            }
        )
        if user.role in (Role.COMMISSIONING_OFFICER, Role.HEAD_OF_COMMISSIONING):
            # Visits and annual reviews the awards' monitoring tiers ask for, beside the returns (officers do them).
            due, due_count = first_few(tier_selectors.visits_and_reviews_due(today))
            if due_count:
                found.append(
                    {
                        "template": "reporting/panels/visits_and_reviews_due.html",
                        "today": today,
                        "due": due,
                        "count": due_count,
                        "within_days": tier_selectors.DUE_WITHIN_DAYS,
                    }
                )
        if user.role == Role.FINANCE_OFFICER:
            # The office's own notices (payments compliance): no lead officer owns them, finance prepares them.
            notices, count = first_few(compliance.notices_to_publish(today))
            if count:
                found.append(
                    {
                        "template": "reporting/panels/payments_notices.html",
                        "today": today,
                        "notices": [(n, compliance.period_start_of(n)) for n in notices],
                        "count": count,
                    }
                )
        return found
    return []
