"""Commissioning's sections of the home pages."""

from django.db.models import Count, Q
from django.utils import timezone

from commissioning.exclusions import pru_overdue
from commissioning.models import AssessmentSummary, Commission, CommissioningRules, Tender
from commissioning.selectors import notices_due, waiting_for
from opcc.aggregates import cached
from opcc.models import Role
from opcc.views.home import first_few


def panels(request):
    user = request.user
    if user.role == Role.EVALUATOR:
        tenders, count = first_few(
            Tender.objects.filter(panel__user=user)
            .select_related("procurement__commission")
            .annotate(bid_count=Count("bids", distinct=True))
            .order_by("closes_on", "pk")
        )
        if not tenders:
            return []
        return [{"template": "commissioning/panels/evaluator.html", "tenders": tenders, "count": count}]
    if user.role == Role.PROVIDER:
        return summary_panels(user)
    result = []
    # First, so it is the first thing of commissioning's they see: what waits for their sign-off or decision.
    if user.role in (Role.HEAD_OF_COMMISSIONING, Role.PCC, Role.COMMISSIONING_OFFICER):
        items = cached("commissioning-waiting", (user.pk, user.role), lambda: waiting_for(user))
        if items or user.role != Role.COMMISSIONING_OFFICER:
            # Ahead of everything else on the page only when something is waiting (opcc.views.home.panels_for).
            shown, count = first_few(items)
            result.append(
                {
                    "template": "commissioning/panels/waiting.html",
                    "items": shown,
                    "count": count,
                    "waiting": bool(items),
                }
            )
    if user.role in (Role.COMMISSIONING_OFFICER, Role.HEAD_OF_COMMISSIONING):
        counts = dict(
            Commission.objects.filter(officer=user).values_list("status").annotate(n=Count("id")).order_by()
        )
        mine = list(
            Commission.objects.filter(Q(officer=user), status__in=Commission.OPEN).order_by("-created_at")[:8]
        )
        result.append(
            {"template": "commissioning/panels/officer.html", "counts": counts, "commissions": mine}
        )
        today = timezone.localdate()
        notices, count = first_few(
            notices_due(user, today=today, within_days=CommissioningRules.current().notice_reminder_days)
        )
        if notices:
            result.append(
                {
                    "template": "commissioning/panels/notices.html",
                    "notices": notices,
                    "count": count,
                    "today": today,
                }
            )
        checks, count = first_few(pru_overdue(today=today, user=user))
        if checks:
            result.append({"template": "commissioning/panels/pru.html", "checks": checks, "count": count})
    return result


def summary_panels(user) -> list[dict]:
    """A supplier's assessment summaries, the latest first, once any has been sent to its organisation."""
    summaries, count = first_few(
        AssessmentSummary.objects.filter(bid__organisation__memberships__user=user, sent_at__isnull=False)
        .select_related("procurement__commission", "bid__organisation")
        .order_by("-sent_at", "-pk")
        .distinct()
    )
    if not summaries:
        return []
    return [{"template": "commissioning/panels/summaries.html", "summaries": summaries, "count": count}]
