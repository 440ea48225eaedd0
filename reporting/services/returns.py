"""Quarterly returns: created for every active award and quarter (never twice), opened when the quarter
ends, completed and submitted by the provider, accepted or sent back by an officer. An award at a light monitoring
tier has one end-of-project report instead, kept as the return for the quarter it ends in (services.tiers)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from funding.models import Award
from funding.services.awards import release_arrears_payment
from opcc.calendar import Quarter
from opcc.models import TransitionLog
from opcc.permissions import require_perm
from opcc.services.transitions import apply_transition
from opcc.types import Actor
from reporting import calendar
from reporting.models import (
    Measure,
    MeasureKind,
    MonitoringSettings,
    QuarterlyReturn,
    Reporting,
    ReturnAnswer,
    ReturnKind,
    ReturnStatus,
)
from reporting.services import notifications, outcomes, performance, tiers

BATCH = 2000


def _new_return(award_id: int, quarter: Quarter, today: date, due_days: int) -> QuarterlyReturn:
    ended = calendar.quarter_has_ended(quarter, today)
    return QuarterlyReturn(
        award_id=award_id,
        quarter_start_year=quarter.start_year,
        quarter=quarter.number,
        period_end=quarter.end,
        due_date=calendar.due_date(quarter, due_days),
        status=ReturnStatus.OPEN if ended else ReturnStatus.NOT_YET_DUE,
    )


def _new_end_report(award_id: int, end: date, today: date, due_days: int) -> QuarterlyReturn:
    quarter = calendar.final_quarter(end)
    return QuarterlyReturn(
        award_id=award_id,
        kind=ReturnKind.END_OF_PROJECT,
        quarter_start_year=quarter.start_year,
        quarter=quarter.number,
        period_end=end,
        due_date=calendar.end_of_project_due(end, due_days),
        status=ReturnStatus.OPEN if end < today else ReturnStatus.NOT_YET_DUE,
    )


def ensure_returns(*, today: date, award_ids: list[int] | None = None) -> int:
    """Create every missing return for active awards that have started, as their monitoring tiers ask: one for each
    quarter that has begun, or (light tier) the one end-of-project report. An award not yet given a tier reports
    quarterly. Bounded queries (one read of the awards, one of existing returns, one insert per batch); the unique
    constraint makes a race harmless."""
    due_days = MonitoringSettings.current().due_days_after_quarter_end
    awards = Award.objects.filter(status=Award.Status.ACTIVE, start_date__lte=today)
    existing = QuarterlyReturn.objects.filter(award__status=Award.Status.ACTIVE)
    if award_ids is not None:
        awards = awards.filter(pk__in=award_ids)
        existing = existing.filter(award_id__in=award_ids)
    # Read in one go, not through a server-side cursor: PostgreSQL plans a cursor for its first rows (a nested loop
    # over every return), which took half a minute at 60,000 returns; the whole set is small tuples.
    have = set(existing.values_list("award_id", "quarter_start_year", "quarter"))
    new = []
    rows = awards.values_list(
        "pk", "start_date", "end_date", "monitoring__tier__reporting", "monitoring__tier__report_due_days"
    )
    for award_id, start, end, reporting, report_days in rows.iterator(chunk_size=5000):
        if reporting == Reporting.END_OF_PROJECT:
            quarter = calendar.final_quarter(end)
            if (award_id, quarter.start_year, quarter.number) not in have:
                new.append(_new_end_report(award_id, end, today, report_days))
            continue
        for quarter in calendar.quarters_for_award(start, end, today):
            if (award_id, quarter.start_year, quarter.number) not in have:
                new.append(_new_return(award_id, quarter, today, due_days))
    for i in range(0, len(new), BATCH):
        QuarterlyReturn.objects.bulk_create(new[i : i + BATCH], ignore_conflicts=True)
    return len(new)


def open_ended_quarters(*, today: date) -> int:
    """Quarters that have ended open for the provider. A system transition done in bulk (one update and one
    insert of timeline entries), not one apply_transition per return, so the daily job stays bounded."""
    with transaction.atomic():
        ids = list(
            QuarterlyReturn.objects.select_for_update()
            .filter(status=ReturnStatus.NOT_YET_DUE, period_end__lt=today)
            .values_list("pk", flat=True)
        )
        if not ids:
            return 0
        QuarterlyReturn.objects.filter(pk__in=ids).update(status=ReturnStatus.OPEN)
        ct = ContentType.objects.get_for_model(QuarterlyReturn)
        TransitionLog.objects.bulk_create(
            [
                TransitionLog(
                    content_type=ct,
                    object_id=pk,
                    transition="open",
                    from_state=ReturnStatus.NOT_YET_DUE,
                    to_state=ReturnStatus.OPEN,
                    note="The quarter has ended.",
                )
                for pk in ids
            ],
            batch_size=BATCH,
        )
    return len(ids)


# --- The provider's return ---------------------------------------------------------------------------


@dataclass
class ReturnContent:
    activity: str = ""
    case_studies: str = ""
    service_user_feedback: str = ""
    spend_to_date: Decimal | None = None
    answers: dict | None = None  # measure id -> Decimal | str | None


@dataclass(frozen=True)
class RateAnswer:
    """A percentage answered as the two numbers behind it: how many in all, and how many of them."""

    numerator: Decimal | None = None
    denominator: Decimal | None = None

    @property
    def is_blank(self) -> bool:
        return self.numerator is None and self.denominator is None

    @property
    def percent(self) -> Decimal | None:
        if self.numerator is None or not self.denominator:
            return None
        return (self.numerator / self.denominator * 100).quantize(Decimal("0.01"))


def _is_blank(value) -> bool:
    return value is None or value == "" or (isinstance(value, RateAnswer) and value.is_blank)


def _lower_first(text: str) -> str:
    return text[0].lower() + text[1:]


def _check_rate(measure, value) -> str | None:
    if not isinstance(value, RateAnswer):
        return f"Enter both numbers for {_lower_first(measure.name)}"
    for number in (value.denominator, value.numerator):
        if number is not None and (number < 0 or number != number.to_integral_value()):
            return f"Enter a whole number of 0 or more for {_lower_first(measure.name)}"
    if value.numerator is None or value.denominator is None:
        missing = measure.numerator_question if value.numerator is None else measure.denominator_question
        return f"Answer: {missing}"
    if value.numerator > value.denominator:
        return (
            f"{measure.name}: {value.numerator.normalize():f} cannot be more than the "
            f"{value.denominator.normalize():f} you gave for {_lower_first(measure.denominator_question)}"
        )
    return None


def answer_field(measure) -> str:
    """The form field a measure's error is shown on: a rate's is its second question."""
    return f"m_{measure.pk}_numerator" if measure.is_rate else f"m_{measure.pk}"


def check_answer(measure, value) -> str | None:
    """The rule for one measure's answer: a message, or None if it is acceptable."""
    if _is_blank(value):
        return None
    if measure.is_rate:
        return _check_rate(measure, value)
    if measure.kind == MeasureKind.NARRATIVE:
        return None
    if measure.kind == MeasureKind.COUNT:
        if value < 0:
            return f"{measure.name} cannot be negative"
        if value != value.to_integral_value():
            return f"{measure.name} must be a whole number"
    if measure.kind == MeasureKind.PERCENTAGE and not 0 <= value <= 100:
        return f"{measure.name} must be a percentage between 0 and 100"
    if measure.kind == MeasureKind.STAR and not measure.star_min <= value <= measure.star_max:
        return f"The {measure.star_name} reading for {measure.name} must be between {measure.star_min} and {measure.star_max}"
    return None


