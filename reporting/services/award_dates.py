"""When an active award's dates change (an accepted grant variation), its monitoring follows: returns for quarters
after the new end that nobody has started are removed (with their timeline and any chasing not yet sent), an
end-of-project report moves to the new end, the returns of quarters a later end adds are created as they begin, and
visits and annual reviews are due by the new dates."""

from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from funding.models import Award
from opcc.models import OutboxMessage, TransitionLog
from reporting import calendar
from reporting.models import QuarterlyReturn, ReturnKind
from reporting.services import returns, tiers


def follow_award_dates(*, award: Award, today: date) -> int:
    """Make the award's return calendar end with the award. Returns how many returns were removed. Never removes a
    return that was submitted, accepted or sent back, nor one with a draft saved."""
    last = calendar.final_quarter(award.end_date)
    with transaction.atomic():
        ids = list(
            QuarterlyReturn.objects.filter(
                award=award,
                kind=ReturnKind.QUARTERLY,
                status__in=QuarterlyReturn.NOT_SENT,
                last_saved_at__isnull=True,
                period_end__gt=last.end,
            ).values_list("pk", flat=True)
        )
        if ids:
            ct = ContentType.objects.get_for_model(QuarterlyReturn)
            TransitionLog.objects.filter(content_type=ct, object_id__in=ids).delete()
            OutboxMessage.objects.filter(
                content_type=ct, object_id__in=ids, status=OutboxMessage.Status.PENDING
            ).delete()
            QuarterlyReturn.objects.filter(pk__in=ids).delete()
        tiers.realign_end_reports(today=today)
        returns.ensure_returns(today=today, award_ids=[award.pk])
        tiers.refresh_due_dates(award_ids=[award.pk])
    return len(ids)
