"""Grants services: every write goes through here. Views load, check permission and call one of these.

Every state change runs through `opcc.services.transitions.apply_transition` (row lock, stale-state
check, permission, timeline). Money moves only through `funding.services.awards`.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django_fsm import TransitionNotAllowed

from funding.models import Award, AwardKind, Pot
from funding.services import awards as award_services
from grants import letters, sections
from grants.models import (
    Application,
    ApplicationMessage,
    AreaDecision,
    Assessment,
    ConflictDeclaration,
    Criterion,
    CriterionKind,
    LetterBatch,
    Offer,
    OfferLetterTemplate,
    ProjectLine,
    Round,
    SchemeKind,
    Score,
)
from opcc.models import Role
from opcc.services import plan as plan_services
from opcc.services.documents import PDF, delete_document, documents_for, store_bytes, store_document
from opcc.services.notifications import queue_message
from opcc.services.transitions import StaleState, apply_transition, record_transition, timeline_for


def _require(user, perm, obj=None):
    if not user.has_perm(perm, obj):
        raise PermissionDenied("You do not have permission to do this.")


# Rounds ----------------------------------------------------------------------------------------------


def criteria_problem(criteria: list[dict]) -> str | None:
    """Weights add up to 100 and cover quality of outcomes and cost (value for money, not cheapest)."""
    total = sum(c["weight"] for c in criteria)
    if not criteria or total != 100:
        return f"The criteria's weights must add up to 100: they add up to {total}"
    kinds = {c["kind"] for c in criteria}
    if kinds != {CriterionKind.QUALITY, CriterionKind.COST}:
        return "Include at least one criterion for the quality of outcomes and one for cost"
    return None


def pot_left(pot: Pot) -> Decimal:
    """What the pot has left to commit (funding.ledger's remaining)."""
    from funding import ledger

    return pot.allocated - ledger.committed_in_pot(pot)


def round_year(pot: Pot | None, closes_on: date):
    """The financial year a round belongs to: its pot's, or (LPCAF, CSP grants) the year it closes in."""
    from funding.models import FinancialYear

    return (
        pot.year
        if pot
        else FinancialYear.objects.filter(start_year=FinancialYear.start_year_for(closes_on)).first()
    )


def round_errors(
    *,
    scheme=None,
    pot=None,
    opens_at=None,
    closes_at=None,
    max_award=None,
    criteria=None,
    decisions_by=None,
    **_other,
) -> dict:
    """Everything wrong with a round's answers, by field, all at once. A value left out (or that its form field
    already refused) skips the checks that need it, so the form lists these beside its own errors and save_round
    refuses exactly the same."""
    errors = {}
    if opens_at is not None and closes_at is not None and closes_at <= opens_at:
        errors["closes_at"] = "The closing time must be after the opening time"
    if (
        decisions_by is not None
        and closes_at is not None
        and decisions_by <= timezone.localtime(closes_at).date()
    ):
        errors["decisions_by"] = "The date decisions are expected by must be after the closing date"
    if scheme is not None and scheme.kind == SchemeKind.CGS and pot is None:
        errors["pot"] = "Choose the pot this round's grants come from"
    if pot is not None and max_award is not None and max_award > (left := pot_left(pot)):
        errors["max_award"] = (
            f"The maximum award must be no more than the {letters.gbp(left)} the {pot.name} pot has "
            f"left to commit in {pot.year.label}"
        )
    if criteria is not None and (problem := criteria_problem(criteria)):
        errors["criteria"] = problem
    return errors


@transaction.atomic
def save_round(*, round_: Round | None = None, criteria: list[dict], by, objectives=None, **fields) -> Round:
    """A new round says which Police and Crime Plan objectives it serves; a round made before the plan was recorded
    stays valid without any, but a round that has them cannot be left with none."""
    errors = round_errors(criteria=criteria, **fields)
    if round_ is None or (objectives is not None and round_.objectives.exists()):
        errors.update(plan_services.objectives_error(objectives))
    if errors:
        raise ValidationError(errors)
    round_ = round_ or Round()
    for name, value in fields.items():
        setattr(round_, name, value)
    round_.full_clean()
    round_.save()
    if objectives:
        round_.objectives.set(objectives)
    round_.criteria.all().delete()
    Criterion.objects.bulk_create([Criterion(round=round_, position=i, **c) for i, c in enumerate(criteria)])
    return round_


# Applications ----------------------------------------------------------------------------------------


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


def draft_for(round_: Round, organisation) -> Application | None:
    """The draft this organisation has already started for the round, if any (there is at most one)."""
    return Application.objects.filter(
        round=round_, organisation=organisation, status=Application.Status.DRAFT
    ).first()


@transaction.atomic
def start_application(*, round_: Round, organisation, by) -> Application:
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


def save_section(*, application: Application, by, values: dict) -> Application:
    """Save some answers of a draft. Nothing is saved unless all of them are valid."""
    _require(by, "grants.edit_application", application)
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
            f"{letters.gbp(application.round.max_award)}"
        ]
    if check_dates:
        problems.update(project_date_problems(application.start_date, application.end_date, today=today))
    elif application.start_date and application.end_date and application.end_date < application.start_date:
        problems["end_date"] = ["The end date must be the same as or after the start date"]
    if application.match_funding_amount and not application.match_funding_source:
        problems["match_funding_source"] = ["Enter where the match funding comes from"]
    return problems


