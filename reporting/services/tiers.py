"""Proportionate monitoring: each award's tier, chosen by its stream and value when it becomes active, changed by an
officer with a reason, and the calendar of returns rebuilt to follow it.

The calendar follows the tier: a quarterly tier has a return for every quarter that has begun; a light tier has one
end-of-project report, kept as the return for the quarter the award ends in (so it is chased, reviewed, paid against
and added up like any return). Changing the tier removes returns the new tier does not ask for that nobody has
started (never one submitted, accepted or sent back, nor one with a draft saved) and adds the ones it asks for; the
next sweep chases the new calendar, because chasing reads the returns that exist.
"""

from dataclasses import dataclass
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from funding.hooks import MonitoringTerms
from funding.models import Award, PaymentScheduleLine
from funding.services.awards import release_arrears_payment
from opcc.models import OutboxMessage, TransitionLog
from opcc.permissions import require_perm
from opcc.services.transitions import record_transition
from opcc.types import Actor
from reporting import calendar
from reporting.models import (
    AwardMonitoring,
    GrantVisit,
    MonitoringSettings,
    MonitoringTier,
    QuarterlyReturn,
    Reporting,
    ReturnKind,
    TierBand,
)
from reporting.models.tiers import AnnualReview
from reporting.monitoring_tiers import DEFAULT_TIERS, write_defaults
from reporting.services import returns

NO_REASON = "Enter the reason for changing the monitoring tier"
NO_TIER = "Select the monitoring tier"
BATCH = 2000


def ensure_defaults() -> None:
    write_defaults(MonitoringTier, TierBand)


def _fallback_tier() -> MonitoringTier:
    """The tier used when no band applies: the one marked default, else the first, else (no tiers at all: a reading
    before the defaults are written) the standard one unsaved, so reading an offer letter never writes anything."""
    tier = MonitoringTier.objects.order_by("-is_default", "position", "id").first()
    if tier is not None:
        return tier
    key, name, reporting, due_days, visits, review, _default, description = next(
        t for t in DEFAULT_TIERS if t[6]
    )
    return MonitoringTier(
        key=key,
        name=name,
        reporting=reporting,
        report_due_days=due_days,
        visits_per_year=visits,
        annual_review=review,
        description=description,
    )


@dataclass(frozen=True)
class Choice:
    tier: MonitoringTier
    band: TierBand | None
    because: str


def _match(bands: list[TierBand], amount, fallback: MonitoringTier) -> Choice:
    """The band (of one stream's, in order) an amount falls in: from its start, up to the next band's start."""
    for i, band in enumerate(bands):
        up_to = bands[i + 1].from_amount if i + 1 < len(bands) else None
        if band.from_amount <= amount and (up_to is None or amount < up_to):
            return Choice(band.tier, band, f"{band.describe(up_to)}: {band.tier.name.lower()}")
    return Choice(
        fallback,
        None,
        f"No band for the stream and value: the {fallback.name.lower()} tier, used when none applies",
    )


def _bands(stream: str) -> list[TierBand]:
    return list(TierBand.objects.filter(stream=stream).select_related("tier").order_by("from_amount"))


def choose(*, stream: str, amount) -> Choice:
    """The tier the bands give an award of this stream and total value."""
    bands = _bands(stream)
    return _match(bands, amount, _fallback_tier())


def current(award: Award) -> tuple[MonitoringTier, AwardMonitoring | None]:
    """The award's tier: the one it was given, or (not yet active) the one its bands would give it. Writes nothing."""
    record = AwardMonitoring.objects.filter(award_id=award.pk).select_related("tier", "overridden_by").first()
    if record is not None:
        return record.tier, record
    return choose(stream=award.pot.stream, amount=award.amount).tier, None


def _note(record: AwardMonitoring) -> str:
    return f"Monitoring tier: {record.tier.name} ({record.tier.summary}). Chosen by band: {record.chosen_because}."


