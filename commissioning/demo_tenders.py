"""The demo's tenders: a competitive tender below the threshold at its evaluation, a regulated tender under the
Procurement Act waiting for its tender notice, and one run here to its signed contract."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from commissioning import demo_act
from commissioning.demo_helpers import (
    Cast,
    D,
    attach_pdf,
    first_of_next_month,
    move,
    org,
    plan,
    understand,
)
from commissioning.models import (
    NoticeKind,
    Route,
)
from commissioning.services import commissions as commission_services
from commissioning.services import contracts as contract_services
from commissioning.services import decisions as decision_services
from commissioning.services import evaluation as evaluation_services
from commissioning.services import notices as notice_services
from commissioning.services import procurement as procurement_services
from commissioning.services import tenders as tender_services
from funding.models import PaymentScheduleKind, Pot
from opcc.calendar import financial_year_of
from opcc.demo import demo_email
from opcc.demo_assurance import clear_demo_organisation
from opcc.demo_utils import demo_today
from opcc.models import Organisation, User


def isva_tender(cast: Cast) -> None:
    """Do: a competitive tender for an ISVA service, with bids and the panel's scores."""
    officer = cast.officer
    head = cast.head
    evaluator2 = cast.evaluator2
    evaluator = cast.evaluator
    today = cast.today
    ago = cast.ago
    new = cast.new
    title = "ISVA service for children and young people"
    c = new(
        title,
        "Independent sexual violence advisers for children and young people under 18, West Mercia wide.",
    )
    c = plan(
        move(understand(c, officer), ["start_planning"], officer),
        officer,
        annual=D("60000"),
        total=D("180000"),
    )
    c = move(c, ["start_procurement"], officer)
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
            organisation=org(name),
            price=D(price),
            received_on=ago(days),
            summary="Submitted through the portal.",
            by=officer,
        )
        attach_pdf(bid, f"Bid from {name}", "bid", officer)
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
    marks: dict[User, list[tuple[int, ...] | None]] = {
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
        organisation=org("Young Minds Matter Worcestershire (demo)"),
        price=D("186500"),
        received_on=ago(46),
        by=officer,
        summary="Emailed two days after the closing date: the bidder says the portal refused the upload.",
    )
    demo_act.import_debarment_list(head=head, today=today)
    demo_act.assess_and_check(c, officer=officer, today=today)


def sexual_violence_hub(cast: Cast) -> None:
    """Do, above threshold: a regulated tender under the Procurement Act. Its planned procurement and market
    engagement notices are published on Find a Tender; the tender notice is due in five days. (The ISVA tender's
    below-threshold tender notice above was never recorded: it shows as overdue.)"""
    officer = cast.officer
    today = cast.today
    ago = cast.ago
    new = cast.new
    title = "Sexual violence support hub"
    c = new(
        title,
        "One front door for adult survivors of rape and sexual abuse: ISVAs, counselling and peer support, "
        "West Mercia wide.",
    )
    c = move(understand(c, officer), ["start_planning"], officer)
    commission_services.update_commission(commission=c, by=officer, values={"light_touch": True})
    c = plan(c, officer, annual=D("240000"), total=D("960000"))
    c = move(c, ["start_procurement"], officer)
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
    planned = notice_services.prepare_planned_procurement(commission=c, procurement=procurement, by=officer)
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


def victims_website(cast: Cast) -> None:
    """Do: a regulated tender run here to its contract (Procurement Act 2023): assessment summaries sent, the
    contract award notice published, the standstill passed, the contract signed and its details notice due."""
    today = cast.today
    new = cast.new
    title = "Victims' information website and referral portal"
    regulated_to_contract(
        new(title, "A website and secure referral portal for victims, built with them."), today
    )


def regulated_to_contract(c, today):
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

    c = plan(
        move(understand(c, officer), ["start_planning"], officer),
        officer,
        annual=D("105000"),
        total=D("210000"),
    )
    c = move(c, ["start_procurement"], officer)
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
        clear_demo_organisation(org(name), demo_today())  # due diligence done before it bid
    bids = [
        tender_services.record_bid(
            commission=c,
            organisation=org(name),
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
    start = first_of_next_month(today)
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
