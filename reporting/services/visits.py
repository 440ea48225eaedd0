"""Grant visits: an officer schedules a visit to a funded service, then records what was found."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from reporting.models import GrantVisit


def schedule_visit(*, award, scheduled_for: date, officer, purpose: str, by) -> GrantVisit:
    if not by.has_perm("reporting.manage_visits"):
        raise PermissionDenied("You cannot schedule visits.")
    visit = GrantVisit(award=award, scheduled_for=scheduled_for, officer=officer, purpose=purpose)
    visit.full_clean()
    visit.save()
    return visit


@transaction.atomic
def record_visit(*, visit: GrantVisit, visited_on: date, attendees: str, findings: str, service_user_feedback: str,
                 actions: str, by, today: date | None = None) -> GrantVisit:
    if not by.has_perm("reporting.manage_visits"):
        raise PermissionDenied("You cannot record visits.")
    today = today or timezone.localdate()
    errors = {}
    if visited_on > today:
        errors["visited_on"] = "The date visited must be today or in the past"
    if not attendees.strip():
        errors["attendees"] = "Enter who attended"
    if not findings.strip():
        errors["findings"] = "Enter what you found"
    if errors:
        raise ValidationError(errors)
    visit = GrantVisit.objects.select_for_update().get(pk=visit.pk)
    visit.visited_on = visited_on
    visit.attendees, visit.findings = attendees.strip(), findings.strip()
    visit.service_user_feedback, visit.actions = service_user_feedback.strip(), actions.strip()
    visit.recorded_by, visit.recorded_at = by, timezone.now()
    visit.full_clean()
    visit.save()
    return visit