@transaction.atomic
def assign(*, award: Award, today: date) -> AwardMonitoring:
    """Give an award that has just become active the tier its band chooses. Idempotent: an award that already has a
    tier (an officer's choice made before it started, or a second activation signal) keeps it."""
    ensure_defaults()
    record = AwardMonitoring.objects.filter(award_id=award.pk).select_related("tier").first()
    if record is not None:
        refresh_due_dates(award_ids=[award.pk])  # chosen before it started: its visits are due from now
        return record
    choice = choose(stream=award.pot.stream, amount=award.amount)
    record = AwardMonitoring(
        award=award, tier=choice.tier, band=choice.band, chosen_because=choice.because[:200]
    )
    record.full_clean(exclude=["award"])
    record.save()
    record_transition(
        award,
        transition="monitoring_tier_set",
        from_state=award.status,
        to_state=award.status,
        note=_note(record),
    )
    refresh_due_dates(award_ids=[award.pk])
    return record


def ensure_tiers(*, today: date) -> int:
    """Active awards with no tier yet (activated before tiers existed, or written in bulk) get the one their band
    chooses, in bulk, and their calendars follow. Bounded queries however many awards there are."""
    ensure_defaults()
    missing = list(
        Award.objects.filter(status=Award.Status.ACTIVE, monitoring__isnull=True).values_list(
            "pk", "pot__stream", "amount", "status"
        )[:20000]
    )
    if not missing:
        return 0
    bands = {stream: _bands(stream) for stream in {stream for _pk, stream, _amount, _status in missing}}
    fallback = _fallback_tier()
    records, logs, not_quarterly = [], [], []
    ct = ContentType.objects.get_for_model(Award)
    for pk, stream, amount, status in missing:
        choice = _match(bands[stream], amount, fallback)
        record = AwardMonitoring(
            award_id=pk, tier=choice.tier, band=choice.band, chosen_because=choice.because[:200]
        )
        records.append(record)
        logs.append(
            TransitionLog(
                content_type=ct,
                object_id=pk,
                transition="monitoring_tier_set",
                from_state=status,
                to_state=status,
                note=_note(record),
            )
        )
        if not choice.tier.asks_quarterly_returns:
            not_quarterly.append(pk)
    with transaction.atomic():
        AwardMonitoring.objects.bulk_create(records, batch_size=BATCH, ignore_conflicts=True)
        TransitionLog.objects.bulk_create(logs, batch_size=BATCH)
        if not_quarterly:
            rebuild_calendar(award_ids=not_quarterly, today=today)
        refresh_due_dates(
            award_ids=[r.award_id for r in records if r.tier.needs_visits or r.tier.annual_review]
        )
    return len(records)


@dataclass
class Rebuilt:
    removed: int = 0
    kept: int = 0
    added: int = 0


def _not_wanted(award_ids: list[int]) -> Q:
    """Returns the awards' tiers no longer ask for: quarterly returns of a light award, an end-of-project report of a
    quarterly one."""
    by_reporting = dict(
        AwardMonitoring.objects.filter(award_id__in=award_ids).values_list("award_id", "tier__reporting")
    )
    light = [pk for pk in award_ids if by_reporting.get(pk) == Reporting.END_OF_PROJECT]
    quarterly = [pk for pk in award_ids if by_reporting.get(pk, Reporting.QUARTERLY) == Reporting.QUARTERLY]
    return Q(award_id__in=light, kind=ReturnKind.QUARTERLY) | Q(
        award_id__in=quarterly, kind=ReturnKind.END_OF_PROJECT
    )


