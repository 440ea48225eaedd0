"""Grants demo data: this year's rounds, applications in every state, LPCAF bids waiting in each area,
a CSP's plan, and one offer accepted with its stored letter. Plainly labelled demo, idempotent.

Everything is made through the services (so timelines, awards and documents are real); each thing is
found by its natural key first, so a second run writes nothing.

Every date is relative to the day the demo is seeded, and every round is open that day (its applications are
submitted through the same checks a provider meets). Seeded on 2 December 2026: the CGS round opened on 2 November
(30 days before) and closes on 18 December (16 days after); the LPCAF rounds run from 1 April to 26 February; the
CSP round for the next quarter's plans opened with this quarter (1 October) and closes four weeks into the next
(29 January); projects run from 4 January (33 days on) to the year end; the offer is to be accepted by 23 December.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from funding.models import FinancialYear, Pot
from grants import defaults
from grants.models import Application, Criterion, Round, Scheme, SchemeKind
from grants.services import applications as application_services
from grants.services import assessment as assessment_services
from grants.services import decisions as decision_services
from grants.services import offers as offer_services
from opcc.calendar import Quarter, financial_year_of, quarter_of, year_end, year_start
from opcc.demo import demo_email, demo_objectives
from opcc.demo_utils import CGS_ROUND_OPENED_DAYS_BEFORE, demo_today, year_label
from opcc.models import CommunitySafetyPartnership, LocalPolicingArea, Organisation, User

D = Decimal


@dataclass(frozen=True)
class DemoDates:
    """The grants demo's dates, from the day it is seeded."""

    today: date

    @property
    def year(self) -> int:
        """The financial year of the CGS and LPCAF rounds: the year the projects start in. From late February the
        current year's LPCAF rounds have closed and projects could only start next year, so the rounds are next
        year's (a draft year's pots: offers then commit from next year's allocation)."""
        return financial_year_of(self.today + timedelta(days=35))

    @property
    def project_start(self) -> date:
        return max(self.today + timedelta(days=33), year_start(self.year))

    @property
    def project_end(self) -> date:
        return year_end(self.year)

    @property
    def accept_by(self) -> date:
        return self.today + timedelta(days=21)

    @property
    def csp_quarter(self) -> Quarter:
        """The quarter the partnerships' in-year plans are for: the next one."""
        return quarter_of(self.today).next()


def dates() -> DemoDates:
    """The dates of the demo as loaded today, or as it was first loaded (opcc.demo_utils.demo_today)."""
    return DemoDates(demo_today())