def mark_section_done(*, application: Application, by, slug: str, done: bool = True) -> Application:
    _require(by, "grants.edit_application", application)
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        sections_done = set(locked.sections_done) - {slug}
        if done:
            sections_done.add(slug)
        locked.sections_done = sorted(sections_done)
        locked.save(update_fields=["sections_done"])
    return locked


def add_attachment(*, application: Application, by, uploaded, title: str):
    _require(by, "grants.edit_application", application)
    return store_document(
        uploaded=uploaded, attached_to=application, by=by, purpose="attachment", title=title
    )


def may_remove_attachment(application: Application, document) -> bool:
    """A document can be removed until the office has it: while a draft, or (when the office has asked for more
    information) if it was added since the application was sent."""
    if application.status == Application.Status.DRAFT:
        return True
    return (
        application.status == Application.Status.MORE_INFORMATION
        and application.submitted_at is not None
        and document.uploaded_at > application.submitted_at
    )


def remove_attachment(*, application: Application, by, document_id: int) -> str:
    """Remove a supporting document the office does not have yet. Returns its file name."""
    _require(by, "grants.edit_application", application)
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
def delete_draft(*, application: Application, by) -> None:
    """Delete a draft and everything in it (its answers, plan and documents). A submitted application is never
    deleted: it can be withdrawn."""
    _require(by, "grants.delete_application", application)
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.status != Application.Status.DRAFT:
        raise ValidationError(
            "Only a draft can be deleted: this application has been submitted, so withdraw it instead"
        )
    for document in documents_for(locked):
        delete_document(document)
    timeline_for(locked).delete()
    locked.delete()


def add_project(*, application: Application, by, **fields) -> ProjectLine:
    _require(by, "grants.edit_application", application)
    line = ProjectLine(application=application, **fields)
    line.full_clean()
    line.save()
    return line


def remove_project(*, application: Application, by, project_id: int) -> None:
    _require(by, "grants.edit_application", application)
    application.projects.filter(pk=project_id).delete()


def submit(*, application: Application, by, confirmed: bool, name: str, role: str, now=None) -> Application:
    """Submit (or, after a request for more information, send back). Clear messages for every refusal."""
    _require(by, "grants.edit_application", application)
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
                f"The projects in your plan add up to {letters.gbp(total)}, not the "
                f"{letters.gbp(application.amount_requested)} you requested: make them match"
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


def withdraw(*, application: Application, by, note: str) -> Application:
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


def send_message(*, application: Application, by, subject: str, body: str, from_office: bool = True):
    message = ApplicationMessage.objects.create(
        application=application, by=by, subject=subject, body=body, from_office=from_office
    )
    if from_office:
        for membership in application.organisation.memberships.select_related("user"):
            queue_message(
                key=f"grants-message:{message.pk}:{membership.user_id}",
                to_email=membership.user.email,
                to_user=membership.user,
                template_key="grants_message",
                about=application,
                values={
                    "name": membership.user.full_name,
                    "reference": application.reference,
                    "project": application.display_title,
                    "subject": subject,
                    "message": body,
                },
            )
    return message


