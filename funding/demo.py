"""Demo money for West Mercia: the three years before the current one (closed), the current year, a draft next
year and three indicative years after it, the medium-term financial plan (seeded in 2026/27: 2023/24 to 2025/26,
2026/27, a draft 2027/28 and indicative 2028/29 to 2030/31).

Every year and date is relative to the day the demo is seeded: FY is the current financial year, FY-3 to FY are
approved, FY+1 is the draft, FY+2 to FY+4 are indicative. A victim services contract let as 3+1 from next April
commits money in the draft and indicative years. Figures are invented but of the right size for this office: about £366m income,
almost all of it the police budget, and about £6.4m across the four streams. Everything is built through the
same services staff use, so the demo obeys every ledger rule. Idempotent: awards are found by organisation,
title and start date, and a year already approved is left alone.
"""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from funding.models import (
    Award,
    AwardKind,
    FinancialYear,
    IncomeLine,
    IncomeSource,
    PaymentScheduleKind,
    Pot,
    PotIncome,
    Stream,
)
from funding.services import allocation, awards
from opcc.calendar import Quarter, financial_year_of, quarter_of, year_end, year_start
from opcc.demo import demo_email, demo_objectives
from opcc.demo_utils import demo_today, overdue_quarter, sync, year_label
from opcc.models import CommunitySafetyPartnership, LocalPolicingArea, Organisation, User
from opcc.money import ZERO
from opcc.services.transitions import timeline_for

D = Decimal
# Each year's figures as a share of the current year's, by the year's distance from it (FY-3 to FY+1).
SCALE = {
    -3: D("0.91"),
    -2: D("0.94"),
    -1: D("0.97"),
    0: D("1.00"),
    1: D("1.03"),
    2: D("1.05"),
    3: D("1.07"),
    4: D("1.09"),
}
# The medium-term financial plan's years, relative to the current one: indicative until finance drafts them.
INDICATIVE_AHEAD = (2, 3, 4)
# The approved years, relative to the current one: three closed years and the current year.
PAST_AND_CURRENT = (-3, -2, -1, 0)

INCOME = [
    (IncomeSource.HOME_OFFICE, "", D("225000000")),
    (IncomeSource.COUNCIL_TAX, "", D("138400000")),
    (IncomeSource.MOJ_CORE, "", D("1652000")),
    (IncomeSource.MOJ_GENERAL, "", D("312000")),
    (IncomeSource.MOJ_ISVA_IDVA, "", D("874000")),
    (IncomeSource.OTHER_GRANT, "Safer Streets fund", D("480000")),
]

CSP_SHARE = {
    "herefordshire": D("172000"),
    "shropshire": D("285000"),
    "telford-and-wrekin": D("196000"),
    "north-worcestershire": D("262000"),
    "south-worcestershire": D("285000"),
}


def pot_plan():
    """(key, stream, name, area slug, csp slug, the current year's allocation)."""
    plan = [
        ("victim-services", Stream.VICTIM_SERVICES, "Victim services", None, None, D("2000000")),
        (
            "isva-idva",
            Stream.VICTIM_SERVICES,
            "ISVA and IDVA services (ring-fenced)",
            None,
            None,
            D("874000"),
        ),
        ("cgs", Stream.CGS, "Commissioner's Grant Scheme", None, None, D("350000")),
        ("lpcaf-road-safety", Stream.LPCAF, "LPCAF road safety", None, None, D("25000")),
    ]
    for csp in CommunitySafetyPartnership.objects.select_related("area"):
        plan.append(
            (
                f"csp-{csp.slug}",
                Stream.CSP_GRANTS,
                csp.name,
                csp.area.slug,
                csp.slug,
                CSP_SHARE.get(csp.slug, D("200000")),
            )
        )
    for area in LocalPolicingArea.objects.all():
        plan.append((f"lpcaf-{area.slug}", Stream.LPCAF, f"LPCAF {area.name}", area.slug, None, D("20000")))
    return plan


