"""Grant visits: an officer schedules a visit to a funded service, then records what was found (or records a visit
that has already happened, findings and all)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from opcc.permissions import require_perm
from opcc.types import Actor
from reporting.models import GrantVisit
from reporting.services import tiers

PLANNED_IN_THE_PAST = (
    "The date of a planned visit must be today or in the future: if the visit has happened, "
    "record it as a visit that has happened"
)
NO_OFFICER = "Select the officer visiting"


def schedule_visit(
    *, award, scheduled_for: date, officer, purpose: str, by: Actor, today: date | None = None
) -> GrantVisit:
    require_perm(by, "reporting.manage_visits", refusal="You cannot schedule visits.")
    today = today or timezone.localdate()
    errors = {}
    if scheduled_for is not None and scheduled_for < today:
        errors["scheduled_for"] = PLANNED_IN_THE_PAST
    if officer is None:
        errors["officer"] = NO_OFFICER
    if errors:
        raise ValidationError(errors)
    visit = GrantVisit(
        award=award, scheduled_for=scheduled_for, officer=officer, purpose=(purpose or "").strip()
    )
    visit.full_clean()
    visit.save()
    return visit


def _record_errors(*, visited_on: date | None, attendees: str, findings: str, today: date) -> dict:
    errors = {}
    if visited_on is not None and visited_on > today:
        errors["visited_on"] = "The date visited must be today or in the past"
    if not (attendees or "").strip():
        errors["attendees"] = "Enter who attended"
    if not (findings or "").strip():
        errors["findings"] = "Enter what you found"
    return errors


def _write(
    visit: GrantVisit, *, visited_on, attendees, findings, service_user_feedback, actions, by: Actor
) -> GrantVisit:

    visit.visited_on = visited_on
    visit.attendees, visit.findings = attendees.strip(), findings.strip()
    visit.service_user_feedback, visit.actions = (
        (service_user_feedback or "").strip(),
        (actions or "").strip(),
    )
    visit.recorded_by, visit.recorded_at = by, timezone.now()
    visit.full_clean()
    visit.save()
    # A visit recorded moves the award's next visit due (at a tier that asks for visits).
    tiers.refresh_due_dates(award_ids=[visit.award_id])
    return visit


@transaction.atomic
def record_visit(
    *,
    visit: GrantVisit,
    visited_on: date,
    attendees: str,
    findings: str,
    service_user_feedback: str,
    actions: str,
    by: Actor,
    today: date | None = None,
) -> GrantVisit:
    require_perm(by, "reporting.manage_visits", refusal="You cannot record visits.")
    today = today or timezone.localdate()
    if errors := _record_errors(visited_on=visited_on, attendees=attendees, findings=findings, today=today):
        raise ValidationError(errors)
    visit = GrantVisit.objects.select_for_update().get(pk=visit.pk)
    return _write(
        visit,
        visited_on=visited_on,
        attendees=attendees,
        findings=findings,
        service_user_feedback=service_user_feedback,
        actions=actions,
        by=by,
    )


@transaction.atomic
def record_past_visit(
    *,
    award,
    visited_on: date,
    officer,
    purpose: str,
    attendees: str,
    findings: str,
    service_user_feedback: str,
    actions: str,
    by: Actor,
    today: date | None = None,
) -> GrantVisit:
    """A visit that has already happened (it was never planned here): recorded at once, with what was found."""
    require_perm(by, "reporting.manage_visits", refusal="You cannot record visits.")
    today = today or timezone.localdate()
    errors = _record_errors(visited_on=visited_on, attendees=attendees, findings=findings, today=today)
    if officer is None:
        errors["officer"] = NO_OFFICER
    if errors:
        raise ValidationError(errors)
    visit = GrantVisit(
        award=award, scheduled_for=visited_on, officer=officer, purpose=(purpose or "").strip()
    )
    return _write(
        visit,
        visited_on=visited_on,
        attendees=attendees,
        findings=findings,
        service_user_feedback=service_user_feedback,
        actions=actions,
        by=by,
    )