def _number(value):
    return value if isinstance(value, Decimal) else None


def breakdown_problems(measures, answers: dict) -> dict:
    """Breakdowns that add up to more than their total (e.g. referrals by crime type against the referrals
    received), by the field of the breakdown's first part; only where the total and some parts are answered."""
    by_name = {m.name: m for m in measures}
    parts: dict[str, list] = {}
    for m in sorted(measures, key=lambda m: (m.position, m.pk)):
        if m.part_of and m.part_of in by_name:
            parts.setdefault(m.part_of, []).append(m)
    problems = {}
    for total_name, members in parts.items():
        total = _number(answers.get(by_name[total_name].pk))
        given = [_number(answers.get(m.pk)) for m in members]
        if total is None or all(v is None for v in given):
            continue
        added = sum((v for v in given if v is not None), Decimal("0"))
        if added > total:
            section = members[0].section or f"The parts of {total_name.lower()}"
            problems[f"m_{members[0].pk}"] = (
                f"{section} add up to {added.normalize():f}, more than the {total.normalize():f} {total_name.lower()}: "
                f"the parts cannot be more than the total"
            )
    return problems


def _check(measures, content: ReturnContent, *, complete: bool, end_of_project: bool = False) -> None:
    errors = {}
    answers = content.answers or {}
    for m in measures:
        value = answers.get(m.pk)
        message = check_answer(m, value)
        if message is None and complete and m.required and _is_blank(value):
            message = (
                f"Enter {m.name[0].lower()}{m.name[1:]}"
                if m.kind != MeasureKind.NARRATIVE
                else f"Answer: {m.name}"
            )
            if m.is_rate:
                message = f"Answer: {m.denominator_question}"
        if message:
            errors[answer_field(m)] = message
    for field, message in breakdown_problems(measures, answers).items():
        errors.setdefault(field, message)
    if content.spend_to_date is not None and content.spend_to_date < 0:
        errors["spend_to_date"] = "Spend to date cannot be negative"
    if complete and not content.activity.strip():
        errors["activity"] = (
            "Describe what the project did" if end_of_project else "Describe what you did this quarter"
        )
    if complete and content.spend_to_date is None:
        errors["spend_to_date"] = (
            "Enter how much the project spent" if end_of_project else "Enter spend to date"
        )
    if errors:
        raise ValidationError(errors)