# Which Ministry of Justice grant lines pay for the victim services pots (the Commissioner tops up the first): the
# Ministry of Justice return reports spend against each line from this.
POT_INCOME = {
    "victim-services": [(IncomeSource.MOJ_CORE, D("1652000")), (IncomeSource.MOJ_GENERAL, D("312000"))],
    "isva-idva": [(IncomeSource.MOJ_ISVA_IDVA, D("874000"))],
}


def scaled(amount: D, start_year: int, current_year: int) -> D:
    """The current year's figure as it was (or is planned to be) in another year."""
    return (amount * SCALE[start_year - current_year]).quantize(D("1000"))


# Victim services contracts: (organisation, title, pot key, yearly value in the current year, schedule)
VICTIM_CONTRACTS = [
    (
        "Victim Advice Line Services Ltd (demo)",
        "Victim Advice Line: assessment and referral for all victims",
        "victim-services",
        D("640000"),
        PaymentScheduleKind.QUARTERLY_ARREARS,
    ),
    (
        "Severn Valley Women's Aid (demo)",
        "Domestic abuse outreach in North and South Worcestershire",
        "victim-services",
        D("420000"),
        PaymentScheduleKind.QUARTERLY_ARREARS,
    ),
    (
        "Marches Domestic Abuse Support (demo)",
        "Domestic abuse support in Herefordshire",
        "victim-services",
        D("260000"),
        PaymentScheduleKind.QUARTERLY_ARREARS,
    ),
    (
        "West Mercia Rape and Sexual Abuse Support Centre (demo)",
        "Independent sexual violence advisers (ISVA)",
        "isva-idva",
        D("520000"),
        PaymentScheduleKind.QUARTERLY_ARREARS,
    ),
    (
        "Shropshire Victims First (demo)",
        "Independent domestic violence advisers (IDVA) in Shropshire and Telford",
        "isva-idva",
        D("330000"),
        PaymentScheduleKind.QUARTERLY_ARREARS,
    ),
    (
        "Stalking Advocacy Service Midlands (demo)",
        "Stalking advocacy service",
        "victim-services",
        D("120000"),
        PaymentScheduleKind.QUARTERLY_ARREARS,
    ),
    (
        "Restorative Justice Partners West Mercia (demo)",
        "Restorative justice service",
        "victim-services",
        D("180000"),
        PaymentScheduleKind.QUARTERLY_ARREARS,
    ),
    (
        "CHILD SAFE West Mercia (demo)",
        "Support for children and young people affected by sexual exploitation",
        "victim-services",
        D("210000"),
        PaymentScheduleKind.QUARTERLY_ARREARS,
    ),
]

# Each within its scheme's maximum award (grants/demo.py: CGS £40,000; LPCAF and its road-safety arm £5,000),
# as the published grants are read beside the rounds.
CGS_GRANTS = [
    (
        "Telford Youth Diversion Project (demo)",
        "Early intervention for young people at risk of criminal exploitation",
        D("40000"),
    ),
    ("Wyre Forest Mentoring Trust (demo)", "Mentoring for young people leaving custody", D("32000")),
    (
        "Pathways Substance Misuse Service (demo)",
        "Drug and alcohol outreach in the night-time economy",
        D("38000"),
    ),
    ("Young Minds Matter Worcestershire (demo)", "Mental health support for young victims", D("30000")),
    ("Modern Slavery Response Network (demo)", "Modern slavery awareness and victim support", D("26000")),
    ("Hate Crime Support Network (demo)", "Hate crime third-party reporting centres", D("18000")),
    ("Fraud Victim Support West Midlands (demo)", "Fraud prevention for older people", D("22000")),
    ("Telford Mind (demo)", "Crisis café for people in mental health crisis", D("36000")),
]

