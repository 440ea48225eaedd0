"""Commissions at each point of the cycle, built through the services (one helper per state)."""

from datetime import date
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from commissioning.models import Commission, OutcomeMeasure, Route
from commissioning.services import commissions as commission_services
from commissioning.services import contracts as contract_services
from commissioning.services import decisions as decision_services
from commissioning.services import evaluation as evaluation_services
from commissioning.services import procurement as procurement_services
from commissioning.services import single_tender as single_tender_services
from commissioning.services import tenders as tender_services
from funding.models import PaymentScheduleKind, Stream
from opcc.models import Role
from tests.factories import OrganisationFactory, UserFactory, an_objective

D = Decimal
PDF = b"%PDF-1.7\n%%EOF\n"

UNDERSTAND = {
    "engagement_evidence": "Survivor forum, partner workshop",
    "outcomes_sought": "Fewer repeat victims",
    "existing_provision": "No perpetrator programme exists; outreach does not duplicate",
    "partners_direction": "Councils' domestic abuse strategies",
    "co_dependencies": "IDVA service, MARAC, probation",
    "pooled_budget": "Councils considered pooling; not this year",
}
PLAN = {
    "coverage": "west_mercia",
    "co_commissioning": "No partner could pool money this year",
    "co_design": "Survivors' panel designed the service",
    "pin_where": "Blue Light e-tendering portal",
    "pin_published_on": date(2026, 6, 1),
    "pin_reference": "PIN-2026-14",
    "estimated_annual_value": D("50000"),
    "estimated_total_value": D("150000"),
}


def officer_of(world):
    return world.users[Role.COMMISSIONING_OFFICER]


def new_commission(world, **kwargs):
    officer = officer_of(world)
    objectives = kwargs.pop("objectives", None) or [an_objective()]
    return commission_services.create_commission(
        title=kwargs.pop("title", "Perpetrator programme"),
        summary="To change behaviour",
        stream=kwargs.pop("stream", Stream.VICTIM_SERVICES),
        officer=officer,
        by=officer,
        objectives=objectives,
    )


def fill_understand(commission, by):
    commission_services.upload_needs_assessment(
        commission=commission, uploaded=SimpleUploadedFile("na.pdf", PDF), title="Needs assessment", by=by
    )
    return commission_services.update_commission(commission=commission, values=UNDERSTAND, by=by)


def fill_plan(commission, by, **overrides):
    values = {**PLAN, **overrides}
    commission = commission_services.update_commission(commission=commission, values=values, by=by)
    commission_services.add_measure(
        commission=commission,
        by=by,
        name="Referrals received",
        kind=OutcomeMeasure.Kind.COUNT,
        quarterly_target=D("40"),
        unit="referrals",
    )
    return commission


def in_plan(world):
    officer = officer_of(world)
    c = fill_understand(new_commission(world), officer)
    return commission_services.transition(commission=c, name="start_planning", by=officer)


def in_do(world, **plan_overrides):
    officer = officer_of(world)
    c = fill_plan(in_plan(world), officer, **plan_overrides)
    return commission_services.transition(commission=c, name="start_procurement", by=officer)


def evaluator(agency=None, email=None):
    return UserFactory(
        role=Role.EVALUATOR,
        agency=agency or OrganisationFactory(name="County Council"),
        **({"email": email} if email else {}),
    )