# Assessment ------------------------------------------------------------------------------------------


def start_assessment(*, application: Application, by, note: str = "") -> Application:
    with transaction.atomic():
        application = apply_transition(
            application, "start_assessment", by=by, note=note, expected_state=Application.Status.SUBMITTED
        )
        Assessment.objects.get_or_create(application=application)
    return application


def request_information(
    *, application: Application, by, note: str, expected_state: str | None = None
) -> Application:
    if not (note or "").strip():
        raise ValidationError({"note": "Enter what information you need from the applicant"})
    with transaction.atomic():
        application = apply_transition(
            application, "request_information", by=by, note=note, expected_state=expected_state
        )
        send_message(application=application, by=by, subject="We need more information", body=note)
    return application


def declare_conflict(
    *, application: Application, by, has_conflict: bool, details: str
) -> ConflictDeclaration:
    _require(by, "grants.assess_application", application)
    if has_conflict and not (details or "").strip():
        raise ValidationError({"details": "Describe the interest you are declaring"})
    declaration, _ = ConflictDeclaration.objects.update_or_create(
        application=application, assessor=by, defaults={"has_conflict": has_conflict, "details": details}
    )
    return declaration


def may_score(application: Application, user) -> bool:
    declaration = ConflictDeclaration.objects.filter(application=application, assessor=user).first()
    return declaration is not None and not declaration.has_conflict


@transaction.atomic
def save_scores(*, application: Application, by, scores: dict[int, tuple[int, str]]) -> None:
    _require(by, "grants.assess_application", application)
    if application.status != Application.Status.IN_ASSESSMENT:
        raise ValidationError("Scores can only be given while the application is in assessment.")
    if not may_score(application, by):
        raise ValidationError(
            "Declare your interests before you score. An assessor with a conflict of interest cannot score."
        )
    for criterion in application.round.criteria.all():
        if criterion.pk not in scores:
            raise ValidationError({f"score_{criterion.pk}": f"Give a score for {criterion.name}"})
        value, comment = scores[criterion.pk]
        Score.objects.update_or_create(
            application=application,
            criterion=criterion,
            assessor=by,
            defaults={"score": value, "comment": comment},
        )


def weighted_score(application: Application) -> Decimal | None:
    """Out of 100: each criterion's score (0 to 5) as a share of its weight, averaged across assessors."""
    criteria = {c.pk: c.weight for c in application.round.criteria.all()}
    by_assessor: dict[int, Decimal] = {}
    for score in application.scores.all():
        weight = criteria.get(score.criterion_id, 0)
        by_assessor[score.assessor_id] = (
            by_assessor.get(score.assessor_id, Decimal("0")) + Decimal(score.score) * weight / 5
        )
    if not by_assessor:
        return None
    return (sum(by_assessor.values()) / len(by_assessor)).quantize(Decimal("0.1"))


def recommended_amount_problem(
    application: Application, *, recommendation: str, amount: Decimal | None
) -> str:
    """What is wrong with the amount an assessor recommends, or "". A decision is never on more than was asked for."""
    requested = application.amount_requested
    Recommendation = Assessment.Recommendation
    if recommendation == Recommendation.APPROVE_REDUCED and amount is None:
        return "Enter the reduced amount you recommend"
    if amount is None:
        return ""
    if amount <= 0:
        return "The recommended amount must be more than £0"
    if recommendation == Recommendation.DECLINE:
        return "Leave the recommended amount empty if you recommend declining"
    if requested is not None:
        if recommendation == Recommendation.APPROVE_REDUCED and amount >= requested:
            return f"A reduced amount must be less than the {letters.gbp(requested)} requested"
        if amount > requested:
            return f"The recommended amount must be no more than the {letters.gbp(requested)} requested"
        if recommendation == Recommendation.APPROVE and amount < requested:
            return (
                f"To recommend less than the {letters.gbp(requested)} requested, choose "
                f"“{Recommendation.APPROVE_REDUCED.label}”"
            )
    if amount > application.round.max_award:
        return (
            f"The recommended amount must be no more than the round's maximum award of "
            f"{letters.gbp(application.round.max_award)}"
        )
    return ""


