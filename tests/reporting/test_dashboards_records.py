"""A small, varied year of records for the dashboard tests, and the independent sums over them.

The sums here walk the records in Python (no aggregates, no selectors) so that a dashboard figure that
disagrees with them is a bug in the dashboard, not the same mistake twice.
"""

from collections import Counter
from datetime import date
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.utils import timezone
from freezegun import freeze_time

from commissioning.models import Commission, Contract
from funding.models import Award, AwardYear, Payment, PaymentScheduleKind, Pot, Stream
from funding.services import awards as award_services
from opcc.models import Role
from reporting.models import MeasureKind, QuarterlyReturn, ReturnAnswer, ReturnStatus
from tests.commissioning import factories as cf
from tests.funding.factories import PotFactory, award
from tests.reporting.factories import TODAY, accepted, monitored_award, submitted, the_return, victims_pot

D = Decimal
NOT_SENT = (ReturnStatus.NOT_YET_DUE, ReturnStatus.OPEN)


class Records:
    pass


def build(world) -> Records:
    """Four pots' worth of awards in 2026/27: on-time, late and overdue returns, green/amber/red ratings,
    a cancelled award, payments, a contract ending within six months and commissions at three stages."""
    r = Records()
    officer = world.users[Role.COMMISSIONING_OFFICER]
    finance = world.users[Role.FINANCE_OFFICER]
    provider = world.users[Role.PROVIDER]
    other = world.other_provider
    r.victims = victims_pot(allocated="1000000")
    year = r.victims.year
    r.csp = PotFactory(
        year=year,
        stream=Stream.CSP_GRANTS,
        key="csp-herefordshire",
        name="Herefordshire CSP grants",
        csp=world.csp,
        allocated=D("200000"),
    )
    r.lpcaf = PotFactory(
        year=year,
        stream=Stream.LPCAF,
        key="lpcaf-shropshire",
        name="Shropshire LPCAF",
        area=world.other_area,
        allocated=D("50000"),
    )
    r.outreach = monitored_award(world.organisation, pot=r.victims, amount="40000", title="Outreach")
    r.night = monitored_award(
        world.other_organisation,
        pot=r.csp,
        amount="20000",
        title="Night safe",
        schedule=PaymentScheduleKind.IN_ADVANCE,
    )
    r.speed = monitored_award(
        world.other_organisation,
        pot=r.lpcaf,
        amount="5000",
        title="Speed watch",
        schedule=PaymentScheduleKind.IN_ADVANCE,
    )
    with freeze_time("2026-11-25 09:00:00"):
        r.lapsed = award(
            organisation=world.organisation, pot=r.lpcaf, amount="1000", activate=False, title="Lapsed"
        )
        # Lapsed offers are cancelled by the daily task, as grants' lapse_offers does.
        award_services.end_award(
            award=r.lapsed, transition="cancel", by=None, note="The offer lapsed", check_permission=False
        )
        award_services.record_payment(
            award=r.night,
            amount=D("5000"),
            paid_on=date(2026, 5, 1),
            invoice_received_on=date(2026, 5, 1),
            by=finance,
        )
        award_services.record_payment(
            award=r.speed,
            amount=D("2500"),
            paid_on=date(2026, 5, 1),
            invoice_received_on=date(2026, 5, 1),
            by=finance,
        )
    with freeze_time("2026-07-20 10:00:00"):
        accepted(the_return(r.outreach, 1), provider, officer)  # on time, green
    with freeze_time("2026-11-02 10:00:00"):
        accepted(the_return(r.outreach, 2), provider, officer, factor=D("0.5"))  # late, red
    with freeze_time("2026-07-25 10:00:00"):
        accepted(the_return(r.night, 1), other, officer, factor=D("0.85"))  # on time, amber
    with freeze_time("2026-08-10 10:00:00"):
        submitted(the_return(r.speed, 1), other)  # late, not yet reviewed
    # Commissions: one in Understand, one in Plan, one in Do with a contract ending 31 March 2027.
    with freeze_time("2026-11-25 09:00:00"):
        cf.new_commission(world, title="Understand only")
        cf.in_plan(world)
        commission, _org = cf.decided_tender(world)
        commission.areas.set([world.area])
        r.contract = cf.contract_for(
            world,
            commission,
            r.victims,
            start_date=date(2026, 4, 1),
            signed_on=date(2026, 3, 1),
            initial_term_years=1,
            extension_pattern="1+1",
            total_value=D("30000"),
        )
    return r