def tender_ready_for_scoring(world, *, evaluators=None):
    """A commission in Do with a published tender, two criteria (60/40), two bids and a panel."""
    officer = officer_of(world)
    c = in_do(world)
    procurement_services.choose_route(commission=c, route=Route.TENDER, reason="", by=officer)
    tender_services.save_tender(
        commission=c,
        by=officer,
        funding_envelope=D("150000"),
        quality_weight=70,
        price_weight=30,
        portal_reference="BLC-0001",
        published_on=date(2026, 7, 1),
        clarification_deadline=None,
        closes_on=date(2026, 8, 1),
        market_engagement_on=None,
        market_engagement_notes="",
    )
    tender_services.set_criteria(
        commission=c, rows=[("Service delivery", 60, ""), ("Partnership working", 40, "")], by=officer
    )
    a = OrganisationFactory(name="Bidder A")
    b = OrganisationFactory(name="Bidder B")
    bid_a = tender_services.record_bid(
        commission=c, organisation=a, price=D("100000"), received_on=date(2026, 7, 20), summary="", by=officer
    )
    bid_b = tender_services.record_bid(
        commission=c, organisation=b, price=D("90000"), received_on=date(2026, 7, 21), summary="", by=officer
    )
    evaluators = evaluators or [evaluator()]
    for person in evaluators:
        evaluation_services.add_panel_member(commission=c, user=person, by=officer)
    return c, c.procurements.get().tender, bid_a, bid_b, evaluators


def scores_for(tender, values, text="Reasons"):
    criteria = list(tender.criteria.all())
    return {c.pk: (v, text) for c, v in zip(criteria, values, strict=True)}


def decided_tender(world, pot=None):
    """Scored, moderated and decided: ready for the contract."""
    officer = officer_of(world)
    c, tender, bid_a, bid_b, (person,) = tender_ready_for_scoring(world)
    evaluation_services.declare(
        tender=tender, user=person, answers={bid_a.pk: False, bid_b.pk: False}, details={}
    )
    for bid, vals in ((bid_a, (4, 3)), (bid_b, (3, 5))):
        evaluation_services.score_bid(bid=bid, user=person, scores=scores_for(tender, vals))
        evaluation_services.moderate_bid(
            commission=c, bid=bid, scores=scores_for(tender, vals, "Agreed"), by=officer
        )
    decision_services.record_decision(
        commission=c, organisation=bid_b.organisation, value=D("90000"), rationale="Highest score", by=officer
    )
    return c, bid_b.organisation


def contract_for(world, c, pot, **kwargs):
    values = dict(
        pot=pot,
        annual_value=D("30000"),
        total_value=D("90000"),
        start_date=date(2026, 10, 1),
        initial_term_years=3,
        extension_pattern="3+1",
        break_notice_months=3,
        break_clause="Either party may end it with notice.",
        signed_on=date(2026, 9, 20),
        schedule_kind=PaymentScheduleKind.QUARTERLY_ARREARS,
        value_difference_reason="Agreed with the provider at a different value",
    )
    values.update(kwargs)
    return contract_services.create_contract(commission=c, by=officer_of(world), **values)


__all__ = ["Commission"]


def sta_in_review(world, pots):
    """A single tender agreement signed off, decided and contracted: now in Review (the demo's CM-0004)."""
    officer, head = officer_of(world), world.users[Role.HEAD_OF_COMMISSIONING]
    c = in_do(world, estimated_annual_value=D("48000"), estimated_total_value=D("96000"))
    procurement_services.choose_route(
        commission=c, route=Route.SINGLE_TENDER, reason="Continuity of supply", by=officer
    )
    single_tender_services.save_single_tender(
        commission=c,
        organisation=world.other_organisation,
        ground="b",
        value=D("96000"),
        justification="Survivors mid-way through support",
        by=officer,
    )
    single_tender_services.sign_single_tender(commission=c, by=head)
    decision_services.record_decision(
        commission=c,
        organisation=world.other_organisation,
        value=D("96000"),
        rationale="Signed off; price benchmarked",
        by=officer,
    )
    contract_for(
        world,
        c,
        pots[2026],
        annual_value=D("48000"),
        total_value=D("48000"),
        start_date=date(2027, 1, 1),
        initial_term_years=1,
        extension_pattern="1+1",
        signed_on=date(2026, 11, 18),
    )
    return commission_services.transition(commission=c, name="start_review", by=officer)


