"""The demo's commissions at each stage of the cycle outside a tender: a new need, a re-commissioning plan, a single
tender agreement, three written quotes, and contracts let before this system, recorded from the register."""

from datetime import date

from commissioning.demo_helpers import (
    Cast,
    D,
    attach_pdf,
    existing_contract,
    first_of_next_month,
    move,
    org,
    plan,
    record_history,
    understand,
)
from commissioning.models import (
    Commission,
    OutcomeMeasure,
    ReviewDecision,
    Route,
)
from commissioning.services import commissions as commission_services
from commissioning.services import contracts as contract_services
from commissioning.services import decisions as decision_services
from commissioning.services import procurement as procurement_services
from commissioning.services import single_tender as single_tender_services
from funding.models import Award, PaymentScheduleKind, Pot
from opcc.calendar import financial_year_of, quarter_of
from opcc.models import LocalPolicingArea

# Victim services let for some areas only (funding's demo 3+1 contracts): the crime trends count their money there.
AREA_CONTRACTS = [
    (
        "Domestic abuse outreach in North and South Worcestershire",
        "Domestic abuse outreach in North and South",
        ["north-worcestershire", "south-worcestershire"],
        "Repeat domestic abuse was highest in the two Worcestershire areas; the model is tested there first.",
    ),
    (
        "Domestic abuse support in Herefordshire",
        "Domestic abuse support in Herefordshire",
        ["herefordshire"],
        "A rural outreach model for Herefordshire, where victims travel furthest to support.",
    ),
    (
        "IDVA service in Shropshire and Telford",
        "Independent domestic violence advisers (IDVA) in Shropshire",
        ["shropshire", "telford-and-wrekin"],
        "Shropshire and Telford and Wrekin share a MARAC; the advisers sit with it.",
    ),
]


def perpetrator_programme(cast: Cast) -> None:
    """Understand: a new service."""
    officer = cast.officer
    fy = cast.fy
    new = cast.new
    title = "Domestic abuse perpetrator programme"
    c = new(
        title,
        "A behaviour change programme for people who use domestic abuse, with integrated support for "
        "their partners and ex-partners.",
    )
    attach_pdf(c, f"Domestic abuse needs assessment {fy}", "needs_assessment", officer)
    commission_services.update_commission(
        commission=c,
        by=officer,
        values={
            "engagement_evidence": "Survivors' forum (14 women), probation and the councils' domestic abuse boards.",
            "outcomes_sought": "Fewer repeat incidents; partners feel safer; perpetrators complete the programme.",
        },
    )


def victim_advice_line(cast: Cast) -> None:
    """Plan: re-commissioning the Victim Advice Line after its 3+1 contract."""
    officer2 = cast.officer2
    fy = cast.fy
    contracts_start = cast.contracts_start
    new = cast.new
    title = "Victim Advice Line"
    award = Award.objects.get(title__startswith="Victim Advice Line", start_date=contracts_start)
    c = new(
        title,
        "Assessment and referral for every victim of crime in West Mercia, by phone, web chat and email.",
        officer2,
    )
    Commission.objects.filter(pk=c.pk).update(status=Commission.Status.REVIEW)
    c.refresh_from_db()
    contract = existing_contract(
        c, award, pattern="3+1", notice=6, signed=date(fy - 2, 3, 8), route=Route.REGULATED
    )
    record_history(
        c,
        [
            (
                contracts_start,
                "do",
                "review",
                f"Contract {award.reference} signed (3+1) and recorded from the register.",
            )
        ],
        officer2,
    )
    ReviewDecision.objects.create(
        contract=contract,
        decision=ReviewDecision.Decision.RECOMMISSION,
        by=officer2,
        reasons="Demand has moved to web chat and the Victims' Code changed: re-commission "
        "rather than take the +1 year.",
    )
    c = commission_services.transition(
        commission=c, name="recommission", by=officer2, note=f"Re-commissioning for April {fy + 1}."
    )
    c = understand(c, officer2)
    c = move(c, ["start_planning"], officer2)
    commission_services.update_commission(
        commission=c,
        by=officer2,
        values={
            "coverage": "west_mercia",
            "co_design": "Mystery shopping and a service user panel shaped the specification.",
            "estimated_annual_value": D("650000"),
            "estimated_total_value": D("2600000"),
            "light_touch": True,
        },
    )
    commission_services.add_measure(
        commission=c,
        by=officer2,
        name="Victims assessed within 2 working days",
        kind=OutcomeMeasure.Kind.PERCENTAGE,
        quarterly_target=D("90"),
        unit="%",
    )


