"""Builds a large dataset quickly (bulk inserts): ten financial years of West Mercia at about ten
times its real volume. Each app's part is a function here; `build()` runs them in order."""

import random
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import transaction

from funding.models import (
    Award,
    AwardYear,
    FinancialYear,
    IncomeLine,
    IncomeSource,
    Payment,
    PaymentScheduleLine,
    Pot,
)
from opcc.calendar import financial_year_of, quarters_between
from opcc.models import Organisation, OrganisationType

D = Decimal
# Ten financial years, the last being the current one (from the day the dataset is built).
LAST_YEAR = financial_year_of(date.today())
FIRST_YEAR = LAST_YEAR - 9
YEAR_LABEL = f"{LAST_YEAR}/{(LAST_YEAR + 1) % 100:02d}"  # e.g. 2026/27
REFERENCE_PREFIX = f"BN{LAST_YEAR % 100:02d}"  # the current year's bench awards


def organisations(n=400):
    existing = Organisation.objects.filter(name__startswith="Bench org").count()
    Organisation.objects.bulk_create(
        [
            Organisation(
                name=f"Bench org {i:04d}",
                org_type=OrganisationType.REGISTERED_CHARITY,
                charity_number=str(1000000 + i),
                address_line_1="1 Bench Street",
                town="Worcester",
                postcode="WR1 2HG",
            )
            for i in range(existing, n)
        ]
    )
    return list(Organisation.objects.filter(name__startswith="Bench org"))