DIRECT_AWARD_VALUE = D("300000")
# A debarment list that names nobody the tests fund (a list with no rows is refused on import).
NOBODY_WE_FUND = "Nobody We Fund Ltd,09999999,,mandatory,Schedule 6: fraud,2026-01-05,2031-01-04\n"


def direct_award_in_review(
    world, pots, *, value=DIRECT_AWARD_VALUE, ground="a", schedule5="", light_touch=False
):
    """A single tender agreement above the threshold (a direct award): signed off, its transparency notice published,
    decided by the PCC and contracted for 3 years from 1 January 2027 with no extension options; now in Review."""
    from commissioning.models import Notice, NoticeKind  # noqa: PLC0415
    from commissioning.services import notices as notice_services  # noqa: PLC0415
    from tests.commissioning import act_factories as act  # noqa: PLC0415 - it builds on this module

    officer, head, pcc = officer_of(world), world.users[Role.HEAD_OF_COMMISSIONING], world.users[Role.PCC]
    c = in_do(
        world,
        estimated_annual_value=(value / 3).quantize(D("0.01")),
        estimated_total_value=value,
        light_touch=light_touch,
    )
    procurement_services.choose_route(
        commission=c, route=Route.SINGLE_TENDER, reason="Only one provider", by=officer
    )
    single_tender_services.save_single_tender(
        commission=c,
        organisation=world.other_organisation,
        ground=ground,
        schedule5=schedule5,
        value=value,
        justification="The only accredited provider in the county",
        by=officer,
    )
    single_tender_services.sign_single_tender(commission=c, by=head)
    sta = c.procurements.get().sta
    if sta.needs_pcc:
        single_tender_services.sign_single_tender(commission=c, by=pcc)
    # A covered direct award: the conflicts assessment prepared and the supplier checked before the notice.
    act.import_list(world, NOBODY_WE_FUND)
    act.prepared(world, c)
    act.clean_check(world, c, world.other_organisation)
    notice = Notice.objects.filter(kind=NoticeKind.TRANSPARENCY, procurement__commission=c).first()
    if notice is not None:
        notice_services.record_publication(
            notice=notice, identifier="012345-2026", published_on=date(2026, 11, 2), by=officer
        )
    decision_services.record_decision(
        commission=c,
        organisation=world.other_organisation,
        value=value,
        rationale="Direct award under Schedule 5",
        decision_record="PCC/2026/041",
        by=pcc,
        decided_on=date(2026, 11, 2),
    )
    # Above the threshold a direct award has its contract award notice and standstill too (no bids, no summaries).
    if Notice.objects.filter(kind=NoticeKind.CONTRACT_AWARD, procurement__commission=c).exists():
        from commissioning.services import award as award_services  # noqa: PLC0415

        award_services.record_award_notice(
            commission=c, identifier="012346-2026", published_on=date(2026, 11, 3), by=officer
        )
    contract_for(
        world,
        c,
        pots[2026],
        annual_value=value / 3,
        total_value=value,
        start_date=date(2027, 1, 1),
        initial_term_years=3,
        extension_pattern="3",
        signed_on=date(2026, 11, 18),
        value_difference_reason="",
    )
    return commission_services.transition(commission=c, name="start_review", by=officer)


TWO_CRITERIA = (("Service delivery", 60, ""), ("Partnership working", 40, ""))