LPCAF_IDEAS = [
    ("Neighbourhood Watch signage and starter packs", D("2400")),
    ("Youth football evenings", D("4500")),
    ("Property marking with SmartWater for a village", D("4800")),
    ("Street pastors' training and kit", D("3200")),
    ("Boxing sessions for young people at risk", D("4900")),
    ("Rural crime WhatsApp alerts scheme", D("1800")),
    ("Safer nights taxi marshals", D("3900")),
    ("Community café for older residents", D("2900")),
]
ROAD_SAFETY_IDEAS = [
    ("Community Speed Watch equipment", D("4800")),
    ("Young driver awareness sessions", D("3500")),
    ("Vehicle-activated speed signs", D("5000")),
    ("Motorcycle safety days", D("2800")),
]
AREA_GROUPS = {
    "herefordshire": ["Herefordshire Road Safety Volunteers (demo)", "Ross-on-Wye Safer Nights (demo)"],
    "shropshire": [
        "Oswestry Community Speed Watch (demo)",
        "Ludlow Rural Crime Group (demo)",
        "Whitchurch Youth Cafe (demo)",
    ],
    "telford-and-wrekin": ["Wrekin Housing Safer Homes (demo)", "Telford Youth Diversion Project (demo)"],
    "north-worcestershire": [
        "Redditch Street Pastors (demo)",
        "Bromsgrove Neighbourhood Watch Association (demo)",
        "Redditch Boxing Academy CIC (demo)",
    ],
    "south-worcestershire": [
        "Malvern Hills Good Neighbours (demo)",
        "Evesham Community Cohesion Forum (demo)",
    ],
}


def _pot(start_year, key):
    return Pot.objects.get(year__start_year=start_year, key=key)


def _objective_keys(pot_key: str, title: str, start_year: int, today) -> tuple[str, ...]:
    """The Safer West Mercia Plan objectives a demo award serves, from its pot and title (opcc/demo.py's keys)."""
    if start_year == financial_year_of(today) - 3 and title == VICTIM_CONTRACTS[-1][1]:
        return ()  # recorded from the register before the plan was; left for an officer to tag (/plan/untagged/)
    if "Victim Advice Line" in title:
        return ("victims-advice", "victims-cope")
    if pot_key in ("victim-services", "isva-idva"):
        return ("victims-specialist", "victims-cope")
    if pot_key.startswith("csp-"):
        return ("reassure-csp", "reform-partners")
    if pot_key == "lpcaf-road-safety":
        return ("secure-roads", "reassure-local")
    if pot_key.startswith("lpcaf-"):
        return ("secure-burglary", "reassure-local") if "SmartWater" in title else ("reassure-local",)
    if "young people" in title.lower():
        return ("secure-violence", "reassure-prevention")
    return ("victims-cope", "reform-outcomes")


def _ensure_award(
    *,
    by,
    organisation,
    pot_key,
    start_year,
    kind,
    title,
    purpose,
    start,
    end,
    amount,
    schedule,
    today,
    profile=None,
    match=ZERO,
    match_source="",
):
    existing = Award.objects.filter(organisation=organisation, title=title, start_date=start).first()
    if existing:
        return existing, False
    # Awarded on its start date; one starting later than today (this year's, seeded early in the year) was awarded
    # today, ahead of its start.
    awarded_at = timezone.make_aware(datetime.combine(min(start, today), time(9, 0)))
    awarded_at = min(awarded_at, timezone.now())  # seeded before nine in the morning
    award = awards.create_award(
        organisation=organisation,
        pot=_pot(start_year, pot_key),
        kind=kind,
        title=title,
        purpose=purpose,
        start_date=start,
        end_date=end,
        amount=amount,
        schedule_kind=schedule,
        by=by,
        profile=profile,
        match_funding_amount=match,
        match_funding_source=match_source,
        awarded_on=timezone.localdate(awarded_at),
        activate=True,
        objectives=demo_objectives(*_objective_keys(pot_key, title, start_year, today)),
    )
    timeline_for(award).update(at=awarded_at)
    return award, True


