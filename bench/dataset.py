"""Builds a large dataset quickly (bulk inserts): ten financial years of West Mercia at about ten
times its real volume. Each app's part is a function here; `build()` runs them in order."""

import random
from datetime import date, timedelta
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
    Organisation.objects.bulk_create([
        Organisation(name=f"Bench org {i:04d}", org_type=OrganisationType.REGISTERED_CHARITY,
                     charity_number=str(1000000 + i), address_line_1="1 Bench Street", town="Worcester", postcode="WR1 2HG")
        for i in range(existing, n)
    ])
    return list(Organisation.objects.filter(name__startswith="Bench org"))


def funding(*, awards_total=5000, provider_org=None, rng=None):
    rng = rng or random.Random(10)
    template_pots = list(Pot.objects.filter(year__start_year=LAST_YEAR).values("key", "stream", "name", "area_id", "csp_id"))
    orgs = organisations()
    per_year = awards_total // (LAST_YEAR - FIRST_YEAR + 1)
    for start_year in range(FIRST_YEAR, LAST_YEAR + 1):
        year, _ = FinancialYear.objects.get_or_create(start_year=start_year)
        if Award.objects.filter(pot__year=year, reference__startswith="BN").exists():
            continue  # already built: the dataset is reused between runs
        with transaction.atomic():
            IncomeLine.objects.bulk_create([IncomeLine(year=year, source=IncomeSource.HOME_OFFICE, amount=D("400000000"))])
            FinancialYear.objects.filter(pk=year.pk).update(police_budget=D("300000000"), status=FinancialYear.Status.APPROVED)
            pots = Pot.objects.bulk_create([
                Pot(year=year, allocated=D("5000000"), **p) for p in template_pots
            ]) if not Pot.objects.filter(year=year).exists() else list(Pot.objects.filter(year=year))
            awards, profile, lines, payments = [], [], [], []
            for i in range(per_year):
                org = provider_org if (provider_org and i % 100 == 0) else rng.choice(orgs)
                start = date(start_year, 4, 1) + timedelta(days=rng.randrange(0, 120))
                end = date(start_year + 1, 3, 31)
                awards.append(Award(
                    reference=f"BN{start_year % 100:02d}-{i:05d}", organisation=org, pot=rng.choice(pots),
                    kind=rng.choice(["grant", "contract"]), title=f"Bench award {start_year}-{i}", purpose="Bench",
                    start_date=start, end_date=end, amount=D("4000"), schedule_kind="quarterly_arrears",
                    status="completed" if start_year < LAST_YEAR else "active", awarded_on=start,
                ))
            Award.objects.bulk_create(awards, batch_size=1000)
            for award in awards:
                profile.append(AwardYear(award=award, pot=award.pot, amount=award.amount))
            AwardYear.objects.bulk_create(profile, batch_size=1000)
            for award, award_year in zip(awards, profile, strict=True):
                quarters = quarters_between(award.start_date, award.end_date)
                for q in quarters:
                    lines.append(PaymentScheduleLine(
                        award=award, award_year=award_year, due_date=q.end + timedelta(days=30),
                        amount=(award.amount / len(quarters)).quantize(D("0.01")), description=f"{q.short_label} in arrears",
                        quarter_start_year=q.start_year, quarter=q.number))
            PaymentScheduleLine.objects.bulk_create(lines, batch_size=2000)
            for award_year in profile[: len(profile) // 2 if start_year == LAST_YEAR else len(profile)]:
                payments.append(Payment(award=award_year.award, award_year=award_year, amount=D("1000"),
                                        paid_on=date(start_year, 9, 1)))
            Payment.objects.bulk_create(payments, batch_size=2000)


AWARDS, RETURNS, CRIMES = 5000, 60000, 1_000_000


def build(*, provider_org=None, stdout=print, scale: float = 1.0):
    """The whole dataset; `scale` shrinks every volume (0.01: the same shape at a hundredth of the size,
    which bench/run.py uses to show that each page's query count does not grow with the data)."""
    from reporting.models import CrimeRecord, QuarterlyReturn

    rng = random.Random(2026)
    funding(awards_total=max(10, int(AWARDS * scale)), provider_org=provider_org, rng=rng)
    returns(total=int(RETURNS * scale), rng=rng)
    crime(total=int(CRIMES * scale))
    # Fresh statistics after the bulk load, as autovacuum gives a production database after its inserts:
    # without them PostgreSQL plans for the empty tables it last saw.
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    stdout(f"Dataset: {Award.objects.count()} awards, {PaymentScheduleLine.objects.count()} schedule lines, "
           f"{Payment.objects.count()} payments over {FinancialYear.objects.count()} years, "
           f"{QuarterlyReturn.objects.count()} quarterly returns, {CrimeRecord.objects.count()} crime rows.")


def returns(total=60000, rng=None):
    """Quarterly returns for the bench awards: twelve quarters each, the past ones accepted with a RAG."""
    from opcc.calendar import Quarter
    from reporting.models import OutcomeFramework, QuarterlyReturn

    if QuarterlyReturn.objects.count() >= total:
        return  # already built (the demo's own daily job may have made a few for bench awards: conflicts are skipped)
    rng = rng or random.Random(60)
    awards = list(Award.objects.filter(reference__startswith="BN").order_by("pk").only("pk", "start_date"))
    OutcomeFramework.objects.bulk_create([OutcomeFramework(award_id=a.pk, source="template") for a in awards],
                                         batch_size=5000, ignore_conflicts=True)
    per_award = max(1, total // max(1, len(awards)))
    today = date.today()
    rows = []
    for award in awards:
        quarter = Quarter(award.start_date.year if award.start_date.month >= 4 else award.start_date.year - 1,
                          (award.start_date.month - 4) % 12 // 3 + 1)
        for _ in range(per_award):
            due = quarter.end + timedelta(days=30)
            if due < today - timedelta(days=60):
                status, rag = "accepted", rng.choice(["green", "green", "amber", "red"])
            elif due < today:
                status, rag = rng.choice(["submitted", "open", "accepted"]), ""
            else:
                status, rag = ("open" if quarter.end < today else "not_yet_due"), ""
            rows.append(QuarterlyReturn(award_id=award.pk, quarter_start_year=quarter.start_year, quarter=quarter.number,
                                        period_end=quarter.end, due_date=due, status=status, rag=rag if status == "accepted" else ""))
            quarter = quarter.next()
    QuarterlyReturn.objects.bulk_create(rows, batch_size=5000, ignore_conflicts=True)


def crime(total=1_000_000):
    from reporting.models import CrimeRecord

    if CrimeRecord.objects.count() >= total * 0.9:
        return
    from bench.crime_import import fill_to

    fill_to(total)