def regulated_tender(
    world,
    *,
    published_on=date(2026, 7, 1),
    closes_on=date(2026, 8, 1),
    conflicts_prepared=True,
    criteria=TWO_CRITERIA,
):
    """A commission in Do on the regulated route (above threshold) with its tender and criteria recorded, and
    (unless asked not to) its conflicts assessment prepared, as the tender notice needs. The one definition of a
    regulated tender: act_factories.regulated_tender adds bids and a panel to it."""
    from tests.commissioning import act_factories as act  # noqa: PLC0415 - it builds on this module

    officer = officer_of(world)
    c = in_do(world, estimated_annual_value=D("100000"), estimated_total_value=D("300000"))
    procurement_services.choose_route(commission=c, route=Route.REGULATED, reason="", by=officer)
    tender_services.save_tender(
        commission=c,
        by=officer,
        funding_envelope=D("300000"),
        quality_weight=70,
        price_weight=30,
        portal_reference="BLC-0100",
        published_on=published_on,
        clarification_deadline=None,
        closes_on=closes_on,
        market_engagement_on=date(2026, 5, 20),
        market_engagement_notes="Six providers attended; they asked for a longer mobilisation",
    )
    tender_services.set_criteria(commission=c, rows=list(criteria), by=officer)
    if conflicts_prepared:
        act.prepared(world, c)
    return c, c.procurements.get()


REGULATED_VALUE = D("300000")


def decided_regulated_tender(
    world, *, light_touch=False, value=REGULATED_VALUE, decided_on=date(2026, 11, 2)
):
    """A regulated (above-threshold) tender decided for Bidder C, with three assessed bids: world.organisation's
    (£280,000), world.other_organisation's (£250,000) and Bidder C's (£270,000). Each moderated rationale names
    its bidder, so a summary shows whose reasons it carries."""
    officer, head = officer_of(world), world.users[Role.HEAD_OF_COMMISSIONING]
    c = in_do(
        world,
        estimated_annual_value=(value / 3).quantize(D("0.01")),
        estimated_total_value=value,
        light_touch=light_touch,
    )
    procurement_services.choose_route(commission=c, route=Route.REGULATED, reason="", by=officer)
    tender_services.save_tender(
        commission=c,
        by=officer,
        funding_envelope=value,
        quality_weight=70,
        price_weight=30,
        portal_reference="BLC-0100",
        published_on=date(2026, 7, 1),
        clarification_deadline=None,
        closes_on=date(2026, 8, 1),
        market_engagement_on=date(2026, 6, 15),
        market_engagement_notes="Twelve providers came",
    )
    tender_services.set_criteria(
        commission=c, rows=[("Service delivery", 60, ""), ("Partnership working", 40, "")], by=officer
    )
    winner = OrganisationFactory(name="Bidder C")
    bids = [
        tender_services.record_bid(
            commission=c, organisation=org, price=price, received_on=date(2026, 7, 20), summary="", by=officer
        )
        for org, price in (
            (world.organisation, D("280000")),
            (world.other_organisation, D("250000")),
            (winner, D("270000")),
        )
    ]
    person = evaluator()
    evaluation_services.add_panel_member(commission=c, user=person, by=officer)
    tender = c.procurements.get().tender
    evaluation_services.declare(tender=tender, user=person, answers={b.pk: False for b in bids}, details={})
    for bid, vals in zip(bids, ((3, 3), (2, 3), (5, 4)), strict=True):
        evaluation_services.score_bid(bid=bid, user=person, scores=scores_for(tender, vals))
        evaluation_services.moderate_bid(
            commission=c,
            bid=bid,
            scores=scores_for(tender, vals, f"Panel's reasons for {bid.organisation.name}"),
            by=officer,
        )
    # A covered procurement: the conflicts assessment confirmed and every bidder checked before the award.
    from tests.commissioning import act_factories as act  # noqa: PLC0415 - it builds on this module

    act.import_list(world, NOBODY_WE_FUND)
    act.prepared(world, c)
    for bid in bids:
        act.clean_check(world, c, bid.organisation)
    act.publish_tender_notices(world, c)
    pcc = value > D("500000")
    decision_services.record_decision(
        commission=c,
        organisation=winner,
        value=value,
        rationale="Most advantageous tender",
        by=world.users[Role.PCC] if pcc else head,
        decision_record="PCC/2026/40" if pcc else "",
        decided_on=decided_on,
    )
    return c, bids, winner