# ---- Independent sums ----------------------------------------------------------------------------


def pots_of(year=2026, stream="", key="", area=""):
    pots = []
    for pot in Pot.objects.filter(year__start_year=year).select_related("csp__area", "area"):
        pot_area = pot.area.slug if pot.area else (pot.csp.area.slug if pot.csp else "")
        if (
            (not stream or pot.stream == stream)
            and (not key or pot.key == key)
            and (not area or pot_area == area)
        ):
            pots.append(pot)
    return pots


def money_of(pots) -> dict:
    """pot pk -> (allocated, committed, paid), summed record by record."""
    out = {}
    for pot in pots:
        committed = sum(
            (
                ay.amount
                for ay in AwardYear.objects.filter(pot=pot).select_related("award")
                if ay.award.status != Award.Status.CANCELLED
            ),
            D("0"),
        )
        paid = sum(
            (p.amount for p in Payment.objects.select_related("award_year") if p.award_year.pot_id == pot.pk),
            D("0"),
        )
        out[pot.pk] = (pot.allocated, committed, paid)
    return out


def awards_of(pots) -> list:
    pot_ids = {p.pk for p in pots}
    ids = {ay.award_id for ay in AwardYear.objects.all() if ay.pot_id in pot_ids}
    return [a for a in Award.objects.filter(pk__in=ids) if a.status != Award.Status.CANCELLED]


def returns_of(pots, year=2026) -> list:
    pot_ids = {p.pk for p in pots}
    ids = {ay.award_id for ay in AwardYear.objects.all() if ay.pot_id in pot_ids}
    return [r for r in QuarterlyReturn.objects.filter(quarter_start_year=year) if r.award_id in ids]


def timeliness_of(ret, today=TODAY) -> str:
    if ret.status in NOT_SENT:
        return "overdue" if ret.due_date < today else "not_yet_due"
    return "on_time" if timezone.localtime(ret.submitted_at).date() <= ret.due_date else "late"


def timeliness_counts(returns, today=TODAY) -> dict:
    counts = Counter((r.quarter, timeliness_of(r, today)) for r in returns)
    return counts


def outcome_counts(returns) -> dict:
    """kind -> (measured, met) over numeric answers to measures with a target, in accepted returns."""
    accepted_ids = {r.pk for r in returns if r.status == ReturnStatus.ACCEPTED}
    out = {k: [0, 0] for k in (MeasureKind.COUNT, MeasureKind.PERCENTAGE, MeasureKind.STAR)}
    for answer in ReturnAnswer.objects.select_related("measure"):
        m = answer.measure
        if (
            answer.quarterly_return_id in accepted_ids
            and answer.value is not None
            and m.kind != MeasureKind.NARRATIVE
            and m.quarterly_target
            and m.quarterly_target > 0
        ):
            out[m.kind][0] += 1
            out[m.kind][1] += answer.value >= m.quarterly_target
    return {k: tuple(v) for k, v in out.items()}


def rag_counts(awards, year=2026) -> Counter:
    counts = Counter()
    for a in awards:
        rated = sorted(
            (
                r
                for r in QuarterlyReturn.objects.filter(award=a, quarter_start_year=year)
                if r.status == ReturnStatus.ACCEPTED and r.rag
            ),
            key=lambda r: r.quarter,
        )
        counts[rated[-1].rag if rated else "none"] += 1
    return counts


def contracts_ahead(today=TODAY) -> dict:
    horizon = today + relativedelta(months=6)
    out = {"expiring": 0, "notice": 0, "all": 0}
    for c in Contract.objects.select_related("award"):
        if c.award.status != Award.Status.ACTIVE:
            continue
        end = c.award.end_date
        notice = end - relativedelta(months=c.break_notice_months)
        expiring, notice_due = today <= end <= horizon, today <= notice <= horizon
        out["expiring"] += expiring
        out["notice"] += notice_due
        out["all"] += expiring or notice_due
    # A contract-kind award with no commissioning record (agreed before the service): it ends, with no notice date.
    for a in Award.objects.filter(kind="contract", status=Award.Status.ACTIVE):
        if not Contract.objects.filter(award=a).exists() and today <= a.end_date <= horizon:
            out["expiring"] += 1
            out["all"] += 1
    return out


def stage_counts(stream="", area="") -> Counter:
    counts = Counter()
    for c in Commission.objects.prefetch_related("areas"):
        if (not stream or c.stream == stream) and (not area or area in {a.slug for a in c.areas.all()}):
            counts[c.status] += 1
    return counts