def _pay_due(award, *, finance, today):
    """Pay what was due by today; arrears only for quarters whose return would have been accepted: those before
    the demo's last quarter (reporting's demo shows that quarter's returns still with providers or the office)."""
    last_quarter = overdue_quarter(today)
    for line in award.schedule.all():
        if line.due_date > today:
            continue
        if line.quarter is not None:
            quarter = Quarter(line.quarter_start_year, line.quarter)
            if quarter >= last_quarter:
                continue  # that quarter's return is still with the provider or the office
            awards.release_arrears_payment(
                award=award, start_year=quarter.start_year, quarter=quarter.number, accepted_at=timezone.now()
            )
            line.refresh_from_db()
        awards.record_payment(
            award=award,
            amount=line.amount,
            paid_on=line.due_date,
            by=finance,
            reference=f"AP{award.pk:05d}{line.pk:04d}",
            schedule_line=line,
            invoice_received_on=_invoice_day(award, line),
        )


# Days from a contract invoice's arrival to its payment: most inside the 30-day term, a few late, as in life.
INVOICE_DAYS = (12, 18, 21, 25, 28, 9, 35, 44, 14, 63)


def _invoice_day(award, line):
    """Contract payments have an invoice date (grants here are paid on their schedule, without invoices)."""
    if award.kind != AwardKind.CONTRACT:
        return None
    return line.due_date - timedelta(days=INVOICE_DAYS[line.pk % len(INVOICE_DAYS)])


@transaction.atomic
def load(stdout=None):
    finance = User.objects.get(email=demo_email("finance"))
    pcc = User.objects.get(email=demo_email("pcc"))
    officer = User.objects.get(email=demo_email("officer"))
    today = demo_today()  # the day the demo is (or was first) loaded
    fy = financial_year_of(today)  # the current financial year
    approved_years = [fy + offset for offset in PAST_AND_CURRENT]
    rng = random.Random(2026)
    ahead = [fy + offset for offset in INDICATIVE_AHEAD]
    _budgets((*approved_years, fy + 1, *ahead), fy)
    _pots_income((*approved_years, fy + 1, *ahead), fy)
    _victim_contracts(today=today, officer=officer, fy=fy)
    _contract_from_next_april(today=today, officer=officer, fy=fy)
    for start_year in approved_years:
        _year_awards(start_year, today=today, officer=officer, fy=fy, rng=rng)
    _approve(approved_years, pcc=pcc)
    _pay_and_close(today=today, finance=finance, officer=officer)
    if stdout:
        stdout.write(
            f"Funding: {FinancialYear.objects.count()} years, {Pot.objects.count()} pots, {Award.objects.count()} awards."
        )


def _budgets(years, fy):
    plan = pot_plan()

    def scale(amount, start_year):
        return scaled(amount, start_year, fy)

    for start_year in years:
        year = allocation.ensure_year(
            start_year,
            status=FinancialYear.Status.INDICATIVE if start_year > fy + 1 else FinancialYear.Status.DRAFT,
        )
        if year.is_approved:
            continue
        for source, description, amount in INCOME:
            if source == IncomeSource.OTHER_GRANT and start_year > fy:
                continue  # Safer Streets is not confirmed for next year
            sync(
                IncomeLine,
                {"year": year, "source": source, "description": description},
                {"amount": scale(amount, start_year)},
            )
        for key, stream, name, area_slug, csp_slug, amount in plan:
            sync(
                Pot,
                {"year": year, "key": key},
                {
                    "stream": stream,
                    "name": name,
                    "area": LocalPolicingArea.objects.get(slug=area_slug) if area_slug else None,
                    "csp": CommunitySafetyPartnership.objects.get(slug=csp_slug) if csp_slug else None,
                    "allocated": scale(amount, start_year),
                },
            )
        income = sum(line.amount for line in year.income_lines.all())
        streams = sum(p.allocated for p in year.pots.all())
        sync(
            FinancialYear,
            {"pk": year.pk},
            {"police_budget": income - streams - scale(D("286000"), start_year)},
        )