def _write(locked: QuarterlyReturn, measures, content: ReturnContent, by: Actor) -> None:
    locked.activity = content.activity
    locked.case_studies = content.case_studies
    locked.service_user_feedback = content.service_user_feedback
    locked.spend_to_date = content.spend_to_date
    locked.last_saved_at = timezone.now()
    locked.last_saved_by = by
    answers = content.answers or {}
    existing = {a.measure_id: a for a in locked.answers.all()}
    create, update = [], []
    for m in measures:
        raw = answers.get(m.pk)
        numerator = denominator = None
        if m.is_rate:
            # The percentage is kept beside the two numbers, so targets and RAG read it as before.
            rate = raw if isinstance(raw, RateAnswer) else RateAnswer()
            numerator, denominator, value = rate.numerator, rate.denominator, rate.percent
        else:
            value = None if m.kind == MeasureKind.NARRATIVE or raw in (None, "") else raw
        text = (raw or "") if m.kind == MeasureKind.NARRATIVE else ""
        answer = existing.get(m.pk)
        if answer is None:
            create.append(
                ReturnAnswer(
                    quarterly_return=locked,
                    measure=m,
                    value=value,
                    text=text,
                    numerator=numerator,
                    denominator=denominator,
                )
            )
        elif (answer.value, answer.text, answer.numerator, answer.denominator) != (
            value,
            text,
            numerator,
            denominator,
        ):
            answer.value, answer.text, answer.numerator, answer.denominator = (
                value,
                text,
                numerator,
                denominator,
            )
            update.append(answer)
    ReturnAnswer.objects.bulk_create(create)
    ReturnAnswer.objects.bulk_update(update, ["value", "text", "numerator", "denominator"])