def save_assessment(*, application: Application, by, values: dict) -> Assessment:
    _require(by, "grants.assess_application", application)
    if application.status != Application.Status.IN_ASSESSMENT:
        raise ValidationError("The assessment can only be changed while the application is in assessment.")
    if all(value in (None, "") for value in values.values()):
        raise ValidationError("Enter at least one answer before you save the assessment")
    if problem := recommended_amount_problem(
        application,
        recommendation=values.get("recommendation") or "",
        amount=values.get("recommended_amount"),
    ):
        raise ValidationError({"recommended_amount": problem})
    assessment, _ = Assessment.objects.get_or_create(application=application)
    for name, value in values.items():
        setattr(assessment, name, value)
    assessment.assessed_by = by
    assessment.full_clean()
    assessment.save()
    return assessment


def decision_problems(application: Application, *, decision: str, note: str) -> dict[str, list[str]]:
    """Every reason a decision cannot be recorded as given, by field (the decision form asks this too)."""
    problems: dict[str, list[str]] = {}
    if not (note or "").strip():
        problems["note"] = ["Enter the reasons for the decision: the applicant is told them"]
    if decision != "approve":
        return problems
    assessment = Assessment.objects.filter(application=application).first()
    general = []
    if assessment is None or assessment.eligible is not True:
        general.append("Record that the application is eligible in the assessment before approving it")
    if assessment is None or not assessment.recommendation:
        general.append("Record the assessment's recommendation before deciding")
    amount = _decided_amount(application, assessment)
    if application.amount_requested is not None and amount > application.amount_requested:
        # An assessment saved before the rule existed, or changed behind the form's back.
        general.append(
            f"The assessment recommends {letters.gbp(amount)}, more than the "
            f"{letters.gbp(application.amount_requested)} requested: correct the assessment first"
        )
    if general:
        problems[NON_FIELD_ERRORS] = general
    return problems


def _decided_amount(application: Application, assessment: Assessment | None) -> Decimal:
    return (
        assessment.recommended_amount
        if assessment and assessment.recommended_amount
        else application.amount_requested
    )


def decide(
    *, application: Application, by, decision: str, note: str, expected_state: str | None = None
) -> Application:
    """Approve or decline within the decider's delegated authority."""
    if decision not in ("approve", "decline"):
        raise ValueError(decision)
    if problems := decision_problems(application, decision=decision, note=note):
        raise ValidationError(problems)
    amount = _decided_amount(application, Assessment.objects.filter(application=application).first())

    def record(locked):
        locked.decided_by = by
        locked.decided_at = timezone.now()
        if decision == "approve":
            locked.decided_amount = amount

    with transaction.atomic():
        application = apply_transition(
            application, decision, by=by, note=note, expected_state=expected_state, before_save=record
        )
        word = "approved" if decision == "approve" else "declined"
        send_message(application=application, by=by, subject=f"Your application has been {word}", body=note)
    return application


def record_area_decision(*, application: Application, by, decision: str, note: str) -> Application:
    """LPCAF: the area's ambassador and commander each decide; both approve to approve, one decline declines."""
    if not by.has_perm("grants.decide_area", application):
        raise PermissionDenied("You can only decide bids for your own area.")
    if decision not in AreaDecision.Decision.values:
        raise ValidationError({"decision": "Choose whether to approve or decline the bid"})
    if decision == AreaDecision.Decision.DECLINE and not (note or "").strip():
        raise ValidationError({"note": "Enter the reason for declining: the applicant is told it"})
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.status not in (Application.Status.SUBMITTED, Application.Status.IN_ASSESSMENT):
            raise StaleState(
                f"This bid has already been decided: it is {locked.get_status_display().lower()}."
            )
        if locked.area_decisions.filter(role=by.role).exists():
            raise ValidationError("Your decision on this bid has already been recorded.")
        AreaDecision.objects.create(application=locked, role=by.role, by=by, decision=decision, note=note)
        label = Role(by.role).label
        if decision == AreaDecision.Decision.DECLINE:
            return decide_area_outcome(locked, by, "decline", f"Declined by the {label.lower()}: {note}")
        roles = set(
            locked.area_decisions.filter(decision=AreaDecision.Decision.APPROVE).values_list(
                "role", flat=True
            )
        )
        if roles >= {Role.COMMUNITY_AMBASSADOR, Role.AREA_COMMANDER}:
            return decide_area_outcome(
                locked,
                by,
                "approve",
                f"Approved by the community ambassador and the local policing area commander. {note}".strip(),
            )
        record_transition(
            locked,
            transition="area_decision",
            from_state=locked.status,
            to_state=locked.status,
            by=by,
            note=f"Approved by the {label.lower()}; waiting for the other decision. {note}".strip(),
        )
        return locked


