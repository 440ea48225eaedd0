"""Demo monitoring: frameworks for the demo awards, a history of accepted returns, the last quarter's returns in every
state, two persistently red services, visits, and the chase history of the past weeks.

Monitoring is proportionate (services.tiers): the small LPCAF and road-safety grants are at the light tier (one
end-of-project report, last year's accepted with a photograph), the largest contracts at the enhanced tier (visits
and an annual review, one recorded), and one CGS grant moved up a tier by an officer, with the reason.

"The last quarter" is the latest quarter whose returns are overdue on the day the demo is seeded
(`opcc.demo_utils.overdue_quarter`: seeded on 2 December 2026, Q2 2026/27); every date is relative to that day.
Returns whose arrears payment funding's demo already released are accepted (the money followed the return).
History is written in bulk (it is demo data, not someone's action); this quarter's scenarios go through the
same services staff and providers use. Idempotent: only returns still open are touched, visits are synced,
and the sweep itself never sends twice.
"""

import random
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Case, DateTimeField, Value, When
from django.utils import timezone

from funding.models import Award, PaymentScheduleKind, PaymentScheduleLine
from opcc.demo import demo_email
from opcc.demo_utils import demo_today, overdue_quarter, sync
from opcc.models import Membership, TransitionLog, User
from opcc.services.documents import JPEG, documents_for, store_bytes
from reporting import moj_defaults
from reporting.models import (
    AnnualReview,
    AwardMonitoring,
    GrantVisit,
    Measure,
    MeasureKind,
    MonitoringSettings,
    MonitoringTier,
    QuarterlyReturn,
    ReturnAnswer,
)
from reporting.services import (
    chasing,
    descriptions,
    frameworks,
    outcomes,
    performance,
    public_texts,
    returns,
    tiers,
)
from reporting.services.returns import RateAnswer, ReturnContent

D = Decimal
PERSISTENT_RED = ["Stalking advocacy service", "Restorative justice service"]
SUBMITTED_NOW = [
    "Victim Advice Line: assessment and referral for all victims",
    "Independent sexual violence advisers (ISVA)",
    "Support for children and young people affected by sexual exploitation",
]
CHANGES_NOW = "Domestic abuse support in Herefordshire"
CSP_NOW = "Safer South Worcestershire Community Safety Partnership plan"
# Accepted this week and not yet paid: the payment in arrears it releases is on finance's list of payments due.
ACCEPTED_NOW = "Independent domestic violence advisers (IDVA) in Shropshire and Telford"
ACTIVITY = [
    "Caseworkers supported people referred by the police and partners across West Mercia, with outreach in market "
    "towns and rural areas. Two new volunteers were trained.",
    "The service ran weekly drop-ins and one-to-one support, and worked with the local policing teams and the "
    "community safety partnership on referrals.",
    "Staffing was stable all quarter. Group sessions moved to evenings after feedback, and waiting times fell.",
]
CASE_STUDY = (
    "A person referred after a burglary was anxious about staying at home. Over six weeks, the caseworker "
    "arranged a home security visit and practical support; at the end they said they felt safe again. "
    "(Anonymised: no names, dates or places.)"
)
# Narrative answers by what the question asks: what went well, or what got in the way. Each answer must fit its
# question ("What got in the way…" is never answered with what went well).
WENT_WELL = [
    "Most people said the practical help mattered most.",
    "Practical help and being believed made the difference.",
]
GOT_IN_THE_WAY = [
    "Recruitment of a part-time caseworker took longer than planned; cover was arranged.",
    "Referrals dipped in August while a partner changed its referral form; we met them and numbers recovered.",
]
ASKS_WHAT_WENT_WRONG = ("got in the way", "not gone to plan")
FEEDBACK = '"I didn\'t think anyone would listen, but they did." "Quick to call back and really practical."'
# What a small local project's end-of-project report says (light tier).
END_ACTIVITY = [
    "The project ran as planned from start to finish. Volunteers gave their time every week, local people came back "
    "again and again, and the neighbourhood policing team joined several sessions.",
    "Everything we bought is in use. Residents told us the area feels different, and the parish council has asked us "
    "to carry on next year with their support.",
]
# An officer's choice of a higher tier than the grant's band gives it (services.tiers.override).
RAISED_TIER = (
    "Early intervention for young people at risk of criminal exploitation",
    "enhanced",
    "A new provider for the office, working with children at risk of exploitation: a visit each year and an "
    "annual review, whatever the grant's size.",
)
REVIEWED = "Domestic abuse outreach in North and South Worcestershire"