def _pots_income(years, fy):
    for start_year in years:
        for key, parts in POT_INCOME.items():
            pot = _pot(start_year, key)
            for source, amount in parts:
                amount = min(scaled(amount, start_year, fy), pot.allocated)
                if not PotIncome.objects.filter(pot=pot, source=source, amount=amount).exists():
                    allocation.set_pot_income(pot=pot, source=source, amount=amount)


def _victim_contracts(*, today, officer, fy):
    # Victim services: one-year contracts in FY-3, then 3+1 contracts from April of FY-2 (profiled over three years,
    # so their initial term ends with the current year).
    for name, title, key, value, schedule in VICTIM_CONTRACTS:
        org = Organisation.objects.get(name=name)
        _ensure_award(
            today=today,
            by=officer,
            organisation=org,
            pot_key=key,
            start_year=fy - 3,
            kind=AwardKind.CONTRACT,
            title=title,
            purpose=f"{title}, commissioned West Mercia wide under the Victims' Code.",
            start=year_start(fy - 3),
            end=year_end(fy - 3),
            amount=scaled(value, fy - 3, fy),
            schedule=schedule,
        )
        profile = [awards.ProfileLine(y, scaled(value, y, fy)) for y in (fy - 2, fy - 1, fy)]
        _ensure_award(
            today=today,
            by=officer,
            organisation=org,
            pot_key=key,
            start_year=fy - 2,
            kind=AwardKind.CONTRACT,
            title=title,
            purpose=f"{title}, commissioned West Mercia wide under the Victims' Code. Initial term three years, with the option of one more.",
            start=year_start(fy - 2),
            end=year_end(fy),
            amount=sum(p.amount for p in profile),
            schedule=schedule,
            profile=profile,
        )


# Let as 3+1 from next April: the three years of its initial term fall in the draft year and the plan's indicative
# years, and the option of a fourth year in the last year of the plan.
NEXT_APRIL_CONTRACT = (
    "Stalking Advocacy Service Midlands (demo)",
    "Stalking advocacy service, recommissioned",
    "victim-services",
    D("125000"),
)


def _contract_from_next_april(*, today, officer, fy):
    name, title, key, value = NEXT_APRIL_CONTRACT
    profile = [awards.ProfileLine(y, scaled(value, y, fy)) for y in (fy + 1, fy + 2, fy + 3)]
    _ensure_award(
        today=today,
        by=officer,
        organisation=Organisation.objects.get(name=name),
        pot_key=key,
        start_year=fy + 1,
        kind=AwardKind.CONTRACT,
        title=title,
        purpose=f"{title}: advocacy for victims of stalking West Mercia wide. Initial term three years from "
        f"1 April {fy + 1}, with the option of one more.",
        start=year_start(fy + 1),
        end=year_end(fy + 3),
        amount=sum(p.amount for p in profile),
        schedule=PaymentScheduleKind.QUARTERLY_ARREARS,
        profile=profile,
    )