def _at(day: date, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _user(local):
    return User.objects.get(email=demo_email(local))


def _round(
    kind,
    name,
    *,
    year,
    summary,
    eligibility,
    priorities,
    max_award,
    pot_key=None,
    opens,
    closes,
    criteria,
    objectives=(),
):
    """objectives: the Safer West Mercia Plan objectives the round serves (opcc/demo.py's keys)."""
    existing = Round.objects.filter(name=name).first()
    if existing:
        return existing
    year = FinancialYear.objects.get(start_year=year)
    round_ = Round.objects.create(
        scheme=Scheme.objects.get(kind=kind),
        year=year,
        name=name,
        summary=summary,
        eligibility=eligibility,
        priorities=priorities,
        opens_at=_at(opens),
        closes_at=_at(closes, 12),
        max_award=D(max_award),
        pot=Pot.objects.get(year=year, key=pot_key) if pot_key else None,
        decisions_by=closes + timedelta(weeks=6),
    )  # what applicants are told when they submit
    Criterion.objects.bulk_create(
        [
            Criterion(round=round_, name=n, kind=k, weight=w, position=i)
            for i, (n, k, w) in enumerate(criteria)
        ]
    )
    round_.objectives.set(demo_objectives(*objectives))
    return round_


def _application(
    round_,
    local,
    organisation_name,
    *,
    title,
    amount,
    state,
    area=None,
    summary,
    need,
    outcomes,
    prevention=True,
    match=None,
    match_source="",
    projects=(),
    needs_check="",
    start=None,
    end=None,
):
    match = D("0") if match is None else match
    organisation = Organisation.objects.get(name=organisation_name)
    existing = Application.objects.filter(round=round_, organisation=organisation, title=title).first()
    if existing:
        return existing
    provider = _user(local)
    officer, head = _user("officer"), _user("head")
    when = dates()
    start, end = start or when.project_start, end or when.project_end
    application = application_services.start_application(
        round_=round_, organisation=organisation, by=provider
    )
    application = application_services.save_section(
        application=application,
        by=provider,
        values=dict(
            title=title,
            summary=summary,
            area=area,
            start_date=start,
            end_date=end,
            need=need,
            outcomes=outcomes,
            prevention=prevention,
            amount_requested=D(amount),
            budget="Staff time, volunteer expenses, venue hire and materials (demo).",
            match_funding_amount=match,
            match_funding_source=match_source,
        ),
    )
    for project_title, cost, priority in projects:
        application_services.add_project(
            application=application,
            by=provider,
            title=project_title,
            amount=D(cost),
            priority=priority,
            description=f"{project_title} across South Worcestershire (demo).",
        )
    if projects:
        application = application_services.mark_section_done(
            application=application, by=provider, slug="plan"
        )
    from django.core.files.uploadedfile import SimpleUploadedFile

    application_services.add_attachment(
        application=application,
        by=provider,
        title="Budget breakdown",
        uploaded=SimpleUploadedFile("budget.csv", f"Item,Cost\nProject costs,{amount}\n".encode()),
    )
    application = application_services.mark_section_done(
        application=application, by=provider, slug="attachments"
    )
    if state == "draft":
        return application
    application = application_services.submit(
        application=application, by=provider, confirmed=True, name=provider.full_name, role=provider.job_title
    )
    if state == "submitted" or round_.scheme.decided_by_area or round_.scheme.is_csp:
        return application
    application = assessment_services.start_assessment(
        application=application, by=officer, note="Picked up for assessment"
    )
    if state == "more_information":
        return assessment_services.request_information(
            application=application,
            by=officer,
            note="Please send your latest safeguarding policy and say how referrals will reach you.",
        )
    assessment_services.declare_conflict(application=application, by=officer, conflict=False, details="")
    assessment_services.save_scores(
        application=application,
        by=officer,
        scores={c.pk: (4 if c.kind == "quality" else 3, "Demo score") for c in round_.criteria.all()},
    )
    assessment_services.save_assessment(
        application=application,
        by=officer,
        values={
            "eligible": True,
            "eligibility_notes": "An eligible organisation working in West Mercia.",
            "needs_assessment": needs_check or f"Fits the needs assessment for {title.lower()}.",
            "meets_priorities": True,
            "match_funding_confirmed": True if match else None,
            "prevention": prevention,
            "recommendation": "approve",
            "recommended_amount": None,
            "recommendation_notes": "Good outcomes for the cost; fills a gap in provision.",
        },
    )
    if state == "in_assessment":
        return application
    decider = officer if D(amount) <= 25000 else head
    application = decision_services.decide(
        application=application,
        by=decider,
        decision="approve",
        note="Approved: strong outcomes and good value for money.",
    )
    if state == "approved":
        return application
    # The letter is signed by whoever decided the grant, by name and role.
    application = offer_services.make_offer(
        application=application,
        by=officer,
        start_date=start,
        end_date=end,
        schedule_kind="in_advance",
        accept_by=when.accept_by,
        signatory_name=decider.full_name,
        signatory_role=decider.job_title or decider.role_label,
        conditions="Tell the office within a month if the project's lead changes.",
        outcomes="Households made safer",
    )
    if state == "offered":
        return application
    return offer_services.accept_offer(
        application=application, by=provider, name=provider.full_name, role=provider.job_title, confirmed=True
    )


@transaction.atomic
def load(stdout=None):
    defaults.ensure()
    when = dates()
    today, year = when.today, when.year
    label = year_label(year)
    # The LPCAF rounds opened with their year (or yesterday, when that is still to come) and close on 26 February.
    lpcaf_opens, lpcaf_closes = min(year_start(year), today - timedelta(days=1)), date(year + 1, 2, 26)
    csp_quarter = when.csp_quarter
    csp_label = year_label(csp_quarter.start_year)
    cgs = _round(
        SchemeKind.CGS,
        f"Commissioner's Grant Scheme {label} (demo)",
        year=year,
        summary="Projects that help victims cope and recover, and reduce offending and reoffending, across West Mercia.",
        eligibility="Registered charities, CIOs, community interest companies and public bodies working in West Mercia.",
        priorities="Domestic abuse and sexual violence\nServing and preventing serious violence\nVictims with complex needs",
        max_award="40000",
        pot_key="cgs",
        opens=today - timedelta(days=CGS_ROUND_OPENED_DAYS_BEFORE),
        closes=today + timedelta(days=16),
        criteria=[
            ("Quality of the outcomes proposed", "quality", 50),
            ("Evidence of need and fit with priorities", "quality", 20),
            ("Cost and value for money", "cost", 30),
        ],
        objectives=("victims-cope", "secure-violence", "reform-outcomes"),
    )
    lpcaf = _round(
        SchemeKind.LPCAF,
        f"Local Policing and Community Ambassador's Fund {label} (demo)",
        year=year,
        summary="Small local projects that make a community safer, decided by the area's community ambassador and commander.",
        eligibility="Community groups, charities and parish councils in the area the bid is for.",
        priorities="Anti-social behaviour\nRural crime\nYoung people",
        max_award="5000",
        opens=lpcaf_opens,
        closes=lpcaf_closes,
        criteria=[("Benefit to the community", "quality", 70), ("Cost", "cost", 30)],
        objectives=("reassure-local", "reassure-prevention"),
    )
    road = _round(
        SchemeKind.LPCAF_ROAD_SAFETY,
        f"LPCAF road safety {label} (demo)",
        year=year,
        summary="Local road safety initiatives.",
        eligibility="Community Speed Watch groups and community groups.",
        priorities="Speeding in villages\nYoung drivers",
        max_award="5000",
        pot_key="lpcaf-road-safety",
        opens=lpcaf_opens,
        closes=lpcaf_closes,
        criteria=[("Road safety benefit", "quality", 70), ("Cost", "cost", 30)],
        objectives=("secure-roads", "reassure-local"),
    )
    csp = _round(
        SchemeKind.CSP,
        f"Community Safety Partnership grants {csp_label}: in-year plans (demo)",
        year=csp_quarter.start_year,
        summary=f"Each partnership's plan for the rest of its {csp_label} allocation.",
        eligibility="West Mercia's five community safety partnerships.",
        priorities="",
        max_award="40000",
        opens=min(quarter_of(today).start, today - timedelta(days=1)),
        closes=csp_quarter.start + timedelta(days=28),
        criteria=[("Fit with the partnership's priorities", "quality", 70), ("Cost", "cost", 30)],
        objectives=("reassure-csp", "reform-partners"),
    )

    # Each application's texts are its own: the summary, need and outcomes describe the project in its title.
    _application(
        cgs,
        "provider.marches",
        "Marches Domestic Abuse Support (demo)",
        title="Safe at home: sanctuary scheme",
        amount="18500",
        state="accepted",
        summary="Sanctuary and target-hardening for victims of domestic abuse, with follow-up support (demo).",
        need="Repeat domestic abuse incidents are highest in this area in the needs assessment.",
        outcomes="Victims feel safer at home; fewer repeat incidents; measured at 3 months.",
        needs_check="Matches the domestic abuse needs assessment: highest repeat victimisation in this area.",
    )
    _application(
        cgs,
        "provider",
        "Severn Valley Women's Aid (demo)",
        title="Children and young people's DA recovery groups",
        amount="24000",
        state="offered",
        match=D("6000"),
        match_source="National Lottery Community Fund",
        summary="Ten-week recovery groups for children and young people who have lived with domestic abuse, "
        "run in schools and family centres (demo).",
        need="Children are present at a third of domestic abuse incidents attended in this area; the waiting list "
        "for one-to-one support is over four months.",
        outcomes="Children report feeling safer and better able to talk about what happened; measured at the start "
        "and end of each group.",
        needs_check="Matches the needs assessment's gap in support for children affected by domestic abuse.",
    )
    _application(
        cgs,
        "provider.telford",
        "Telford Youth Diversion Project (demo)",
        title="Knife crime diversion mentoring",
        amount="32000",
        state="in_assessment",
        summary="One-to-one mentoring for young people at risk of carrying knives (demo).",
        need="Serious violence strategic needs assessment: Telford hotspots.",
        outcomes="Fewer young people reoffending.",
        needs_check="Matches the serious violence needs assessment: knife crime hotspots in Telford.",
    )
    _application(
        cgs,
        "provider",
        "Severn Valley Women's Aid (demo)",
        title="Outreach in rural Wychavon",
        amount="15000",
        state="submitted",
        summary="An outreach worker holding drop-in sessions in village halls and GP surgeries across rural "
        "Wychavon, for victims of domestic abuse who cannot reach services in town (demo).",
        need="Domestic abuse in rural Wychavon is under-reported: few referrals come from villages, and there "
        "is little public transport to services in Evesham and Pershore.",
        outcomes="More referrals from rural areas; victims supported closer to home; measured each quarter.",
    )
    _application(
        cgs,
        "provider.marches",
        "Marches Domestic Abuse Support (demo)",
        title="Stalking advocacy pilot",
        amount="12000",
        state="more_information",
        summary="A specialist stalking advocate for victims in Herefordshire and Shropshire, working with the "
        "police on protection orders (demo).",
        need="Stalking reports have risen, and victims wait months for specialist advice in this area.",
        outcomes="Victims feel safer; more stalking protection orders applied for; measured at case closure.",
    )
    _application(
        cgs,
        "provider.telford",
        "Telford Youth Diversion Project (demo)",
        title="Detached youth work evenings",
        amount="9000",
        state="draft",
        summary="",
        need="",
        outcomes="",
    )

    bids = [
        (
            "herefordshire",
            "provider.marches",
            "Marches Domestic Abuse Support (demo)",
            "Community drop-in at Leominster market",
            "1800",
            "A monthly stall at Leominster market where people can talk to a support worker about domestic abuse.",
            "Victims in market towns rarely come forward: the nearest service is in Hereford.",
            "More people asking for help; victims reached earlier; counted at each market day.",
        ),
        (
            "shropshire",
            "provider.speedwatch",
            "Oswestry Community Speed Watch (demo)",
            "Rural crime watch signs and training",
            "1200",
            "Rural crime watch signs for farm gateways and training for volunteers in spotting and reporting rural crime.",
            "Thefts of farm machinery and fuel raised by residents at the local policing priorities meeting.",
            "Fewer farm thefts; more reports of suspicious vehicles to the police.",
        ),
        (
            "telford-and-wrekin",
            "provider.telford",
            "Telford Youth Diversion Project (demo)",
            "Friday night football in Brookside",
            "2400",
            "Free coached football on Friday evenings at Brookside, with youth workers on hand.",
            "Anti-social behaviour by young people on Friday nights raised by residents at the local policing priorities meeting.",
            "Fewer reports of anti-social behaviour in Brookside on Friday nights; young people attending each week.",
        ),
        (
            "north-worcestershire",
            "provider",
            "Severn Valley Women's Aid (demo)",
            "Safe spaces in Kidderminster pharmacies",
            "1500",
            "Training for pharmacy staff in Kidderminster so victims of domestic abuse can ask for help in a consultation room.",
            "Victims say they cannot ask for help at home or by phone without being overheard.",
            "Pharmacies trained and taking part; victims referred on from pharmacies each quarter.",
        ),
        (
            "south-worcestershire",
            "provider",
            "Severn Valley Women's Aid (demo)",
            "Evesham nightlife welfare volunteers",
            "2000",
            "Trained volunteers helping vulnerable people in Evesham town centre on Friday and Saturday nights.",
            "Violence and vulnerability in the night-time economy raised by residents and licensees.",
            "Fewer assaults and people left vulnerable in the town centre at night; people helped home safely.",
        ),
    ]
    for slug, local, org, title, amount, summary, need, outcomes in bids:
        _application(
            lpcaf,
            local,
            org,
            title=title,
            amount=amount,
            state="submitted",
            area=LocalPolicingArea.objects.get(slug=slug),
            summary=f"{summary} (demo)",
            need=need,
            outcomes=outcomes,
        )
    _application(
        road,
        "provider.speedwatch",
        "Oswestry Community Speed Watch (demo)",
        title="Speed Watch kit for Whittington",
        amount="950",
        state="submitted",
        area=LocalPolicingArea.objects.get(slug="shropshire"),
        summary="A speed detection device and hi-vis kit for a new Speed Watch group (demo).",
        need="Residents' complaints of speeding through the village.",
        outcomes="Fewer vehicles speeding.",
    )
    partnership = CommunitySafetyPartnership.objects.get(slug="south-worcestershire")
    _application(
        csp,
        "provider.csp",
        partnership.organisation.name,
        title=f"South Worcestershire plan, {csp_quarter.short_label}",
        amount="18000",
        state="submitted",
        start=max(when.project_start, csp_quarter.start),
        end=csp_quarter.end,
        summary="The partnership's plan for the rest of its allocation (demo).",
        need="The partnership's strategic assessment: ASB in Worcester city centre, rural crime, domestic abuse.",
        outcomes="Fewer ASB reports in the city centre; more domestic abuse referrals from rural areas.",
        projects=[
            ("Worcester city centre ASB patrols", "8000", "Anti-social behaviour"),
            ("Rural domestic abuse awareness roadshow", "6000", "Domestic abuse"),
            ("Farm watch equipment", "4000", "Rural crime"),
        ],
    )
    if stdout:
        stdout.write(f"Grants: {Round.objects.count()} rounds, {Application.objects.count()} applications.")