def rebuild_calendar(*, award_ids: list[int], today: date) -> Rebuilt:
    """Make the awards' returns what their tiers ask for. A return is removed only if it is not yet sent and nobody
    has saved anything in it; its timeline and any chasing message still waiting to go are removed with it, so the
    next sweep chases only the calendar as it now is."""

    result = Rebuilt()
    with transaction.atomic():
        unwanted = QuarterlyReturn.objects.filter(_not_wanted(award_ids), status__in=QuarterlyReturn.NOT_SENT)
        result.kept = unwanted.filter(last_saved_at__isnull=False).count()
        ids = list(unwanted.filter(last_saved_at__isnull=True).values_list("pk", flat=True))
        if ids:
            ct = ContentType.objects.get_for_model(QuarterlyReturn)
            TransitionLog.objects.filter(content_type=ct, object_id__in=ids).delete()
            OutboxMessage.objects.filter(
                content_type=ct, object_id__in=ids, status=OutboxMessage.Status.PENDING
            ).delete()
            QuarterlyReturn.objects.filter(pk__in=ids).delete()
            result.removed = len(ids)
        result.added = returns.ensure_returns(today=today, award_ids=award_ids)
    return result


def realign_end_reports(*, today: date) -> int:
    """An end-of-project report not yet sent follows its award's end date (an extension moves it): its quarter,
    period and due date, and whether it is open yet. Three small reads (the reports waiting, through their own
    index, then their awards), and one update per report moved (rare)."""
    reports = list(
        QuarterlyReturn.objects.filter(
            kind=ReturnKind.END_OF_PROJECT, status__in=QuarterlyReturn.NOT_SENT
        ).values_list("pk", "award_id", "period_end")
    )
    if not reports:
        return 0
    ends = dict(
        Award.objects.filter(
            pk__in={award_id for _pk, award_id, _end in reports}, status=Award.Status.ACTIVE
        ).values_list("pk", "end_date")
    )
    moving = [
        (pk, award_id, ends[award_id])
        for pk, award_id, period_end in reports
        if award_id in ends and ends[award_id] != period_end
    ]
    if not moving:
        return 0
    due_days = dict(
        AwardMonitoring.objects.filter(award_id__in={award_id for _pk, award_id, _end in moving}).values_list(
            "award_id", "tier__report_due_days"
        )
    )
    moved = 0
    for pk, award_id, end in moving:
        quarter = calendar.final_quarter(end)
        if (
            QuarterlyReturn.objects.filter(
                award_id=award_id, quarter_start_year=quarter.start_year, quarter=quarter.number
            )
            .exclude(pk=pk)
            .exists()
        ):
            continue  # a return the provider started is in that quarter: it stays their final report
        QuarterlyReturn.objects.filter(pk=pk).update(
            quarter_start_year=quarter.start_year,
            quarter=quarter.number,
            period_end=end,
            due_date=calendar.end_of_project_due(end, due_days.get(award_id) or 30),
            status=QuarterlyReturn.Status.OPEN if end < today else QuarterlyReturn.Status.NOT_YET_DUE,
        )
        moved += 1
    return moved


def release_unreported_arrears(*, today: date, award_ids: list[int] | None = None) -> int:
    """A light-tier award has no quarterly returns, so its payments in arrears must not wait for them: each quarter's
    becomes payable once the quarter has ended, except the last, which waits for the end-of-project report."""
    lines = PaymentScheduleLine.objects.filter(
        award__monitoring__tier__reporting=Reporting.END_OF_PROJECT,
        award__status=Award.Status.ACTIVE,
        quarter__isnull=False,
        return_accepted_at__isnull=True,
    ).values_list("award_id", "quarter_start_year", "quarter", "award__end_date")
    if award_ids is not None:
        lines = lines.filter(award_id__in=award_ids)
    due = set()
    for award_id, start_year, number, end in lines:
        quarter = calendar.Quarter(start_year, number)
        if calendar.quarter_has_ended(quarter, today) and quarter != calendar.final_quarter(end):
            due.add((award_id, start_year, number))
    if not due:
        return 0
    awards = Award.objects.in_bulk({award_id for award_id, _y, _q in due})
    now = timezone.now()
    return sum(
        release_arrears_payment(award=awards[award_id], start_year=y, quarter=q, accepted_at=now)
        for award_id, y, q in sorted(due)
    )


