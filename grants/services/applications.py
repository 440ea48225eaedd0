"""The provider's application: starting a draft, its answers, plan and documents, submitting and withdrawing."""

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from funding.models import Award
from funding.services import awards as award_services
from grants import sections
from grants.gates import may_remove_attachment
from grants.models import (
    Application,
    ProjectLine,
    Round,
)
from grants.selectors import draft_for
from opcc.models import Role
from opcc.money import gbp
from opcc.permissions import require_perm
from opcc.services.documents import delete_document, documents_for, store_document
from opcc.services.transitions import apply_transition, record_transition, timeline_for
from opcc.types import Actor


def _next_reference(round_: Round) -> str:
    prefix = f"GA{str(round_.year.start_year)[-2:]}-"
    # The history too: a deleted draft's reference is never given to another application.
    last = max(
        (
            qs.filter(reference__startswith=prefix).aggregate(m=Max("reference"))["m"] or ""
            for qs in (Application.objects, Application.history.model.objects)
        ),
        default="",
    )
    number = int(last.split("-")[1]) + 1 if last else 1
    return f"{prefix}{number:04d}"


@transaction.atomic
def start_application(*, round_: Round, organisation, by: Actor) -> Application:
    """Start an application, or return the draft the organisation has already started for this round."""
    if not by.has_perm("opcc.view_organisation", organisation) or by.role != Role.PROVIDER:
        raise PermissionDenied("You can only apply for your own organisation.")
    if not round_.is_open():
        raise ValidationError(
            f"{round_.name} is not open for applications. It closed at {round_.closes_label}."
            if round_.has_closed()
            else f"{round_.name} opens at {round_.opens_label}."
        )
    if refusal := round_.refusal_for(organisation):
        raise ValidationError(refusal)
    Round.objects.select_for_update().get(pk=round_.pk)
    if (existing := draft_for(round_, organisation)) is not None:
        return existing
    application = Application(
        round=round_, organisation=organisation, created_by=by, reference=_next_reference(round_)
    )
    if round_.scheme.is_csp:
        application.area = organisation.csp.area
    application.save()
    record_transition(
        application,
        transition="start",
        from_state="",
        to_state=application.status,
        by=by,
        note="Application started",
    )
    return application


def save_section(*, application: Application, by: Actor, values: dict) -> Application:
    """Save some answers of a draft. Nothing is saved unless all of them are valid."""
    require_perm(by, "grants.edit_application", application)
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if not locked.is_editable:
            raise ValidationError("This application has been submitted and can no longer be changed.")
        for name, value in values.items():
            setattr(locked, name, value)
        if locked.round.scheme.is_csp and hasattr(locked.organisation, "csp"):
            locked.area = locked.organisation.csp.area  # a partnership's plan is for its own area, always
        # Dates are judged when they are being given, so saving another section is never blocked by them.
        check_dates = bool({"start_date", "end_date"} & set(values))
        if problems := answer_problems(locked, check_dates=check_dates):
            raise ValidationError(problems)
        locked.full_clean(exclude=["status"])
        locked.save()
    return locked


# A grant funds a project for a stated time at most (the strategy's longest terms are three years plus
# extensions, which are agreed later, not applied for). Rounds and schemes hold no period of their own.
MAX_PROJECT_YEARS = 3


def latest_end_date(start: date) -> date:
    """The last day a project starting on `start` may run to: the day before its MAX_PROJECT_YEARS anniversary."""
    try:
        anniversary = start.replace(year=start.year + MAX_PROJECT_YEARS)
    except ValueError:  # 29 February
        anniversary = date(start.year + MAX_PROJECT_YEARS, 3, 1)
    return anniversary - timedelta(days=1)


def project_date_problems(
    start: date | None, end: date | None, *, today: date | None = None
) -> dict[str, list[str]]:
    """What is wrong with a project's dates, by field: the applicant sees every problem at once."""
    today = today or timezone.localdate()
    problems: dict[str, list[str]] = {}
    if start and start < today:
        problems["start_date"] = ["The start date must be today or in the future"]
    if start and end:
        if end < start:
            problems["end_date"] = ["The end date must be the same as or after the start date"]
        elif end > latest_end_date(start):
            problems["end_date"] = [
                f"The end date must be no more than {MAX_PROJECT_YEARS} years after the start "
                f"date: the project can run until {latest_end_date(start):%-d %B %Y} at the latest"
            ]
    return problems


# The word limits the forms' hints state, by answer: (limit, the answer's name in an error).
WORD_LIMITS = {"summary": (300, "the summary of the project")}


def word_count(text: str) -> int:
    return len((text or "").split())


def answer_problems(
    application: Application, *, check_dates: bool = True, today: date | None = None
) -> dict[str, list[str]]:
    """Every rule on the applicant's answers that a field alone cannot check, by field (empty when all is well)."""
    problems: dict[str, list[str]] = {}
    for field, (limit, name) in WORD_LIMITS.items():
        if (count := word_count(getattr(application, field))) > limit:
            problems[field] = [f"{name[0].upper()}{name[1:]} must be {limit} words or fewer: it has {count}"]
    amount = application.amount_requested
    if amount is not None and amount > application.round.max_award:
        problems["amount_requested"] = [
            f"The amount requested must be no more than the round's maximum award of "
            f"{gbp(application.round.max_award)}"
        ]
    if check_dates:
        problems.update(project_date_problems(application.start_date, application.end_date, today=today))
    elif application.start_date and application.end_date and application.end_date < application.start_date:
        problems["end_date"] = ["The end date must be the same as or after the start date"]
    if application.match_funding_amount and not application.match_funding_source:
        problems["match_funding_source"] = ["Enter where the match funding comes from"]
    return problems