def modern_slavery_navigator(cast: Cast) -> None:
    """A single tender agreement (continuity of supply), signed off, decided and contracted: now in Review."""
    officer = cast.officer
    head = cast.head
    today = cast.today
    ago = cast.ago
    new = cast.new
    title = "Modern slavery victim navigator"
    c = new(
        title,
        "A navigator who stays with survivors of modern slavery from identification to a safe, settled life.",
    )
    c = plan(
        move(understand(c, officer), ["start_planning"], officer),
        officer,
        annual=D("48000"),
        total=D("96000"),
        measures=[
            ("Survivors supported", OutcomeMeasure.Kind.COUNT, D("12"), "people", ""),
            ("Case studies", OutcomeMeasure.Kind.NARRATIVE, None, "", ""),
        ],
    )
    c = move(c, ["start_procurement"], officer)
    supplier = org("Modern Slavery Response Network (demo)")
    procurement_services.choose_route(
        commission=c,
        route=Route.SINGLE_TENDER,
        by=officer,
        reason="Continuity of supply: survivors already placed with the current provider.",
    )
    single_tender_services.save_single_tender(
        commission=c,
        organisation=supplier,
        ground="b",
        value=D("96000"),
        by=officer,
        justification="Nine survivors are mid-way through support with the navigator; moving "
        "them would break trust built over months and risk re-trafficking.",
    )
    single_tender_services.sign_single_tender(commission=c, by=head)
    decision_services.record_decision(
        commission=c,
        organisation=supplier,
        value=D("96000"),
        by=officer,
        rationale="Single tender agreement signed off; price benchmarked against similar services.",
    )
    # Signed two weeks ago, starting on the first of next month, paid from that year's pot (a contract starting
    # on 1 April lies wholly in next year, the draft year).
    start = first_of_next_month(today)
    contract_services.create_contract(
        commission=c,
        by=officer,
        pot=Pot.objects.get(year__start_year=financial_year_of(start), key="victim-services"),
        annual_value=D("48000"),
        total_value=D("48000"),
        start_date=start,
        initial_term_years=1,
        extension_pattern="1+1",
        break_notice_months=3,
        break_clause="Either party may end the contract by giving three months' written notice.",
        signed_on=ago(14),
        schedule_kind=PaymentScheduleKind.QUARTERLY_ARREARS,
    )
    move(c, ["start_review"], officer)


def stalking_advocacy(cast: Cast) -> None:
    """Review: the stalking advocacy 3+1 contract, ending in March with the current year. Its last date to give
    notice is within the next six months: with three months' notice, 31 December (seeded from July to March); seeded
    from April to June, the contract on record has six months' notice (30 September), so a date is still ahead."""
    officer = cast.officer
    today = cast.today
    fy = cast.fy
    contracts_start = cast.contracts_start
    new = cast.new
    title = "Stalking advocacy service"
    award = Award.objects.get(title="Stalking advocacy service", start_date=contracts_start)
    c = new(title, "Independent stalking advocacy for victims across West Mercia.")
    # Recorded from the register before the plan was: left for an officer to tag (/plan/untagged/).
    c.objectives.clear()
    Commission.objects.filter(pk=c.pk).update(status=Commission.Status.REVIEW)
    c.refresh_from_db()
    notice = 6 if quarter_of(today).number == 1 else 3
    existing_contract(c, award, pattern="3+1", notice=notice, signed=date(fy - 2, 3, 12))
    record_history(
        c,
        [
            (
                contracts_start,
                "do",
                "review",
                f"Contract {award.reference} signed (3+1) and recorded from the register.",
            )
        ],
        officer,
    )


def translated_information(cast: Cast) -> None:
    """Do: three written quotes for translated information leaflets."""
    officer = cast.officer
    ago = cast.ago
    new = cast.new
    title = "Translated information for victims"
    c = new(
        title,
        "Victims' Code information leaflets and web pages in the ten most used community languages.",
    )
    c = plan(
        move(understand(c, officer), ["start_planning"], officer),
        officer,
        annual=D("12000"),
        total=D("12000"),
        measures=[("Leaflets distributed", OutcomeMeasure.Kind.COUNT, D("500"), "leaflets", "")],
    )
    c = move(c, ["start_procurement"], officer)
    procurement_services.choose_route(commission=c, route=Route.THREE_QUOTES, reason="", by=officer)
    for name, amount, days in (
        ("Hate Crime Support Network (demo)", "11400", 30),
        ("Evesham Community Cohesion Forum (demo)", "9850", 28),
        ("Fraud Victim Support West Midlands (demo)", "12600", 27),
    ):
        procurement_services.add_quote(
            commission=c,
            organisation=org(name),
            amount=D(amount),
            received_on=ago(days),
            notes="",
            by=officer,
        )


def area_contract(cast: Cast, *, row: tuple[str, str, list[str], str]) -> None:
    """Review: a victim service for some areas only (one of AREA_CONTRACTS), recorded from the contract register as
    a pilot in those areas."""
    title, award_title, slugs, reason = row
    award = Award.objects.get(title__startswith=award_title, start_date=cast.contracts_start)
    areas = LocalPolicingArea.objects.filter(slug__in=slugs)
    c = cast.new(title, f"{award.title}: a service for {', '.join(a.name for a in areas)}.")
    c.areas.set(areas)
    Commission.objects.filter(pk=c.pk).update(
        status=Commission.Status.REVIEW, coverage="pilot", pilot_reason=reason
    )
    c.refresh_from_db()
    existing_contract(c, award, pattern="3+1", notice=6, signed=date(cast.fy - 2, 3, 10))
    record_history(
        c,
        [
            (
                cast.contracts_start,
                "do",
                "review",
                f"Contract {award.reference} signed (3+1) and recorded from the register.",
            )
        ],
        cast.officer,
    )
