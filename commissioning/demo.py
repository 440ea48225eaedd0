"""Demo commissions at every stage of the cycle, built through the same services staff use.

Idempotent: each commission is found by its title and left alone once it exists. Money comes from
pots with room: the signed single tender contract from the current year's victim services pot (about
£170k left) and next year's (a draft year, all headroom); the Review and re-commission examples are the
funding demo's existing 3+1 victim services contracts (from April of FY-2, ending with the current year),
recorded as contracts let before this system.

Every date is relative to the day the demo is seeded (seeded on 2 December 2026: the tender published on
1 September and closed on 15 October, the single tender contract signed on 18 November and starting on
1 January, the quotes received in early November).
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from commissioning import demo_act
from commissioning.models import (
    Commission,
    Contract,
    NoticeKind,
    OutcomeMeasure,
    Procurement,
    ReviewDecision,
    Route,
)
from commissioning.services import commissions as commission_services
from commissioning.services import contracts as contract_services
from commissioning.services import decisions as decision_services
from commissioning.services import evaluation as evaluation_services
from commissioning.services import notices as notice_services
from commissioning.services import procurement as procurement_services
from commissioning.services import single_tender as single_tender_services
from commissioning.services import tenders as tender_services
from funding.models import Award, PaymentScheduleKind, Pot, Stream
from opcc.calendar import financial_year_of, quarter_of, year_start
from opcc.demo import demo_email, demo_objectives
from opcc.demo_assurance import clear_demo_organisation
from opcc.demo_utils import demo_today
from opcc.models import LocalPolicingArea, Organisation, User
from opcc.services.documents import PDF, store_bytes
from opcc.services.transitions import record_transition

D = Decimal
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _org(name):
    return Organisation.objects.get(name=name)


def _doc(obj, title, purpose, by):
    store_bytes(
        data=DEMO_PDF,
        kind=PDF,
        original_name=f"{title.lower().replace(' ', '-')}.pdf",
        attached_to=obj,
        by=by,
        purpose=purpose,
        title=title,
    )


def _first_of_next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _understand(c, by, **extra):
    fy = financial_year_of(demo_today())
    _doc(c, f"{c.title}: needs assessment {fy}", "needs_assessment", by)
    values = {
        "engagement_evidence": "Survey of 212 service users; two partner workshops (councils, health, probation); "
        "the Victims' Board.",
        "outcomes_sought": "Victims are better able to cope and recover; fewer repeat referrals.",
        "existing_provision": "Checked the live awards listed: no service covers this need across West Mercia; the "
        "outreach contracts refer into it rather than duplicate it.",
        "partners_direction": f"Both county councils' domestic abuse strategies {fy - 1}-{str(fy + 2)[-2:]} and the ICB's "
        "trauma-informed plan.",
        "co_dependencies": "Referrals from the Victim Advice Line, IDVAs, MARAC and children's services.",
        "pooled_budget": f"Worcestershire County Council could pool from {fy + 1}; agreed to revisit at the next review.",
    }
    values.update(extra)
    return commission_services.update_commission(commission=c, values=values, by=by)


def _plan(c, by, *, annual, total, measures=None):
    c = commission_services.update_commission(
        commission=c,
        by=by,
        values={
            "coverage": "west_mercia",
            "co_commissioning": "No partner can pool money this year; the councils fund "
            "related support directly.",
            "co_design": "Co-designed with a panel of eight service users and the providers' forum.",
            "pin_where": "Blue Light e-tendering portal",
            "pin_published_on": demo_today() - timedelta(days=204),
            "pin_reference": f"PIN-{c.reference}",
            "estimated_annual_value": annual,
            "estimated_total_value": total,
        },
    )
    for name, kind, target, unit, star in measures or [
        ("Referrals received", OutcomeMeasure.Kind.COUNT, D("45"), "referrals", ""),
        ("Service users better able to cope and recover", OutcomeMeasure.Kind.PERCENTAGE, D("80"), "%", ""),
        ("Outcomes Star: progress", OutcomeMeasure.Kind.STAR, D("1"), "points", "Empowerment Star"),
    ]:
        commission_services.add_measure(
            commission=c, by=by, name=name, kind=kind, quarterly_target=target, unit=unit, star_name=star
        )
    return c


def _move(c, names, by):
    for name in names:
        c = commission_services.transition(commission=c, name=name, by=by, note="")
    return c


def _existing_contract(c, award, *, pattern, notice, signed, route=Route.TENDER):
    """A contract let before this system: its award already exists in funding."""
    procurement = Procurement.objects.create(
        commission=c,
        cycle=1,
        route=route,
        required_route=route,
        value=award.amount,
        route_reason="Let before this system; recorded from the contract register.",
    )
    years = int(pattern.split("+")[0])
    return Contract.objects.create(
        procurement=procurement,
        award=award,
        organisation=award.organisation,
        annual_value=(award.amount / years).quantize(D("1")),
        total_value=award.amount,
        start_date=award.start_date,
        initial_term_years=years,
        extension_pattern=pattern,
        break_notice_months=notice,
        signed_on=signed,
    )


def _history(c, steps, by):
    """Timeline entries for a commission recorded part way through its cycle."""
    for day, source, target, note in steps:
        entry = record_transition(
            c, transition="recorded", from_state=source, to_state=target, by=by, note=note
        )
        entry.at = timezone.make_aware(datetime.combine(day, time(10, 0)))
        entry.save(update_fields=["at"])


# The Safer West Mercia Plan objectives each demo commission serves (opcc/demo.py's keys).
COMMISSION_OBJECTIVES = {
    "Domestic abuse perpetrator programme": ("victims-specialist", "secure-violence"),
    "Victim Advice Line": ("victims-advice", "victims-cope"),
    "ISVA service for children and young people": ("victims-specialist", "secure-violence"),
    "Modern slavery victim navigator": ("victims-cope", "reform-partners"),
    "Stalking advocacy service": ("victims-specialist", "victims-cope"),  # then left untagged: see load()
    "Translated information for victims": ("victims-advice", "reform-outcomes"),
    "Domestic abuse outreach in North and South Worcestershire": ("victims-specialist", "victims-cope"),
    "Domestic abuse support in Herefordshire": ("victims-specialist", "victims-cope"),
    "IDVA service in Shropshire and Telford": ("victims-specialist", "secure-violence"),
    "Sexual violence support hub": ("victims-specialist", "victims-cope"),
    "Victims' information website and referral portal": ("victims-advice", "reform-partners"),
}

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


@transaction.atomic
def load(stdout=None):
    officer = User.objects.get(email=demo_email("officer"))
    officer2 = User.objects.get(email=demo_email("officer2"))
    head = User.objects.get(email=demo_email("head"))
    evaluator = User.objects.get(email=demo_email("evaluator"))
    evaluator2 = User.objects.get(email=demo_email("evaluator2"))
    existing = set(Commission.objects.values_list("title", flat=True))
    today = demo_today()  # the day the demo is (or was first) loaded
    fy = financial_year_of(today)
    contracts_start = year_start(
        fy - 2
    )  # the funding demo's 3+1 victim services contracts, ending with this year

    def ago(days):
        return today - timedelta(days=days)

    def new(title, summary, by=officer):
        return commission_services.create_commission(
            title=title,
            summary=summary,
            stream=Stream.VICTIM_SERVICES,
            officer=by,
            by=by,
            objectives=demo_objectives(*COMMISSION_OBJECTIVES[title]),
        )

    # 1. Understand: a new service.
    title = "Domestic abuse perpetrator programme"
    if title not in existing:
        c = new(
            title,
            "A behaviour change programme for people who use domestic abuse, with integrated support for "
            "their partners and ex-partners.",
        )
        _doc(c, f"Domestic abuse needs assessment {fy}", "needs_assessment", officer)
        commission_services.update_commission(
            commission=c,
            by=officer,
            values={
                "engagement_evidence": "Survivors' forum (14 women), probation and the councils' domestic abuse boards.",
                "outcomes_sought": "Fewer repeat incidents; partners feel safer; perpetrators complete the programme.",
            },
        )

    # 2. Plan: re-commissioning the Victim Advice Line after its 3+1 contract.
    title = "Victim Advice Line"
    if title not in existing:
        award = Award.objects.get(title__startswith="Victim Advice Line", start_date=contracts_start)
        c = new(
            title,
            "Assessment and referral for every victim of crime in West Mercia, by phone, web chat and email.",
            officer2,
        )
        Commission.objects.filter(pk=c.pk).update(status=Commission.Status.REVIEW)
        c.refresh_from_db()
        contract = _existing_contract(
            c, award, pattern="3+1", notice=6, signed=date(fy - 2, 3, 8), route=Route.REGULATED
        )
        _history(
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
        c = _understand(c, officer2)
        c = _move(c, ["start_planning"], officer2)
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

    # 3. Do: a competitive tender for an ISVA service, with bids and the panel's scores.
    title = "ISVA service for children and young people"
    if title not in existing:
        c = new(
            title,
            "Independent sexual violence advisers for children and young people under 18, West Mercia wide.",
        )
        c = _plan(
            _move(_understand(c, officer), ["start_planning"], officer),
            officer,
            annual=D("60000"),
            total=D("180000"),
        )
        c = _move(c, ["start_procurement"], officer)
        procurement_services.choose_route(commission=c, route=Route.TENDER, reason="", by=officer)
        published = ago(92)
        tender_services.save_tender(
            commission=c,
            by=officer,
            funding_envelope=D("180000"),
            quality_weight=70,
            price_weight=30,
            portal_reference=f"BLC-WMPCC-{published.year}-031",
            published_on=published,
            clarification_deadline=ago(71),
            closes_on=ago(48),
            market_engagement_on=ago(141),
            market_engagement_notes="Six providers attended; they asked for a 3+1 term.",
        )
        tender_services.set_criteria(
            commission=c,
            by=officer,
            rows=[
                ("Service model and safeguarding", 40, "Trauma-informed, child-centred, clear safeguarding"),
                (
                    "Partnership and referral pathways",
                    30,
                    "Works with SARCs, schools, CAMHS and children's services",
                ),
                ("Outcomes and evaluation", 20, "Realistic targets and how they are evidenced"),
                ("Social value", 10, "Local employment, volunteering, training"),
            ],
        )
        bids = []
        for name, price, days in (
            ("West Mercia Rape and Sexual Abuse Support Centre (demo)", "172500", 50),
            ("CHILD SAFE West Mercia (demo)", "164000", 49),
            ("Shropshire Victims First (demo)", "179900", 48),
        ):
            bid = tender_services.record_bid(
                commission=c,
                organisation=_org(name),
                price=D(price),
                received_on=ago(days),
                summary="Submitted through the portal.",
                by=officer,
            )
            _doc(bid, f"Bid from {name}", "bid", officer)
            bids.append(bid)
        tender = bids[0].tender
        for person in (evaluator, evaluator2):
            evaluation_services.add_panel_member(commission=c, user=person, by=officer)
        evaluation_services.declare(
            tender=tender, user=evaluator, answers={b.pk: False for b in bids}, details={}
        )
        evaluation_services.declare(
            tender=tender,
            user=evaluator2,
            answers={bids[0].pk: False, bids[1].pk: False, bids[2].pk: True},
            details={bids[2].pk: "My partner is a trustee of Shropshire Victims First."},
        )
        criteria = list(tender.criteria.all())
        marks = {
            evaluator: [(4, 4, 3, 3), (4, 3, 4, 4), (3, 3, 3, 2)],
            evaluator2: [(4, 3, 3, 3), (5, 4, 3, 4), None],
        }
        for person, rows in marks.items():
            for bid, row in zip(bids, rows, strict=True):
                if row is None:
                    continue
                evaluation_services.score_bid(
                    bid=bid,
                    user=person,
                    scores={
                        cr.pk: (
                            s,
                            f"Scored against the published guidance: {cr.guidance[:1].lower()}{cr.guidance[1:]}.",
                        )
                        for cr, s in zip(criteria, row, strict=True)
                    },
                )
        # A fourth bid came two days after the closing date, over the envelope: recorded as late, out of the
        # evaluation until the panel decides.
        tender_services.record_bid(
            commission=c,
            organisation=_org("Young Minds Matter Worcestershire (demo)"),
            price=D("186500"),
            received_on=ago(46),
            by=officer,
            summary="Emailed two days after the closing date: the bidder says the portal refused the upload.",
        )
        demo_act.import_debarment_list(head=head, today=today)
        demo_act.assess_and_check(c, officer=officer, today=today)

    # 3b. Do, above threshold: a regulated tender under the Procurement Act. Its planned procurement and market
    # engagement notices are published on Find a Tender; the tender notice is due in five days. (The ISVA tender's
    # below-threshold tender notice above was never recorded: it shows as overdue.)
    title = "Sexual violence support hub"
    if title not in existing:
        c = new(
            title,
            "One front door for adult survivors of rape and sexual abuse: ISVAs, counselling and peer support, "
            "West Mercia wide.",
        )
        c = _move(_understand(c, officer), ["start_planning"], officer)
        commission_services.update_commission(commission=c, by=officer, values={"light_touch": True})
        c = _plan(c, officer, annual=D("240000"), total=D("960000"))
        c = _move(c, ["start_procurement"], officer)
        procurement = procurement_services.choose_route(
            commission=c, route=Route.REGULATED, reason="", by=officer
        )
        published = today + timedelta(days=5)
        tender_services.save_tender(
            commission=c,
            by=officer,
            funding_envelope=D("960000"),
            quality_weight=70,
            price_weight=30,
            portal_reference=f"BLC-WMPCC-{published.year}-044",
            published_on=published,
            clarification_deadline=published + timedelta(days=20),
            closes_on=published + timedelta(days=35),
            market_engagement_on=ago(30),
            market_engagement_notes="Nine providers and two survivors' groups attended; they asked for a hub "
            "and spoke model and a six-month mobilisation.",
        )
        tender_services.set_criteria(
            commission=c,
            by=officer,
            rows=[
                ("Service model and trauma-informed practice", 50, "One front door, no wrong door"),
                ("Partnership with the SARC and the police", 30, "Referral pathways that work at night"),
                ("Social value", 20, "Local employment and volunteering"),
            ],
        )
        demo_act.assess_and_check(c, officer=officer, today=today)
        planned = notice_services.prepare_planned_procurement(
            commission=c, procurement=procurement, by=officer
        )
        notice_services.record_publication(
            notice=planned, identifier=f"0{planned.pk:05d}-{ago(40).year}", published_on=ago(40), by=officer
        )
        engagement = procurement.notices.get(kind=NoticeKind.PRELIMINARY_MARKET_ENGAGEMENT)
        notice_services.record_publication(
            notice=engagement,
            identifier=f"1{engagement.pk:05d}-{ago(25).year}",
            published_on=ago(25),
            by=officer,
        )

    # 4. A single tender agreement (continuity of supply), signed off, decided and contracted: now in Review.
    title = "Modern slavery victim navigator"
    if title not in existing:
        c = new(
            title,
            "A navigator who stays with survivors of modern slavery from identification to a safe, settled life.",
        )
        c = _plan(
            _move(_understand(c, officer), ["start_planning"], officer),
            officer,
            annual=D("48000"),
            total=D("96000"),
            measures=[
                ("Survivors supported", OutcomeMeasure.Kind.COUNT, D("12"), "people", ""),
                ("Case studies", OutcomeMeasure.Kind.NARRATIVE, None, "", ""),
            ],
        )
        c = _move(c, ["start_procurement"], officer)
        supplier = _org("Modern Slavery Response Network (demo)")
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
        start = _first_of_next_month(today)
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
        _move(c, ["start_review"], officer)

    # 5. Review: the stalking advocacy 3+1 contract, ending in March with the current year. Its last date to give
    # notice is within the next six months: with three months' notice, 31 December (seeded from July to March); seeded
    # from April to June, the contract on record has six months' notice (30 September), so a date is still ahead.
    title = "Stalking advocacy service"
    if title not in existing:
        award = Award.objects.get(title="Stalking advocacy service", start_date=contracts_start)
        c = new(title, "Independent stalking advocacy for victims across West Mercia.")
        # Recorded from the register before the plan was: left for an officer to tag (/plan/untagged/).
        c.objectives.clear()
        Commission.objects.filter(pk=c.pk).update(status=Commission.Status.REVIEW)
        c.refresh_from_db()
        notice = 6 if quarter_of(today).number == 1 else 3
        _existing_contract(c, award, pattern="3+1", notice=notice, signed=date(fy - 2, 3, 12))
        _history(
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

    # 6. Do: three written quotes for translated information leaflets.
    title = "Translated information for victims"
    if title not in existing:
        c = new(
            title,
            "Victims' Code information leaflets and web pages in the ten most used community languages.",
        )
        c = _plan(
            _move(_understand(c, officer), ["start_planning"], officer),
            officer,
            annual=D("12000"),
            total=D("12000"),
            measures=[("Leaflets distributed", OutcomeMeasure.Kind.COUNT, D("500"), "leaflets", "")],
        )
        c = _move(c, ["start_procurement"], officer)
        procurement_services.choose_route(commission=c, route=Route.THREE_QUOTES, reason="", by=officer)
        for name, amount, days in (
            ("Hate Crime Support Network (demo)", "11400", 30),
            ("Evesham Community Cohesion Forum (demo)", "9850", 28),
            ("Fraud Victim Support West Midlands (demo)", "12600", 27),
        ):
            procurement_services.add_quote(
                commission=c,
                organisation=_org(name),
                amount=D(amount),
                received_on=ago(days),
                notes="",
                by=officer,
            )

    # 7. Review: victim services for some areas only, recorded from the contract register as pilots in those areas.
    for title, award_title, slugs, reason in AREA_CONTRACTS:
        if title in existing:
            continue
        award = Award.objects.get(title__startswith=award_title, start_date=contracts_start)
        c = new(
            title,
            f"{award.title}: a service for {', '.join(a.name for a in LocalPolicingArea.objects.filter(slug__in=slugs))}.",
        )
        c.areas.set(LocalPolicingArea.objects.filter(slug__in=slugs))
        Commission.objects.filter(pk=c.pk).update(
            status=Commission.Status.REVIEW, coverage="pilot", pilot_reason=reason
        )
        c.refresh_from_db()
        _existing_contract(c, award, pattern="3+1", notice=6, signed=date(fy - 2, 3, 10))
        _history(
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

    # 8. Do: a regulated tender run here to its contract (Procurement Act 2023): assessment summaries sent, the
    # contract award notice published, the standstill passed, the contract signed and its details notice due.
    title = "Victims' information website and referral portal"
    if title not in existing:
        _regulated_to_contract(
            new(title, "A website and secure referral portal for victims, built with them."), today
        )

    if stdout:
        stdout.write(f"Commissioning: {Commission.objects.count()} commissions.")


def _regulated_to_contract(c, today):
    """Above the threshold (£210,000; web services are not light-touch): the winner's contract was signed after
    the eight working days of standstill, and the demo provider's organisation, unsuccessful, has its summary."""
    from commissioning.award import standstill_ends  # noqa: PLC0415 - the demo reads the standstill as staff do
    from commissioning.models import AssessmentSummary  # noqa: PLC0415
    from commissioning.services import award as award_services  # noqa: PLC0415

    officer = User.objects.get(email=demo_email("officer"))
    head = User.objects.get(email=demo_email("head"))
    panel = [User.objects.get(email=demo_email(name)) for name in ("evaluator", "evaluator2")]

    def ago(days):
        return today - timedelta(days=days)

    c = _plan(
        _move(_understand(c, officer), ["start_planning"], officer),
        officer,
        annual=D("105000"),
        total=D("210000"),
    )
    c = _move(c, ["start_procurement"], officer)
    procurement_services.choose_route(commission=c, route=Route.REGULATED, reason="", by=officer)
    published = ago(130)
    tender_services.save_tender(
        commission=c,
        by=officer,
        funding_envelope=D("210000"),
        quality_weight=60,
        price_weight=40,
        portal_reference=f"BLC-WMPCC-{published.year}-027",
        published_on=published,
        clarification_deadline=ago(110),
        closes_on=ago(95),
        market_engagement_on=ago(170),
        market_engagement_notes="Nine suppliers and the survivors' panel; suppliers asked for a 1+1 term.",
    )
    tender_services.set_criteria(
        commission=c,
        by=officer,
        rows=[
            ("Accessibility and co-design with victims", 50, "WCAG 2.2 AA, tested with victims and carers"),
            ("Security of referrals", 30, "How referral data is protected and who can see it"),
            ("Support and hosting", 20, "Response times and continuity"),
        ],
    )
    # Under the Act: the conflicts assessment before the tender notice, and the market engagement and tender
    # notices published on Find a Tender (the engagement notice before the event, the tender notice on the day).
    demo_act.assess_and_check(c, officer=officer, today=today)
    procurement = c.procurements.get()
    for kind, number, on in (
        (NoticeKind.PRELIMINARY_MARKET_ENGAGEMENT, 20000, ago(185)),
        (NoticeKind.TENDER, 30000, published),
    ):
        notice = procurement.notices.get(kind=kind)
        notice_services.record_publication(
            notice=notice, identifier=f"{number + c.pk:06d}-{on.year}", published_on=on, by=officer
        )
    # Two web suppliers bid beside the demo provider (which bid with a digital partner).
    for name, company, town, postcode in (
        ("Marches Digital Co-operative (demo)", "11873402", "Shrewsbury", "SY1 1QH"),
        ("Hereford Web Studio (demo)", "10455871", "Hereford", "HR1 2DJ"),
    ):
        Organisation.objects.get_or_create(
            name=name,
            defaults={
                "org_type": "company",
                "company_number": company,
                "address_line_1": "Unit 4, The Old Maltings",
                "town": town,
                "postcode": postcode,
                "email": f"tenders@{name.split(' (')[0].lower().replace(' ', '')}.example",
            },
        )
        clear_demo_organisation(_org(name), demo_today())  # due diligence done before it bid
    bids = [
        tender_services.record_bid(
            commission=c,
            organisation=_org(name),
            price=D(price),
            received_on=ago(96),
            summary="Submitted through the portal.",
            by=officer,
        )
        for name, price in (
            ("Marches Digital Co-operative (demo)", "198000"),
            ("Severn Valley Women's Aid (demo)", "176500"),
            ("Hereford Web Studio (demo)", "205400"),
        )
    ]
    tender = bids[0].tender
    marks = [(5, 4, 4), (4, 3, 3), (3, 4, 3)]
    reasons = [
        (
            "Tested every page with twelve victims and two screen reader users; a plan to keep doing so.",
            "Referrals encrypted and seen only by the receiving service; penetration tested yearly.",
            "Four-hour response in office hours; hosting in the UK with a second site.",
        ),
        (
            "Strong survivor involvement; the accessibility testing plan named no assistive technologies.",
            "Referral data held by a sub-contractor whose security accreditation was not evidenced.",
            "Next-day response only; hosting arrangements were not described.",
        ),
        (
            "A standard template site; co-design limited to one workshop.",
            "Role-based access and audit trail described in detail, with certification.",
            "Support hours fit the service; no continuity plan if the studio closes.",
        ),
    ]
    for person in panel:
        evaluation_services.add_panel_member(commission=c, user=person, by=officer)
        evaluation_services.declare(
            tender=tender, user=person, answers={b.pk: False for b in bids}, details={}
        )
    criteria = list(tender.criteria.all())
    for bid, row, why in zip(bids, marks, reasons, strict=True):
        for person in panel:
            evaluation_services.score_bid(
                bid=bid,
                user=person,
                scores={cr.pk: (s, text) for cr, s, text in zip(criteria, row, why, strict=True)},
            )
        evaluation_services.moderate_bid(
            commission=c,
            bid=bid,
            scores={cr.pk: (s, text) for cr, s, text in zip(criteria, row, why, strict=True)},
            by=officer,
        )
    demo_act.assess_and_check(c, officer=officer, today=today)
    decision_services.record_decision(
        commission=c,
        organisation=bids[0].organisation,
        value=D("210000"),
        rationale="The most advantageous tender: the highest quality score, within the envelope.",
        by=head,
        decided_on=ago(42),
    )
    # The summaries went out two days after the decision, the notice the day after them.
    for summary in AssessmentSummary.objects.filter(procurement__commission=c):
        award_services.send_summary(summary=summary, by=officer)
    AssessmentSummary.objects.filter(procurement__commission=c).update(
        sent_at=timezone.make_aware(datetime.combine(ago(40), time(10, 30)))
    )
    notice_on = ago(39)
    award_services.record_award_notice(
        commission=c, identifier=f"{40000 + c.pk:06d}-{notice_on.year}", published_on=notice_on, by=officer
    )
    # Signed a week after the standstill ended, starting on the first of next month (the single tender's pot).
    signed = standstill_ends(notice_on) + timedelta(days=7)
    start = _first_of_next_month(today)
    contract_services.create_contract(
        commission=c,
        by=officer,
        pot=Pot.objects.get(year__start_year=financial_year_of(start), key="victim-services"),
        annual_value=D("105000"),
        total_value=D("105000"),
        start_date=start,
        initial_term_years=1,
        extension_pattern="1+1",
        break_notice_months=3,
        break_clause="Either party may end the contract by giving three months' written notice.",
        signed_on=signed,
        schedule_kind=PaymentScheduleKind.QUARTERLY_ARREARS,
    )