def mark_section_done(*, application: Application, by: Actor, slug: str, done: bool = True) -> Application:
    require_perm(by, "grants.edit_application", application)
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        sections_done = set(locked.sections_done) - {slug}
        if done:
            sections_done.add(slug)
        locked.sections_done = sorted(sections_done)
        locked.save(update_fields=["sections_done"])
    return locked


def add_attachment(*, application: Application, by: Actor, uploaded, title: str):
    require_perm(by, "grants.edit_application", application)
    return store_document(
        uploaded=uploaded, attached_to=application, by=by, purpose="attachment", title=title
    )


def remove_attachment(*, application: Application, by: Actor, document_id: int) -> str:
    """Remove a supporting document the office does not have yet. Returns its file name."""
    require_perm(by, "grants.edit_application", application)
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        document = documents_for(locked, "attachment").filter(pk=document_id).first()
        if document is None:
            raise ValidationError("That document is not part of this application")
        if not may_remove_attachment(locked, document):
            raise ValidationError(
                f"{document.original_name} has been sent to the office with the application, "
                f"so it cannot be removed"
            )
        name = document.original_name
        delete_document(document)
    return name


@transaction.atomic
def delete_draft(*, application: Application, by: Actor) -> None:
    """Delete a draft and everything in it (its answers, plan and documents). A submitted application is never
    deleted: it can be withdrawn."""
    require_perm(by, "grants.delete_application", application)
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.status != Application.Status.DRAFT:
        raise ValidationError(
            "Only a draft can be deleted: this application has been submitted, so withdraw it instead"
        )
    for document in documents_for(locked):
        delete_document(document)
    timeline_for(locked).delete()
    locked.delete()


def add_project(*, application: Application, by: Actor, **fields) -> ProjectLine:
    require_perm(by, "grants.edit_application", application)
    line = ProjectLine(application=application, **fields)
    line.full_clean()
    line.save()
    return line


def remove_project(*, application: Application, by: Actor, project_id: int) -> None:
    require_perm(by, "grants.edit_application", application)
    application.projects.filter(pk=project_id).delete()


def submit(
    *, application: Application, by: Actor, confirmed: bool, name: str, role: str, now=None
) -> Application:
    """Submit (or, after a request for more information, send back). Clear messages for every refusal."""
    require_perm(by, "grants.edit_application", application)
    now = now or timezone.now()
    round_ = application.round
    errors = {}
    if application.status == Application.Status.DRAFT:
        if round_.has_closed(now):
            raise ValidationError(
                f"This round closed at {round_.closes_label} (UK time). Applications submitted after that cannot "
                f"be accepted. Your answers are saved; contact the commissioning team if something went wrong."
            )
        if not round_.is_open(now):
            raise ValidationError(
                f"This round opens at {round_.opens_label} (UK time). You cannot submit before then."
            )
    # Every problem is reported at once: the sections, the answers' own rules, then the declaration.
    project_count = application.projects.count()
    missing = sections.incomplete_sections(application, project_count=project_count)
    if missing:
        errors.setdefault(NON_FIELD_ERRORS, []).append(
            "Complete every section before you submit: " + ", ".join(s.title.lower() for s in missing)
        )
    if round_.scheme.is_csp and application.amount_requested is not None:
        total = sum((p.amount for p in application.projects.all()), Decimal("0"))
        if total != application.amount_requested:
            errors.setdefault(NON_FIELD_ERRORS, []).append(
                f"The projects in your plan add up to {gbp(total)}, not the "
                f"{gbp(application.amount_requested)} you requested: make them match"
            )
    errors.update(answer_problems(application, today=timezone.localdate(now)))
    if not confirmed:
        errors["confirmed"] = ["Confirm that the information you have given is true and complete"]
    if not (name or "").strip():
        errors["name"] = ["Enter your full name"]
    if not (role or "").strip():
        errors["role"] = ["Enter your role in the organisation"]
    if errors:
        raise ValidationError(errors)
    transition = "submit" if application.status == Application.Status.DRAFT else "resubmit"

    def declare(locked):
        locked.declaration_name = name.strip()
        locked.declaration_role = role.strip()
        locked.declared_at = now

    note = "Submitted" if transition == "submit" else "More information sent"
    return apply_transition(
        application,
        transition,
        by=by,
        note=f"{note} by {name.strip()}, {role.strip()}",
        expected_state=application.status,
        before_save=declare,
    )


def withdraw(*, application: Application, by: Actor, note: str) -> Application:
    if not (note or "").strip():
        raise ValidationError({"note": "Tell us why you are withdrawing the application"})
    with transaction.atomic():
        application = apply_transition(application, "withdraw", by=by, note=note)
        if application.award_id and application.award.status == Award.Status.PENDING:
            award_services.end_award(
                award=application.award,
                transition="cancel",
                by=by,
                check_permission=False,
                note=f"The applicant withdrew: {note}",
            )
    return application