def _aware(day: date, hour=10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _value(measure, factor: float, rng, quarters: int = 1) -> Decimal | None:
    if measure.kind == MeasureKind.NARRATIVE:
        return None
    # An end-of-project report's counts that add up cover every quarter (a level, such as volunteers, does not).
    scale = quarters if measure.kind == MeasureKind.COUNT and measure.indicator_id else 1
    factor = factor * scale
    if not measure.quarterly_target:
        return D(rng.randint(0, 40) * scale) if measure.required or rng.random() < 0.7 else None
    raw = measure.quarterly_target * D(str(factor)) * D(str(rng.uniform(0.92, 1.08)))
    if measure.kind == MeasureKind.PERCENTAGE:
        return min(raw, D("100")).quantize(D("1"))
    if measure.kind == MeasureKind.STAR:
        return max(min(raw, D(measure.star_max)), D(measure.star_min)).quantize(D("0.1"))
    return raw.quantize(D("1"))


def narrative_answers(measure) -> list[str]:
    """The demo's possible answers to a narrative question, fitting what it asks."""
    asks_what_went_wrong = any(words in measure.name.lower() for words in ASKS_WHAT_WENT_WRONG)
    return GOT_IN_THE_WAY if asks_what_went_wrong else WENT_WELL


# A victims' return's breakdowns add up: referrals by crime type share out the referrals received, and the
# optional demographics are parts of the people supported (shares of each, in the template's order).
CRIME_TYPE_SHARES = [
    D("0.38"),
    D("0.14"),
    D("0.10"),
    D("0.05"),
    D("0.08"),
    D("0.13"),
    D("0.05"),
]  # the rest: other
DEMOGRAPHIC_SHARES = {
    "aged under 18": D("0.08"),
    "aged 65 or over": D("0.12"),
    "disabled": D("0.18"),
    "ethnic minority": D("0.09"),
}


def _values(measures, factor, rng, quarters: int = 1) -> dict:
    """The demo's answer to each measure (None: left blank), with its breakdowns consistent with their totals."""
    values = {m.pk: _value(m, factor, rng, quarters) for m in measures}
    by_name = {m.name: m for m in measures}
    referrals, supported = by_name.get("Referrals received"), by_name.get("People supported")
    crime_types = [m for m in measures if m.section == "Referrals by crime type"]
    if (
        referrals is not None
        and len(crime_types) == len(CRIME_TYPE_SHARES) + 1
        and values.get(referrals.pk) is not None
    ):
        total = values[referrals.pk]
        *named, other = crime_types
        for m, share in zip(named, CRIME_TYPE_SHARES, strict=True):
            values[m.pk] = (total * share).quantize(D("1"))
        values[other.pk] = total - sum(values[m.pk] for m in named)
    if supported is not None and values.get(supported.pk) is not None:
        for m in measures:
            share = next((v for k, v in DEMOGRAPHIC_SHARES.items() if m.name.endswith(k)), None)
            if share is not None and m.section.startswith("Demographics") and values.get(m.pk) is not None:
                values[m.pk] = (values[supported.pk] * share).quantize(D("1"))
    return values


def _rate(percent: Decimal | None, rng) -> RateAnswer | None:
    """A rate as the two numbers a service would report: how many left (or were asked), how many of them."""
    if percent is None:
        return None
    denominator = D(rng.randint(12, 60))
    return RateAnswer(numerator=(denominator * percent / 100).quantize(D("1")), denominator=denominator)


def _answers(measures, factor, rng, ret) -> list[ReturnAnswer]:
    answers = []
    values = _values(measures, factor, rng, performance.quarters_covered(ret) if ret is not None else 1)
    for m in measures:
        value = values[m.pk]
        text = rng.choice(narrative_answers(m)) if m.kind == MeasureKind.NARRATIVE else ""
        rate = _rate(value, rng) if m.is_rate else None
        if rate is not None:
            answers.append(
                ReturnAnswer(
                    quarterly_return=ret,
                    measure=m,
                    value=rate.percent,
                    numerator=rate.numerator,
                    denominator=rate.denominator,
                )
            )
        elif value is not None or text:
            answers.append(ReturnAnswer(quarterly_return=ret, measure=m, value=value, text=text))
    return answers


def _content(measures, factor, rng, *, blank_sections=()) -> ReturnContent:
    answers = {}
    values = _values(measures, factor, rng)
    for m in measures:
        if m.section in blank_sections:
            answers[m.pk] = None
        else:
            answers[m.pk] = (
                narrative_answers(m)[-1]
                if m.kind == MeasureKind.NARRATIVE
                else _rate(values[m.pk], rng)
                if m.is_rate
                else values[m.pk]
            )
    return ReturnContent(
        activity=rng.choice(ACTIVITY),
        case_studies=CASE_STUDY,
        service_user_feedback=FEEDBACK,
        spend_to_date=None,
        answers=answers,
    )


def _history(officer, today, rng) -> int:
    """Accept, in bulk, every open return for a quarter the office has already dealt with."""
    previous = overdue_quarter(today)
    released = set(
        PaymentScheduleLine.objects.filter(return_accepted_at__isnull=False).values_list(
            "award_id", "quarter_start_year", "quarter"
        )
    )
    candidates = list(
        QuarterlyReturn.objects.filter(status=QuarterlyReturn.Status.OPEN)
        .select_related("award__pot")
        .order_by("pk")
    )
    chosen = []
    for r in candidates:
        q = r.quarter_obj
        if r.award.schedule_kind == PaymentScheduleKind.QUARTERLY_ARREARS:
            if (r.award_id, q.start_year, q.number) in released:
                chosen.append(r)
        elif q < previous or (q == previous and r.award.pot.key.startswith("lpcaf") and r.pk % 5):
            chosen.append(r)
    return _write_bulk(chosen, officer, today, rng, accept=True)


def _write_bulk(chosen, officer, today, rng, *, accept: bool) -> int:
    if not chosen:
        return 0
    measures = defaultdict(list)
    for m in Measure.objects.filter(framework__award_id__in={r.award_id for r in chosen}).select_related(
        "framework"
    ):
        measures[m.framework.award_id].append(m)
    settings = MonitoringSettings.current()
    last = overdue_quarter(today)
    red_quarters = {last.previous().previous(), last.previous()}  # the two quarters before the last one
    answers, logs, log_times = [], [], []
    ct = ContentType.objects.get_for_model(QuarterlyReturn)
    for r in chosen:
        red = r.award.title in PERSISTENT_RED and r.quarter_obj in red_quarters
        factor = 0.55 if red else rng.choice([0.84, 0.95, 1.02, 1.08, 1.15, 1.2])
        mine = _answers(measures[r.award_id], factor, rng, r)
        answers.extend(mine)
        _percent, rag = performance.overall(
            performance.measure_results(
                measures[r.award_id], mine, settings, quarters=performance.quarters_covered(r)
            ),
            settings,
        )
        submitted_on = r.due_date - timedelta(days=rng.randint(0, 6))
        reviewed_on = min(submitted_on + timedelta(days=rng.randint(3, 12)), today - timedelta(days=1))
        elapsed = (min(r.period_end, r.award.end_date) - r.award.start_date).days + 1
        total = (r.award.end_date - r.award.start_date).days + 1
        r.activity = rng.choice(END_ACTIVITY if r.is_end_of_project else ACTIVITY)
        r.case_studies = CASE_STUDY if rng.random() < 0.5 else ""
        r.service_user_feedback = FEEDBACK
        r.spend_to_date = (r.award.amount * D(elapsed) / D(total) * D(str(rng.uniform(0.9, 1.0)))).quantize(
            D("0.01")
        )
        r.declaration_name = "Demo provider contact"
        r.submitted_at = _aware(min(submitted_on, today - timedelta(days=2)))
        logs.append(
            TransitionLog(
                content_type=ct,
                object_id=r.pk,
                transition="submit",
                from_state="open",
                to_state="submitted",
                note="Declared complete and accurate by Demo provider contact.",
            )
        )
        log_times.append(r.submitted_at)
        if accept:
            r.reviewed_at, r.reviewed_by = _aware(reviewed_on, 15), officer
            r.rag = rag or ""
            r.review_comments = (
                "Below target on most measures: discussed at the quarterly meeting; improvement plan agreed."
                if red
                else ""
            )
            logs.append(
                TransitionLog(
                    content_type=ct,
                    object_id=r.pk,
                    transition="accept",
                    from_state="submitted",
                    to_state="accepted",
                    by=officer,
                    note=r.review_comments,
                )
            )
            log_times.append(r.reviewed_at)
    ReturnAnswer.objects.bulk_create(answers, batch_size=1000)
    QuarterlyReturn.objects.bulk_update(
        chosen,
        [
            "activity",
            "case_studies",
            "service_user_feedback",
            "spend_to_date",
            "declaration_name",
            "submitted_at",
            "reviewed_at",
            "reviewed_by",
            "rag",
            "review_comments",
        ],
        batch_size=500,
    )
    QuarterlyReturn.objects.filter(pk__in=[r.pk for r in chosen]).update(
        status=QuarterlyReturn.Status.ACCEPTED if accept else QuarterlyReturn.Status.SUBMITTED
    )
    created = TransitionLog.objects.bulk_create(logs, batch_size=1000)
    for i in range(0, len(created), 300):
        part = list(zip(created[i : i + 300], log_times[i : i + 300], strict=True))
        TransitionLog.objects.filter(pk__in=[log.pk for log, _ in part]).update(
            at=Case(*[When(pk=log.pk, then=Value(at)) for log, at in part], output_field=DateTimeField())
        )
    return len(chosen)


def _member(award) -> User | None:
    membership = Membership.objects.filter(organisation=award.organisation).select_related("user").first()
    return membership.user if membership else None


def _scenarios(officer, today, rng) -> None:
    """The returns for the last quarter: some submitted and waiting for review, one sent back for changes, the rest
    open and overdue (Severn Valley Women's Aid's among them, for its demo contact to complete)."""
    previous = overdue_quarter(today)
    q2 = {
        r.award.title: r
        for r in QuarterlyReturn.objects.filter(
            quarter_start_year=previous.start_year,
            quarter=previous.number,
            award__status=Award.Status.ACTIVE,
            award__schedule_kind=PaymentScheduleKind.QUARTERLY_ARREARS,
        ).select_related("award__organisation", "award__pot")
    }
    waiting = [q2[t] for t in SUBMITTED_NOW if t in q2 and q2[t].status == QuarterlyReturn.Status.OPEN]
    _write_bulk(waiting, officer, today, rng, accept=False)
    for title, send_back in ((CSP_NOW, False), (CHANGES_NOW, True)):
        ret = next((r for t, r in q2.items() if t.startswith(title)), None)
        provider = _member(ret.award) if ret else None
        if ret is None or provider is None or ret.status != QuarterlyReturn.Status.OPEN:
            continue
        # The return sent back is the one whose referrals by crime type were left blank, as the officer says.
        content = _content(
            list(Measure.objects.filter(framework__award=ret.award)),
            rng.choice([0.9, 1.05]),
            rng,
            blank_sections=("Referrals by crime type",) if send_back else (),
        )
        content.spend_to_date = (ret.award.amount * D("0.5")).quantize(D("0.01"))
        ret = returns.submit(
            quarterly_return=ret, content=content, by=provider, declaration_name=provider.full_name
        )
        if send_back:
            returns.request_changes(
                quarterly_return=ret,
                by=officer,
                comments=(
                    "Thank you. Please add the referrals by crime type (they are blank), and say why people supported fell "
                    f"compared with Q{previous.previous().number}."
                ),
            )
    ret = q2.get(ACCEPTED_NOW)
    if ret is not None and ret.status == QuarterlyReturn.Status.OPEN:
        _write_bulk([ret], officer, today, rng, accept=False)
        ret.refresh_from_db()
        returns.accept(
            quarterly_return=ret, by=officer, comments="Thank you: the quarter's payment can now be made."
        )


def _visits(officer, officer2, today) -> None:
    """Two visits recorded in the past months, two coming up in the next days (seeded on 2 December 2026: 17 September
    and 8 October, 3 and 10 December)."""
    last = overdue_quarter(today)
    plan = [
        (
            "Domestic abuse outreach in North and South Worcestershire",
            today - timedelta(days=76),
            officer,
            True,
            "Service manager, two caseworkers, one volunteer; 3 service users joined for part of the visit",
            "Well-run service; case files anonymised correctly. Waiting list in Redditch is growing.",
            "Service users valued evening appointments and the same caseworker throughout.",
            "Provider to share monthly waiting list figures; officer to raise Redditch demand with the CSP.",
        ),
        (
            "Stalking advocacy service",
            today - timedelta(days=55),
            officer2,
            True,
            "Director and lead advocate",
            "Two consecutive quarters below target: a vacancy left one advocate covering "
            "the whole force area. Recruitment now complete.",
            "Feedback forms show people feel believed and safer.",
            f"Improvement plan agreed: monthly check-ins until the Q{last.next().number} return.",
        ),
        ("Restorative justice service", today + timedelta(days=1), officer, False, "", "", "", ""),
        (
            "Early intervention for young people at risk of criminal exploitation",
            today + timedelta(days=8),
            officer2,
            False,
            "",
            "",
            "",
            "",
        ),
    ]
    for title, day, who, done, attendees, findings, feedback, actions in plan:
        # The latest such award that has started by the day of the visit.
        award = (
            Award.objects.filter(title=title, status=Award.Status.ACTIVE, start_date__lte=min(day, today))
            .order_by("-start_date")
            .first()
        )
        if award is None:
            continue
        sync(
            GrantVisit,
            {"award": award, "scheduled_for": day},
            {
                "officer": who,
                "purpose": "Monitoring visit, including service user feedback",
                "visited_on": day if done else None,
                "attendees": attendees,
                "findings": findings,
                "service_user_feedback": feedback,
                "actions": actions,
                "recorded_by": who if done else None,
                "recorded_at": _aware(day, 17) if done else None,
            },
        )


# An enhanced contract left without last year's visit: overdue, with its next visit already planned (see _visits).
VISIT_MISSED = "Restorative justice service"


def _enhanced_history(officer, officer2, today) -> None:
    """The visits and annual reviews the enhanced tier asked for in the years before the demo's day: a visit nine
    months into each year of a contract and a review on each anniversary (written as history, like the returns)."""
    from dateutil.relativedelta import relativedelta

    for record in (
        AwardMonitoring.objects.filter(award__status=Award.Status.ACTIVE, tier__visits_per_year__gt=0)
        .select_related("award")
        .order_by("award__reference")
    ):
        award = record.award
        for n in range(1, 4):
            visit_day = award.start_date + relativedelta(months=9 + 12 * (n - 1))
            if visit_day <= min(award.end_date, today - timedelta(days=90)) and not (
                award.title == VISIT_MISSED and visit_day > today - timedelta(days=400)
            ):
                who = officer if n % 2 else officer2
                sync(
                    GrantVisit,
                    {"award": award, "scheduled_for": visit_day},
                    {
                        "officer": who,
                        "purpose": "Annual monitoring visit",
                        "visited_on": visit_day,
                        "attendees": "Service manager and two caseworkers; 2 service users for part of the visit",
                        "findings": "Delivery as agreed; case files anonymised; staffing stable.",
                        "service_user_feedback": "Service users said they were listened to and helped quickly.",
                        "actions": "",
                        "recorded_by": who,
                        "recorded_at": _aware(visit_day, 17),
                    },
                )
            review_day = award.start_date + relativedelta(months=12 * n)
            if record.tier.annual_review and review_day <= min(award.end_date, today - timedelta(days=60)):
                AnnualReview.objects.get_or_create(
                    award=award,
                    reviewed_on=review_day,
                    defaults={
                        "findings": "A year on: outcomes broadly on target; referrals rising; the provider's improvement "
                        "actions from the returns are in hand.",
                        "actions": "Carry on as agreed; look again at demand in the spring.",
                        "recorded_by": officer,
                    },
                )
    tiers.refresh_due_dates()


def _tiers(officer, today) -> None:
    """An officer's override with its reason, an annual review recorded for an enhanced contract, and a photograph
    with last year's latest accepted end-of-project report. Each only once."""
    title, key, reason = RAISED_TIER
    award = Award.objects.filter(title=title, status=Award.Status.ACTIVE).order_by("-start_date").first()
    tier = MonitoringTier.objects.filter(key=key).first()
    if (
        award is not None
        and tier is not None
        and not AwardMonitoring.objects.filter(award=award, overridden=True).exists()
    ):
        tiers.override(award=award, tier=tier, reason=reason, by=officer, today=today)
    award = Award.objects.filter(title=REVIEWED, status=Award.Status.ACTIVE).order_by("-start_date").first()
    if award is not None and not AnnualReview.objects.filter(award=award).exists():
        reviewed_on = max(award.start_date, today - timedelta(days=40))
        tiers.record_annual_review(
            award=award,
            reviewed_on=reviewed_on,
            by=officer,
            today=today,
            findings="On track against most outcomes; referrals from Redditch keep rising. Service users value "
            "evening appointments.",
            actions="Share monthly waiting list figures; agree with the provider how Redditch demand is met next year.",
        )
        AnnualReview.objects.filter(award=award).update(recorded_at=_aware(reviewed_on, 16))
    report = (
        QuarterlyReturn.objects.filter(
            kind=QuarterlyReturn.Kind.END_OF_PROJECT, status=QuarterlyReturn.Status.ACCEPTED
        )
        .select_related("award")
        .order_by("-period_end", "-pk")
        .first()
    )
    if report is not None and not documents_for(report, purpose="return_photograph").exists():
        store_bytes(
            data=_photograph(),
            kind=JPEG,
            original_name="project-volunteers.jpg",
            attached_to=report,
            by=_member(report.award),
            purpose="return_photograph",
            title="Volunteers at the last session",
        )


def _photograph() -> bytes:
    """A plain picture standing in for a project's photograph (the demo holds no real people)."""
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (480, 320), (29, 112, 184))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 220, 480, 320), fill=(0, 112, 60))
    draw.ellipse((360, 30, 430, 100), fill=(255, 221, 0))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return buffer.getvalue()