def release_after_end_report(quarterly_return: QuarterlyReturn, accepted_at) -> int:
    """An accepted end-of-project report covers the whole award: every payment in arrears still waiting is payable."""
    waiting = set(
        PaymentScheduleLine.objects.filter(
            award_id=quarterly_return.award_id, quarter__isnull=False, return_accepted_at__isnull=True
        ).values_list("quarter_start_year", "quarter")
    )
    return sum(
        release_arrears_payment(
            award=quarterly_return.award, start_year=y, quarter=q, accepted_at=accepted_at
        )
        for y, q in sorted(waiting)
    )


# --- Visits and annual reviews due ------------------------------------------------------------------------


def refresh_due_dates(*, award_ids: list[int] | None = None) -> int:
    """Work out when each award's next visit and annual review are due from its tier, its dates and what has been
    recorded, and store them where they changed. Fixed queries (one read, one bulk update)."""
    last_visit = (
        GrantVisit.objects.filter(award_id=OuterRef("award_id"), visited_on__isnull=False)
        .order_by("-visited_on")
        .values("visited_on")[:1]
    )
    last_review = (
        AnnualReview.objects.filter(award_id=OuterRef("award_id"))
        .order_by("-reviewed_on")
        .values("reviewed_on")[:1]
    )
    records = (
        AwardMonitoring.objects.filter(award__status=Award.Status.ACTIVE)
        .filter(
            Q(tier__visits_per_year__gt=0)
            | Q(tier__annual_review=True)
            | Q(visit_due__isnull=False)
            | Q(review_due__isnull=False)
        )
        .select_related("tier", "award")
        .annotate(last_visit=Subquery(last_visit), last_review=Subquery(last_review))
    )
    if award_ids is not None:
        records = records.filter(award_id__in=award_ids)
    changed = []
    for record in records:
        award, tier = record.award, record.tier
        visit_due = (
            calendar.next_due(
                start=award.start_date,
                end=award.end_date,
                last=record.last_visit,
                every_months=12 // tier.visits_per_year,
            )
            if tier.needs_visits
            else None
        )
        review_due = (
            calendar.next_due(
                start=award.start_date, end=award.end_date, last=record.last_review, every_months=12
            )
            if tier.annual_review
            else None
        )
        if (record.visit_due, record.review_due) != (visit_due, review_due):
            record.visit_due, record.review_due = visit_due, review_due
            changed.append(record)
    AwardMonitoring.objects.bulk_update(changed, ["visit_due", "review_due"], batch_size=BATCH)
    return len(changed)


REVIEW_IN_THE_FUTURE = "The date of the review must be today or in the past"


@transaction.atomic
def record_annual_review(
    *,
    award: Award,
    reviewed_on: date | None,
    findings: str,
    actions: str,
    by: Actor,
    today: date | None = None,
) -> AnnualReview:
    require_perm(by, "reporting.record_annual_review", refusal="You cannot record annual reviews.")
    today = today or timezone.localdate()
    errors = {}
    if reviewed_on is None:
        errors["reviewed_on"] = "Enter the date of the review"
    elif reviewed_on > today:
        errors["reviewed_on"] = REVIEW_IN_THE_FUTURE
    elif reviewed_on < award.start_date:
        errors["reviewed_on"] = (
            f"The date of the review must be on or after the award's start, {award.start_date:%-d %B %Y}"
        )
    if not (findings or "").strip():
        errors["findings"] = "Enter what the review found"
    if errors:
        raise ValidationError(errors)
    review = AnnualReview(
        award=award,
        reviewed_on=reviewed_on,
        findings=findings.strip(),
        actions=(actions or "").strip(),
        recorded_by=by,
    )
    review.full_clean()
    review.save()
    record_transition(
        award,
        transition="annual_review",
        from_state=award.status,
        to_state=award.status,
        by=by,
        note=f"Annual review on {reviewed_on:%-d %B %Y}.",
    )
    refresh_due_dates(award_ids=[award.pk])
    return review


# --- An officer's override ----------------------------------------------------------------------------------

CHANGEABLE = (Award.Status.PENDING, Award.Status.ACTIVE)


@dataclass
class Override:
    record: AwardMonitoring
    previous: MonitoringTier
    calendar: Rebuilt