def decide_area_outcome(locked, by, decision, note):
    def record(app):
        app.decided_by = by
        app.decided_at = timezone.now()
        if decision == "approve":
            app.decided_amount = app.amount_requested

    application = apply_transition(locked, decision, by=by, note=note, before_save=record)
    send_message(application=application, by=by, subject=f"Your bid has been {decision}d", body=note)
    return application


# Offers ----------------------------------------------------------------------------------------------


def pot_for(application: Application) -> Pot:
    round_ = application.round
    if round_.pot_id:
        return round_.pot
    kind = round_.scheme.kind
    if kind == SchemeKind.LPCAF and application.area_id:
        key = f"lpcaf-{application.area.slug}"
    elif kind == SchemeKind.LPCAF_ROAD_SAFETY:
        key = "lpcaf-road-safety"
    elif kind == SchemeKind.CSP and hasattr(application.organisation, "csp"):
        key = f"csp-{application.organisation.csp.slug}"
    else:
        raise ValidationError("This round has no pot to pay grants from: set the round's pot first")
    pot = Pot.objects.filter(year=round_.year, key=key).select_related("year").first()
    if pot is None:
        raise ValidationError(f"There is no {key} pot in {round_.year.label}: finance must set one up first")
    return pot


def accept_by_problem(accept_by: date, start_date: date | None = None) -> str:
    """What is wrong with an offer's acceptance deadline, or "" (the offer form asks this too): it is today or later,
    and before the grant starts (a grant cannot start before it has been accepted)."""
    if accept_by < timezone.localdate():
        return "The acceptance deadline must be today or later"
    if start_date is not None and accept_by >= start_date:
        return f"The acceptance deadline must be before the grant start date, {start_date:%-d %B %Y}"
    return ""


def signatory_for(user) -> tuple[str, str]:
    """The name and role a letter is signed with, by default: the person making the offer."""
    if user is None or not getattr(user, "is_authenticated", False):
        return "", ""
    return user.full_name, user.job_title or user.role_label


def signatory_problems(name: str, role: str) -> dict:
    problems = {}
    if not (name or "").strip():
        problems["signatory_name"] = ["Enter the name of the person signing the letter"]
    if not (role or "").strip():
        problems["signatory_role"] = ["Enter the role of the person signing the letter"]
    return problems