def funding(*, awards_total=5000, provider_org=None, rng=None):
    rng = rng or random.Random(10)
    template_pots = list(
        Pot.objects.filter(year__start_year=LAST_YEAR).values("key", "stream", "name", "area_id", "csp_id")
    )
    orgs = organisations()
    per_year = awards_total // (LAST_YEAR - FIRST_YEAR + 1)
    for start_year in range(FIRST_YEAR, LAST_YEAR + 1):
        year, _ = FinancialYear.objects.get_or_create(start_year=start_year)
        if Award.objects.filter(pot__year=year, reference__startswith="BN").exists():
            continue  # already built: the dataset is reused between runs
        with transaction.atomic():
            IncomeLine.objects.bulk_create(
                [IncomeLine(year=year, source=IncomeSource.HOME_OFFICE, amount=D("400000000"))]
            )
            FinancialYear.objects.filter(pk=year.pk).update(
                police_budget=D("300000000"), status=FinancialYear.Status.APPROVED
            )
            pots = (
                Pot.objects.bulk_create([Pot(year=year, allocated=D("5000000"), **p) for p in template_pots])
                if not Pot.objects.filter(year=year).exists()
                else list(Pot.objects.filter(year=year))
            )
            awards, profile, lines, payments = [], [], [], []
            for i in range(per_year):
                org = provider_org if (provider_org and i % 100 == 0) else rng.choice(orgs)
                start = date(start_year, 4, 1) + timedelta(days=rng.randrange(0, 120))
                end = date(start_year + 1, 3, 31)
                awards.append(
                    Award(
                        reference=f"BN{start_year % 100:02d}-{i:05d}",
                        organisation=org,
                        pot=rng.choice(pots),
                        kind=rng.choice(["grant", "contract"]),
                        title=f"Bench award {start_year}-{i}",
                        purpose="Bench",
                        start_date=start,
                        end_date=end,
                        amount=D("4000"),
                        schedule_kind="quarterly_arrears",
                        status="completed" if start_year < LAST_YEAR else "active",
                        awarded_on=start,
                    )
                )
            Award.objects.bulk_create(awards, batch_size=1000)
            for award in awards:
                profile.append(AwardYear(award=award, pot=award.pot, amount=award.amount))
            AwardYear.objects.bulk_create(profile, batch_size=1000)
            for award, award_year in zip(awards, profile, strict=True):
                quarters = quarters_between(award.start_date, award.end_date)
                for q in quarters:
                    lines.append(
                        PaymentScheduleLine(
                            award=award,
                            award_year=award_year,
                            due_date=q.end + timedelta(days=30),
                            amount=(award.amount / len(quarters)).quantize(D("0.01")),
                            description=f"{q.short_label} in arrears",
                            quarter_start_year=q.start_year,
                            quarter=q.number,
                        )
                    )
            PaymentScheduleLine.objects.bulk_create(lines, batch_size=2000)
            for award_year in profile[: len(profile) // 2 if start_year == LAST_YEAR else len(profile)]:
                payments.append(
                    Payment(
                        award=award_year.award,
                        award_year=award_year,
                        amount=D("1000"),
                        paid_on=date(start_year, 9, 1),
                    )
                )
            Payment.objects.bulk_create(payments, batch_size=2000)


AWARDS, RETURNS, CRIMES = 5000, 60000, 1_000_000
APPLICATIONS, PAYMENTS = 5000, 20000
# Each list bench/run.py measures holds more than a page (50 rows) at either volume, so a list shown a page at a
# time is the same size at both, and only a list that is not shows up as growing with the data.
A_PAGE_AND_MORE = 60
APPLICATION_PREFIX = "BA"
MEASURED_AREA = "herefordshire"  # the area whose community ambassador's LPCAF bids bench/run.py measures


def build(*, provider_org=None, stdout=print, scale: float = 1.0):
    """The whole dataset; `scale` shrinks every volume (0.01: the same shape at a hundredth of the size,
    which bench/run.py uses to show that each page's query count does not grow with the data)."""
    from reporting.models import CrimeRecord, QuarterlyReturn

    rng = random.Random(2026)
    funding(awards_total=max(10, int(AWARDS * scale)), provider_org=provider_org, rng=rng)
    returns(total=int(RETURNS * scale), rng=rng)
    outcomes(rng=rng)
    crime(total=int(CRIMES * scale))
    applications(total=int(APPLICATIONS * scale), provider_org=provider_org, rng=rng)
    payments(total=int(PAYMENTS * scale), rng=rng)
    moj_return(rng=rng)
    # Fresh statistics after the bulk load, as autovacuum gives a production database after its inserts:
    # without them PostgreSQL plans for the empty tables it last saw.
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    from grants.models import Application

    stdout(
        f"Dataset: {Award.objects.count()} awards, {PaymentScheduleLine.objects.count()} schedule lines, "
        f"{Payment.objects.count()} payments over {FinancialYear.objects.count()} years, "
        f"{QuarterlyReturn.objects.count()} quarterly returns, {Application.objects.count()} grant applications, "
        f"{CrimeRecord.objects.count()} crime rows."
    )


def returns(total=60000, rng=None):
    """Quarterly returns for the bench awards: twelve quarters each, the past ones accepted with a RAG."""
    from opcc.calendar import Quarter
    from reporting.models import OutcomeFramework, QuarterlyReturn

    if QuarterlyReturn.objects.count() >= total:
        return  # already built (the demo's own daily job may have made a few for bench awards: conflicts are skipped)
    rng = rng or random.Random(60)
    awards = list(Award.objects.filter(reference__startswith="BN").order_by("pk").only("pk", "start_date"))
    OutcomeFramework.objects.bulk_create(
        [OutcomeFramework(award_id=a.pk, source="template") for a in awards],
        batch_size=5000,
        ignore_conflicts=True,
    )
    per_award = max(1, total // max(1, len(awards)))
    today = date.today()
    rows = []
    for award in awards:
        quarter = Quarter(
            award.start_date.year if award.start_date.month >= 4 else award.start_date.year - 1,
            (award.start_date.month - 4) % 12 // 3 + 1,
        )
        for _ in range(per_award):
            due = quarter.end + timedelta(days=30)
            if due < today - timedelta(days=60):
                status, rag = "accepted", rng.choice(["green", "green", "amber", "red"])
            elif due < today:
                status, rag = rng.choice(["submitted", "open", "accepted"]), ""
            else:
                status, rag = ("open" if quarter.end < today else "not_yet_due"), ""
            rows.append(
                QuarterlyReturn(
                    award_id=award.pk,
                    quarter_start_year=quarter.start_year,
                    quarter=quarter.number,
                    period_end=quarter.end,
                    due_date=due,
                    status=status,
                    rag=rag if status == "accepted" else "",
                )
            )
            quarter = quarter.next()
    QuarterlyReturn.objects.bulk_create(rows, batch_size=5000, ignore_conflicts=True)


def outcomes(rng=None):
    """What the bench awards achieve: each serves one or two objectives of the current Police and Crime Plan, and
    each accepted return has its outcome summary (people supported, referrals received, and the cope-and-recover
    rate as achieved over asked), as accepting it through the service would write. The bench returns carry no
    answers, so the summary rows are written directly, one per accepted return and indicator."""
    from opcc.models import Objective
    from reporting.models import OutcomeAggregate, OutcomeIndicator, QuarterlyReturn, ReturnStatus

    bench_awards = Award.objects.filter(reference__startswith="BN")
    if OutcomeAggregate.objects.filter(award__in=bench_awards).exists():
        return  # already built
    rng = rng or random.Random(80)
    objectives = list(
        Objective.objects.filter(priority__plan__is_current=True).order_by("pk").values_list("pk", flat=True)
    )
    if objectives:
        links = []
        for award_id in bench_awards.order_by("pk").values_list("pk", flat=True):
            for objective_id in rng.sample(objectives, min(len(objectives), rng.choice([1, 1, 2]))):
                links.append(Award.objectives.through(award_id=award_id, objective_id=objective_id))
        Award.objectives.through.objects.bulk_create(links, batch_size=5000, ignore_conflicts=True)
    indicators = dict(
        OutcomeIndicator.objects.filter(
            key__in=["people-supported", "referrals-received", "better-able-to-cope-and-recover"]
        ).values_list("key", "pk")
    )
    rows = []
    for award_id, start_year, quarter in (
        QuarterlyReturn.objects.filter(award__in=bench_awards, status=ReturnStatus.ACCEPTED)
        .order_by("pk")
        .values_list("award_id", "quarter_start_year", "quarter")
    ):
        key = dict(award_id=award_id, quarter_start_year=start_year, quarter=quarter, n_measures=1)
        supported = rng.randint(10, 90)
        left = rng.randint(5, supported)
        if "people-supported" in indicators:
            rows.append(
                OutcomeAggregate(indicator_id=indicators["people-supported"], value_sum=D(supported), **key)
            )
        if "referrals-received" in indicators:
            rows.append(
                OutcomeAggregate(
                    indicator_id=indicators["referrals-received"],
                    value_sum=D(supported + rng.randint(0, 30)),
                    **key,
                )
            )
        if "better-able-to-cope-and-recover" in indicators:
            rows.append(
                OutcomeAggregate(
                    indicator_id=indicators["better-able-to-cope-and-recover"],
                    numerator=D(rng.randint(0, left)),
                    denominator=D(left),
                    **key,
                )
            )
    OutcomeAggregate.objects.bulk_create(rows, batch_size=5000, ignore_conflicts=True)


def crime(total=1_000_000):
    from reporting.models import CrimeRecord

    if CrimeRecord.objects.count() >= total * 0.9:
        return
    from bench.crime_import import fill_to

    fill_to(total)


def measured_round():
    """This year's bench round of the Commissioner's Grant Scheme: the round whose applications are measured."""
    from grants.models import Round

    return Round.objects.filter(name=f"Bench CGS round {YEAR_LABEL}").first()


def applications(total=5000, provider_org=None, rng=None):
    """Grant applications to a Commissioner's Grant Scheme round and an LPCAF round in each bench year, most in
    assessment. The measured round, the measured area's LPCAF bids this year and the provider's own
    applications each hold more than a page at either volume."""
    from django.utils import timezone

    from grants import defaults
    from grants.models import Application, Round, Scheme, SchemeKind
    from opcc.models import LocalPolicingArea

    if Application.objects.filter(reference__startswith=APPLICATION_PREFIX).exists():
        return  # already built
    rng = rng or random.Random(50)
    defaults.ensure()
    cgs, lpcaf = Scheme.objects.get(kind=SchemeKind.CGS), Scheme.objects.get(kind=SchemeKind.LPCAF)
    areas = list(LocalPolicingArea.objects.order_by("slug"))
    measured_area = next(a for a in areas if a.slug == MEASURED_AREA)
    orgs = organisations()
    now = timezone.now()
    rounds = {}
    for start_year in range(FIRST_YEAR, LAST_YEAR + 1):
        year = FinancialYear.objects.get(start_year=start_year)
        label = f"{start_year}/{(start_year + 1) % 100:02d}"
        closes = min(now - timedelta(days=1), timezone.make_aware(datetime(start_year, 6, 30, 12)))
        common = dict(
            year=year,
            opens_at=closes - timedelta(days=42),
            closes_at=closes,
            summary="Bench",
            eligibility="Bench organisations",
            max_award=D("50000"),
        )
        rounds[start_year] = (
            Round.objects.create(
                scheme=cgs,
                name=f"Bench CGS round {label}",
                pot=Pot.objects.filter(year=year, key="cgs").first(),
                **common,
            ),
            Round.objects.create(
                scheme=lpcaf, name=f"Bench LPCAF round {label}", **{**common, "max_award": D("5000")}
            ),
        )
    statuses = ["in_assessment"] * 14 + ["submitted"] * 3 + ["approved", "declined", "declined"]
    # Who and where each application is: the measured lists first, then the rest spread over every round.
    plan = (
        [(rounds[LAST_YEAR][0], None, None)] * max(A_PAGE_AND_MORE, total // 10)
        + [(rounds[LAST_YEAR][1], measured_area, None)] * max(A_PAGE_AND_MORE, total // 25)
        + [(rng.choice(rounds[LAST_YEAR]), None, provider_org)]
        * (max(A_PAGE_AND_MORE, total // 50) if provider_org else 0)
    )
    plan += [
        (rng.choice(rng.choice(list(rounds.values()))), None, None) for _ in range(max(0, total - len(plan)))
    ]
    rows = []
    for i, (round_, area, org) in enumerate(plan):
        if round_.scheme_id == lpcaf.pk and area is None:
            area = rng.choice(areas)
        status = rng.choice(statuses)
        amount = D(rng.randrange(1000, 5000 if round_.scheme_id == lpcaf.pk else 50000, 250))
        submitted = round_.closes_at - timedelta(days=rng.randrange(1, 40))
        rows.append(
            Application(
                round=round_,
                organisation=org or rng.choice(orgs),
                reference=f"{APPLICATION_PREFIX}{i:06d}",
                status=status,
                submitted_at=submitted,
                title=f"Bench project {i}",
                summary="Bench",
                area=area,
                start_date=date(round_.year.start_year, 10, 1),
                end_date=date(round_.year.start_year + 1, 3, 31),
                need="Bench",
                outcomes="Bench",
                prevention=i % 2 == 0,
                amount_requested=amount,
                budget="Bench",
                decided_amount=amount if status == "approved" else None,
                decided_at=submitted + timedelta(days=30) if status in ("approved", "declined") else None,
            )
        )
    Application.objects.bulk_create(rows, batch_size=2000)


def measured_award():
    """The award whose page (and its payments) bench/run.py measures."""
    return Award.objects.filter(reference__startswith=REFERENCE_PREFIX).order_by("pk").first()


def payments(total=20000, rng=None):
    """Payments made on the bench awards, a small sum each, within each award's dates: the measured award
    gets more than a page of them at either volume, the rest go round the other awards."""
    if Payment.objects.filter(reference__startswith="BENCH-").exists():
        return  # already built
    bench_awards = list(
        Award.objects.filter(reference__startswith="BN")
        .order_by("pk")
        .only("pk", "start_date", "end_date")
        .prefetch_related("profile")
    )
    rng = rng or random.Random(70)
    today = date.today()
    measured = measured_award()
    plan = [measured] * max(A_PAGE_AND_MORE, total // 100)
    plan += [bench_awards[i % len(bench_awards)] for i in range(max(0, total - len(plan)))]
    rows = []
    for i, award in enumerate(plan):
        last = min(award.end_date, today)
        paid_on = award.start_date + timedelta(
            days=rng.randrange(0, max(1, (last - award.start_date).days + 1))
        )
        rows.append(
            Payment(
                award=award,
                award_year=award.profile.all()[0],
                amount=D("5"),
                paid_on=paid_on,
                reference=f"BENCH-{i:06d}",
            )
        )
    Payment.objects.bulk_create(rows, batch_size=5000)


MOJ_POTS = {"victim-services": ("moj_core", "moj_general"), "isva-idva": ("moj_isva_idva",)}
# What each accepted return of a service the Ministry's grant pays for reports, for the Ministry of Justice return:
# counts (low, high) and rates (numerator share of a denominator (low, high)).
MOJ_COUNTS = {
    "referrals-received": (20, 400),
    "people-supported": (10, 300),
    "referrals-domestic-abuse": (5, 150),
    "referrals-sexual-violence": (2, 80),
}
MOJ_RATES = {"better-able-to-cope-and-recover": (5, 120), "feel-safer": (5, 120)}


def moj_return(rng=None):
    """The Ministry of Justice grant lines of each bench year, the victim services pots they pay for, and what the
    accepted returns of the services in those pots reported (as the outcome summary accepting them writes)."""
    from funding.models import PotIncome
    from reporting.models import OutcomeAggregate, OutcomeIndicator, QuarterlyReturn

    rng = rng or random.Random(80)
    for start_year in range(FIRST_YEAR, LAST_YEAR + 1):
        year = FinancialYear.objects.get(start_year=start_year)
        pots = {p.key: p for p in Pot.objects.filter(year=year, key__in=MOJ_POTS)}
        lines = [source for key in pots for source in MOJ_POTS[key]]
        IncomeLine.objects.bulk_create(
            [
                IncomeLine(year=year, source=source, amount=D("1000000"))
                for source in lines
                if not IncomeLine.objects.filter(year=year, source=source).exists()
            ]
        )
        PotIncome.objects.bulk_create(
            [
                PotIncome(pot=pot, source=source, amount=D("1000000"))
                for key, pot in pots.items()
                for source in MOJ_POTS[key]
            ],
            ignore_conflicts=True,
        )
    # outcomes() writes the people-supported, referrals and cope-and-recover rows first; these add the rest, once.
    if OutcomeAggregate.objects.filter(
        award__reference__startswith="BN", indicator__key="feel-safer"
    ).exists():
        return  # already built
    indicators = dict(
        OutcomeIndicator.objects.filter(key__in=[*MOJ_COUNTS, *MOJ_RATES]).values_list("key", "pk")
    )
    accepted = QuarterlyReturn.objects.filter(
        status="accepted", award__reference__startswith="BN", award__pot__key__in=MOJ_POTS
    ).values_list("award_id", "quarter_start_year", "quarter")
    rows = []
    for award_id, start_year, quarter in accepted.iterator(chunk_size=5000):
        key = dict(award_id=award_id, quarter_start_year=start_year, quarter=quarter)
        for name, (low, high) in MOJ_COUNTS.items():
            rows.append(
                OutcomeAggregate(
                    indicator_id=indicators[name], value_sum=D(rng.randint(low, high)), n_measures=1, **key
                )
            )
        for name, (low, high) in MOJ_RATES.items():
            asked = rng.randint(low, high)
            rows.append(
                OutcomeAggregate(
                    indicator_id=indicators[name],
                    numerator=D(rng.randint(0, asked)),
                    denominator=D(asked),
                    n_measures=1,
                    **key,
                )
            )
    OutcomeAggregate.objects.bulk_create(rows, batch_size=5000, ignore_conflicts=True)