def _measures(quarterly_return):

    return list(Measure.objects.filter(framework__award_id=quarterly_return.award_id))


def save_draft(*, quarterly_return: QuarterlyReturn, content: ReturnContent, by: Actor) -> QuarterlyReturn:
    """Save what the provider has typed so far. Format is checked (a bad number saves nothing); completeness is not."""
    with transaction.atomic():
        locked = (
            QuarterlyReturn.objects.select_for_update().select_related("award").get(pk=quarterly_return.pk)
        )
        require_perm(by, "reporting.submit_return", locked, refusal="You cannot change this return.")
        if not locked.is_editable:
            raise ValidationError(
                f"This return is {locked.get_status_display().lower()}: it cannot be changed now."
            )
        measures = _measures(locked)
        _check(measures, content, complete=False, end_of_project=locked.is_end_of_project)
        _write(locked, measures, content, by)
        locked.full_clean(exclude=["status"])
        locked.save()
    return locked


def submit(
    *,
    quarterly_return: QuarterlyReturn,
    content: ReturnContent,
    by: Actor,
    declaration_name: str,
    expected_state: str | None = None,
) -> QuarterlyReturn:
    """Save and submit: complete, valid, declared. Then the office is told."""
    measures = _measures(quarterly_return)
    errors = {}
    try:
        _check(measures, content, complete=True, end_of_project=quarterly_return.is_end_of_project)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if not (declaration_name or "").strip():
        errors["declaration"] = ["Confirm the declaration by typing your full name"]
    if errors:
        raise ValidationError(errors)

    def write(locked):
        _write(locked, measures, content, by)
        locked.declaration_name = declaration_name.strip()
        locked.submitted_at = timezone.now()
        locked.submitted_by = by

    with transaction.atomic():
        saved = apply_transition(
            quarterly_return,
            "submit",
            by=by,
            expected_state=expected_state,
            before_save=write,
            note=f"Declared complete and accurate by {declaration_name.strip()}.",
        )

        notifications.return_submitted(saved)
    return saved


def accept(
    *,
    quarterly_return: QuarterlyReturn,
    by: Actor,
    comments: str = "",
    expected_state: str | None = None,
    today: date | None = None,
) -> QuarterlyReturn:
    """Accept the return, fix its RAG, and make that quarter's payment in arrears payable (for an end-of-project
    report, every payment in arrears still waiting: it reports on the whole award)."""
    now = timezone.now()

    def decide(locked):
        locked.reviewed_at = now
        locked.reviewed_by = by
        locked.review_comments = comments
        locked.rag = performance.return_rag(locked) or ""

    with transaction.atomic():
        saved = apply_transition(
            quarterly_return,
            "accept",
            by=by,
            note=comments,
            expected_state=expected_state,
            before_save=decide,
        )
        if saved.is_end_of_project:
            tiers.release_after_end_report(saved, accepted_at=now)
        else:
            release_arrears_payment(
                award=saved.award, start_year=saved.quarter_start_year, quarter=saved.quarter, accepted_at=now
            )
        outcomes.record_return(saved)

        notifications.return_reviewed(saved)
    return saved


def request_changes(
    *, quarterly_return: QuarterlyReturn, by: Actor, comments: str, expected_state: str | None = None
) -> QuarterlyReturn:
    if not (comments or "").strip():
        raise ValidationError({"comments": "Say what the provider needs to change"})

    def decide(locked):
        locked.reviewed_at = timezone.now()
        locked.reviewed_by = by
        locked.review_comments = comments.strip()

    with transaction.atomic():
        saved = apply_transition(
            quarterly_return,
            "request_changes",
            by=by,
            note=comments.strip(),
            expected_state=expected_state,
            before_save=decide,
        )

        notifications.return_reviewed(saved)
    return saved