def make_offer(
    *,
    application: Application,
    by,
    start_date: date,
    end_date: date,
    schedule_kind: str,
    accept_by: date,
    conditions: str = "",
    outcomes: str = "",
    note: str = "",
    signatory_name: str | None = None,
    signatory_role: str | None = None,
) -> Application:
    """Commit the money as a pending award and issue the offer. Nothing is committed if anything fails.

    The letter is signed by a named person with their role: by default the person making the offer."""
    _require(by, "grants.make_offer", application)
    default_name, default_role = signatory_for(by)
    signatory_name = default_name if signatory_name is None else signatory_name
    signatory_role = default_role if signatory_role is None else signatory_role
    errors = {"accept_by": [problem]} if (problem := accept_by_problem(accept_by, start_date)) else {}
    errors.update(signatory_problems(signatory_name, signatory_role))
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.status != Application.Status.APPROVED:
            raise StaleState(
                f"This application is {locked.get_status_display().lower()}: only an approved application can be offered."
            )
        try:
            award = award_services.create_award(
                organisation=locked.organisation,
                pot=pot_for(locked),
                kind=AwardKind.GRANT,
                title=locked.display_title,
                purpose=locked.summary or locked.display_title,
                start_date=start_date,
                end_date=end_date,
                amount=locked.decided_amount,
                schedule_kind=schedule_kind,
                by=by,
                match_funding_amount=locked.match_funding_amount,
                match_funding_source=locked.match_funding_source,
                awarded_on=timezone.localdate(),
                activate=False,
                objectives=list(locked.round.objectives.all()),
            )
        except ValidationError as exc:
            # Reported together with the deadline, not one after the other.
            found = exc.message_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.messages}
            raise ValidationError({**errors, **found}) from None
        if errors:
            raise ValidationError(errors)  # rolls back the award just made
        Offer.objects.create(
            application=locked,
            conditions=conditions,
            outcomes=outcomes,
            accept_by=accept_by,
            made_by=by,
            signatory_name=signatory_name.strip(),
            signatory_role=signatory_role.strip(),
        )

        def attach(app):
            app.award = award

        application = apply_transition(
            locked,
            "make_offer",
            by=by,
            note=note or f"Offer of {letters.gbp(award.amount)} made; accept by {accept_by:%-d %B %Y}",
            before_save=attach,
        )
        send_message(
            application=application,
            by=by,
            subject="Your offer of a grant",
            body=f"We are offering {letters.gbp(award.amount)} for {application.display_title}. "
            f"Read the offer letter and accept it online by {accept_by:%-d %B %Y}.",
        )
    return application


def current_template() -> OfferLetterTemplate:
    """The office's letter, or the standard one (unsaved: reading it writes nothing) until someone edits it."""
    template = OfferLetterTemplate.objects.order_by("pk").first()
    if template is None:
        template = OfferLetterTemplate(letterhead=letters.DEFAULT_LETTERHEAD, body=letters.DEFAULT_BODY)
    return template


def save_template(*, by, letterhead: str, body: str) -> OfferLetterTemplate:
    _require(by, "grants.edit_letter_template")
    try:
        letters.check_template(body)
    except letters.LetterTemplateError as exc:
        raise ValidationError({"body": str(exc)}) from None
    template = current_template()
    template.letterhead, template.body, template.updated_by = letterhead, body, by
    template.save()
    return template


def offer_letter_pdf(application: Application) -> bytes:
    """The letter as it reads now (before acceptance); after acceptance, use the stored copy."""
    template = current_template()
    return letters.render_letter_pdf(
        letterhead=template.letterhead, body=template.body, values=letters.letter_values(application)
    )


def accept_offer(*, application: Application, by, name: str, role: str, confirmed: bool) -> Application:
    errors = {}
    if not confirmed:
        errors["confirmed"] = (
            "Confirm that you accept the offer and its conditions on behalf of your organisation"
        )
    if not (name or "").strip():
        errors["name"] = "Enter your full name"
    if not (role or "").strip():
        errors["role"] = "Enter your role in the organisation"
    if errors:
        raise ValidationError(errors)
    offer = application.offer
    if offer.accept_by < timezone.localdate():
        raise ValidationError(
            f"This offer could be accepted until {offer.accept_by:%-d %B %Y}: it has lapsed."
        )
    with transaction.atomic():
        now = timezone.now()

        def record(locked):
            Offer.objects.filter(pk=offer.pk).update(
                accepted_name=name.strip(), accepted_role=role.strip(), accepted_by=by, accepted_at=now
            )

        application = apply_transition(
            application,
            "accept",
            by=by,
            expected_state=Application.Status.OFFERED,
            note=f"Accepted online by {name.strip()}, {role.strip()}",
            before_save=record,
        )
        application = Application.objects.select_related(
            "offer", "award", "organisation", "round__scheme"
        ).get(pk=application.pk)
        data = offer_letter_pdf(application)
        document = store_bytes(
            data=data,
            kind=PDF,
            original_name=f"offer-letter-{application.award.reference}.pdf",
            attached_to=application,
            by=by,
            purpose="accepted_offer_letter",
            title=f"Accepted offer letter {application.award.reference}",
        )
        Offer.objects.filter(pk=offer.pk).update(letter=document)
        award_services.activate_award(
            award=application.award,
            by=by,
            check_permission=False,
            note=f"Grant offer accepted by {name.strip()}, {role.strip()}",
            expected_state=Award.Status.PENDING,
        )
    return application