@transaction.atomic
def load(stdout=None):
    officer = User.objects.get(email=demo_email("officer"))
    officer2 = User.objects.filter(email=demo_email("officer2")).first() or officer
    today = demo_today()  # the day the demo is (or was first) loaded
    rng = random.Random(2026)
    frameworks.ensure_defaults()
    moj_defaults.ensure_defaults()  # the Ministry of Justice return's sections (the migration wrote them; kept if edited)
    for award in (
        Award.objects.exclude(status__in=[Award.Status.PENDING, Award.Status.CANCELLED])
        .filter(outcome_framework__isnull=True)
        .select_related("pot")
    ):
        frameworks.build_framework(award)
    returns.ensure_returns(today=today)
    returns.open_ended_quarters(today=today)
    accepted = _history(officer, today, rng)
    _scenarios(officer, today, rng)
    _visits(officer, officer2, today)
    _tiers(officer, today)
    _enhanced_history(officer, officer2, today)
    # The history was accepted in bulk, not through the service: summarise what it reported.
    aggregates = outcomes.rebuild_all()
    # Last year's grants close on their final reports (one still waiting, one with money to recover).
    from reporting import demo_closeout

    closed = demo_closeout.load(officer, today)
    # The chase history of the last weeks, as the daily job would have written it.
    due = overdue_quarter(today).due_date(MonitoringSettings.current().due_days_after_quarter_end)
    for day in sorted(
        {due - timedelta(days=14), due, due + timedelta(days=7), due + timedelta(days=21), today}
    ):
        if day <= today:
            chasing.run_sweep(today=day, notify_worker=False)
    crime = _crime(today)
    people = _population()
    from reporting import demo_panel

    panel = demo_panel.load(officer, today)
    descriptions.approve_all_as_they_are()  # the demo's award purposes are public as written
    public_texts.approve_all_as_they_are()  # and its services' descriptions and grants' reasons
    if stdout:
        stdout.write(f"Crime: {crime}; {people}.")
        if panel:
            stdout.write(f"Panel: {panel}.")
        if closed:
            stdout.write(f"Closeout: {closed}.")
        stdout.write(
            f"Monitoring: {QuarterlyReturn.objects.count()} returns ({accepted} accepted from history), "
            f"{GrantVisit.objects.count()} visits, {aggregates} outcome aggregates."
        )


def _population() -> str:
    """ONS's mid-2023 estimates for West Mercia's authorities (the sample file), imported once."""
    from reporting.crime import population
    from reporting.models import LocalAuthorityPopulation

    if not LocalAuthorityPopulation.objects.filter(year=population.SAMPLE_YEAR).exists():
        population.import_path(population.SAMPLE, year=population.SAMPLE_YEAR)
    total = sum(
        LocalAuthorityPopulation.objects.filter(year=population.SAMPLE_YEAR).values_list(
            "population", flat=True
        )
    )
    return f"{total:,} residents (mid-{population.SAMPLE_YEAR})"


def _crime(today) -> str:
    """The sample police.uk file (three months of West Mercia crime, the latest police.uk would have published by
    today), imported once: a second run changes nothing."""
    import tempfile
    from pathlib import Path

    from reporting.crime.importer import import_path
    from reporting.crime.sample import OUT, months_before, write
    from reporting.models import CrimeImport, CrimeRecord

    if not CrimeImport.objects.filter(file_name=OUT.name, status=CrimeImport.Status.DONE).exists():
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / OUT.name
            write(path, months_before(today))
            import_path(path)
    return f"{CrimeRecord.objects.count()} crimes from police.uk"