def _year_awards(start_year, *, today, officer, fy, rng):
    first, last = year_start(start_year), year_end(start_year)
    # CSP grants: each partnership's plan, paid quarterly in arrears.
    for csp in CommunitySafetyPartnership.objects.select_related("organisation"):
        pot = _pot(start_year, f"csp-{csp.slug}")
        _ensure_award(
            today=today,
            by=officer,
            organisation=csp.organisation,
            pot_key=pot.key,
            start_year=start_year,
            kind=AwardKind.GRANT,
            title=f"{csp.name} plan {year_label(start_year)}",
            purpose="Local community safety priorities agreed in the partnership's plan: anti-social behaviour, "
            "domestic abuse awareness, serious violence prevention.",
            start=first,
            end=last,
            amount=(pot.allocated * D("0.92")).quantize(D("100")),
            schedule=PaymentScheduleKind.QUARTERLY_ARREARS,
        )
    # Commissioner's Grant Scheme: a round each year, grants from July.
    # This year's round runs into next year: July to the following June.
    cgs_end = date(start_year + 1, 6, 30) if start_year == fy else last
    for name, title, value in rng.sample(CGS_GRANTS, 7):
        org = Organisation.objects.get(name=name)
        match = (value * D("0.25")).quantize(D("100")) if rng.random() < 0.4 else D("0")
        _ensure_award(
            today=today,
            by=officer,
            organisation=org,
            pot_key="cgs",
            start_year=start_year,
            kind=AwardKind.GRANT,
            title=title,
            purpose=f"{title}. Funded through the Commissioner's Grant Scheme.",
            start=date(start_year, 7, 1),
            end=cgs_end,
            amount=scaled(value, start_year, fy),
            schedule=PaymentScheduleKind.INSTALMENTS,
            match=match,
            match_source="National Lottery Community Fund" if match else "",
        )
    # LPCAF: small local bids, paid in advance; and the road safety arm.
    for area_slug, groups in AREA_GROUPS.items():
        for idea, value in rng.sample(LPCAF_IDEAS, 3):
            org = Organisation.objects.get(name=rng.choice(groups))
            _ensure_award(
                today=today,
                by=officer,
                organisation=org,
                pot_key=f"lpcaf-{area_slug}",
                start_year=start_year,
                kind=AwardKind.GRANT,
                title=idea,
                purpose=f"{idea}, a local project approved by the area's community ambassador and commander.",
                start=date(start_year, rng.choice((5, 6, 9, 10)), 1),
                end=last,
                amount=value,
                schedule=PaymentScheduleKind.IN_ADVANCE,
            )
    for idea, value in ROAD_SAFETY_IDEAS:
        org = Organisation.objects.get(
            name=rng.choice(
                [
                    "Oswestry Community Speed Watch (demo)",
                    "Herefordshire Road Safety Volunteers (demo)",
                    "Ludlow Rural Crime Group (demo)",
                ]
            )
        )
        _ensure_award(
            today=today,
            by=officer,
            organisation=org,
            pot_key="lpcaf-road-safety",
            start_year=start_year,
            kind=AwardKind.GRANT,
            title=idea,
            purpose=f"{idea}: road safety in the communities that asked for it.",
            start=date(start_year, 6, 1),
            end=last,
            amount=value,
            schedule=PaymentScheduleKind.IN_ADVANCE,
        )


def _approve(approved_years, *, pcc):
    for start_year in approved_years:
        year = FinancialYear.objects.get(start_year=start_year)
        if not year.is_approved:
            allocation.approve(
                year=year, by=pcc, note="Approved at the Police and Crime Panel budget meeting."
            )
            # The demo's history should read like a real year: the budget is set in February.
            approved_at = timezone.make_aware(datetime(start_year, 2, 12, 14, 30))
            FinancialYear.objects.filter(pk=year.pk).update(approved_at=approved_at)
            timeline_for(year).update(at=approved_at)


def _pay_and_close(*, today, finance, officer):
    # Payments up to today, then close what has ended and reported on every quarter: an award whose last quarters'
    # returns are still to come (seeded early in a year, last year's awards) stays active until they are in.
    last_quarter = overdue_quarter(today)
    for award in Award.objects.filter(status=Award.Status.ACTIVE, payments__isnull=True).prefetch_related(
        "schedule"
    ):
        _pay_due(award, finance=finance, today=today)
        # A grant is completed when its final report is accepted (monitoring's demo closes those).
        if (
            award.kind == AwardKind.CONTRACT
            and award.end_date < today
            and quarter_of(award.end_date) < last_quarter
        ):
            awards.change_status(
                award=award, transition="complete", by=officer, note="Delivered; final return received."
            )
            timeline_for(award).filter(to_state="completed").update(
                at=timezone.make_aware(datetime.combine(award.end_date, time(16, 0)))
            )