def lapse_overdue_offers(*, today: date | None = None) -> int:
    """Offers not accepted by their deadline lapse and their awards are cancelled. Safe to run twice."""
    today = today or timezone.localdate()
    lapsed = 0
    due = Application.objects.filter(
        status=Application.Status.OFFERED, offer__accept_by__lt=today
    ).values_list("pk", flat=True)
    for pk in list(due):
        try:
            with transaction.atomic():
                application = Application.objects.select_related("offer", "award").get(pk=pk)
                deadline = application.offer.accept_by
                note = f"The offer was not accepted by {deadline:%-d %B %Y}; the money returns to the pot."
                application = apply_transition(
                    application,
                    "lapse",
                    by=None,
                    note=note,
                    check_permission=False,
                    expected_state=Application.Status.OFFERED,
                )
                Offer.objects.filter(application=application).update(lapsed_at=timezone.now())
                if application.award and application.award.status == Award.Status.PENDING:
                    award_services.end_award(
                        award=application.award,
                        transition="cancel",
                        by=None,
                        note=note,
                        check_permission=False,
                        expected_state=Award.Status.PENDING,
                    )
                send_message(application=application, by=None, subject="Your offer has lapsed", body=note)
        except (StaleState, TransitionNotAllowed):
            continue  # someone accepted or withdrew it meanwhile
        lapsed += 1
    return lapsed


# Letters for a whole round ---------------------------------------------------------------------------


def request_letter_batch(*, round_: Round, by) -> LetterBatch:
    _require(by, "grants.make_offer")
    from grants.tasks import generate_round_letters

    total = round_.applications.filter(status=Application.Status.OFFERED).count()
    batch = LetterBatch.objects.create(round=round_, requested_by=by, total=total)
    transaction.on_commit(lambda: generate_round_letters.delay(batch.pk))
    return batch


def run_letter_batch(batch_id: int) -> LetterBatch:
    """Render each offered application's letter and store a copy, counting progress as it goes."""
    batch = LetterBatch.objects.get(pk=batch_id)
    if batch.status == LetterBatch.Status.DONE:
        return batch
    LetterBatch.objects.filter(pk=batch.pk).update(status=LetterBatch.Status.RUNNING)
    applications = (
        Application.objects.filter(round=batch.round, status=Application.Status.OFFERED)
        .select_related("offer", "award", "organisation", "round__scheme", "created_by")
        .prefetch_related("award__schedule")
    )
    done = 0
    try:
        for application in applications:
            data = offer_letter_pdf(application)
            store_bytes(
                data=data,
                kind=PDF,
                original_name=f"offer-letter-{application.award.reference}.pdf",
                attached_to=application,
                by=batch.requested_by,
                purpose="offer_letter_copy",
                title=f"Offer letter {application.award.reference} ({timezone.localdate():%-d %B %Y})",
            )
            done += 1
            LetterBatch.objects.filter(pk=batch.pk).update(done=done)
    except Exception as exc:  # noqa: BLE001 - recorded for the page; the officer can run it again
        LetterBatch.objects.filter(pk=batch.pk).update(
            status=LetterBatch.Status.FAILED, error=str(exc)[:2000]
        )
        raise
    LetterBatch.objects.filter(pk=batch.pk).update(
        status=LetterBatch.Status.DONE, done=done, total=max(done, batch.total), finished_at=timezone.now()
    )
    batch.refresh_from_db()
    return batch


def default_accept_by(round_: Round, start_date: date | None = None) -> date:
    """The round's days to accept, but never reaching the grant's start (the day before it, if that is later than
    today)."""
    today = timezone.localdate()
    deadline = today + timedelta(days=round_.acceptance_days)
    if start_date is not None and start_date > today:
        deadline = min(deadline, start_date - timedelta(days=1))
    return deadline