def override(
    *, award: Award, tier: MonitoringTier | None, reason: str, by: Actor, today: date | None = None
) -> Override:
    """An officer sets the award's tier, with the reason (audited on the award's timeline). The calendar of returns
    is rebuilt to follow it; every problem is reported at once and nothing is saved if there is one."""
    require_perm(by, "reporting.change_monitoring_tier", award, refusal="You cannot change monitoring tiers.")
    today = today or timezone.localdate()
    reason = (reason or "").strip()
    errors = {}
    if tier is None:
        errors["tier"] = NO_TIER
    if not reason:
        errors["reason"] = NO_REASON
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        award = Award.objects.select_for_update().select_related("pot").get(pk=award.pk)
        if award.status not in CHANGEABLE:
            raise ValidationError(
                f"{award.reference} is {award.get_status_display().lower()}: its monitoring can no "
                f"longer change"
            )
        record = (
            AwardMonitoring.objects.select_for_update().filter(award=award).select_related("tier").first()
        )
        previous = record.tier if record else choose(stream=award.pot.stream, amount=award.amount).tier
        if previous.pk == tier.pk:
            raise ValidationError(
                {
                    "tier": f"{award.reference} is already monitored at the {tier.name.lower()} tier: "
                    f"choose another tier"
                }
            )
        if record is None:
            choice = choose(stream=award.pot.stream, amount=award.amount)
            record = AwardMonitoring(award=award, band=choice.band, chosen_because=choice.because[:200])
        record.tier = tier
        record.overridden, record.override_reason = True, reason
        record.overridden_by, record.overridden_at = by, timezone.now()
        record.full_clean(exclude=["award"])
        record.save()
        rebuilt = (
            rebuild_calendar(award_ids=[award.pk], today=today)
            if award.status == Award.Status.ACTIVE
            else Rebuilt()
        )
        release_unreported_arrears(today=today, award_ids=[award.pk])
        refresh_due_dates(award_ids=[award.pk])
        summary = (
            f"Monitoring tier changed from {previous.name} to {tier.name} ({tier.summary}). Reason: {reason}"
        )
        if rebuilt.removed or rebuilt.added:
            summary += f" Returns removed: {rebuilt.removed}; added: {rebuilt.added}."
        if rebuilt.kept:
            summary += f" Kept {rebuilt.kept} the provider has started."
        record_transition(
            award,
            transition="monitoring_tier_changed",
            from_state=award.status,
            to_state=award.status,
            by=by,
            note=summary,
        )
    return Override(record=record, previous=previous, calendar=rebuilt)


# --- What the offer letter and the pages say --------------------------------------------------------------


def _day(day: date) -> str:
    return f"{day:%-d %B %Y}"


def terms(award: Award) -> MonitoringTerms:
    """What monitoring will ask of the award, in the words of its offer letter."""
    tier, _record = current(award)
    end_due = None
    if tier.asks_end_of_project_report:
        end_due = calendar.end_of_project_due(award.end_date, tier.report_due_days)
        sentence = (
            f"You will send one end-of-project report by {_day(end_due)}, {tier.report_due_days} days after "
            f"the project ends: a short account of what the project did and the difference it made, with "
            f"photographs, and the figures for the outcomes listed in this letter"
        )
    else:
        days = MonitoringSettings.current().due_days_after_quarter_end
        sentence = f"You will send an outcome return each quarter, within {days} days of the quarter's end"
    if tier.visits_per_year == 0:
        sentence += ", and we may visit the project."
        if tier.annual_review:
            sentence += " We will review the grant with you each year."
    else:
        times = "once" if tier.visits_per_year == 1 else f"{tier.visits_per_year} times"
        sentence += f". We will visit the project at least {times} a year"
        sentence += " and review the grant with you each year." if tier.annual_review else "."
    return MonitoringTerms(
        tier=tier.name, sentence=sentence, asks=tuple(tier.what_it_asks()), end_of_project_report_due=end_due
    )
