from datetime import date
from decimal import Decimal

from opcc.models import Role
from tests.permissions import OFFICE, OFFICERS, OTHER_PROVIDER, expect, only

EVALUATOR = {Role.EVALUATOR}
HEAD = {Role.HEAD_OF_COMMISSIONING}


def setup(world):
    from commissioning.services import commissions as commission_services
    from commissioning.services import evaluation as evaluation_services
    from tests.commissioning import factories as f
    from tests.funding.factories import PotFactory, approved_year

    officer = world.users[Role.COMMISSIONING_OFFICER]
    person = world.users[Role.EVALUATOR]
    world.c_tender, tender, bid_a, bid_b, _ = f.tender_ready_for_scoring(world, evaluators=[person])
    evaluation_services.declare(
        tender=tender, user=person, answers={bid_a.pk: False, bid_b.pk: False}, details={}
    )
    world.tender, world.bid = tender, bid_a
    world.panel_member = tender.panel.get(user=person)
    world.measure = world.c_tender.measures.first()
    # The tender route at £150,000: a below-threshold tender notice the office may publish.
    world.notice = world.c_tender.procurements.get().notices.get()

    year = approved_year(2026)
    pot = PotFactory(year=year, key="victim-services", stream="victim_services", allocated=Decimal("100000"))
    c, _org = f.decided_tender(world)
    f.contract_for(
        world,
        c,
        pot,
        start_date=date(2026, 4, 1),
        signed_on=date(2026, 3, 1),
        initial_term_years=1,
        extension_pattern="1+1",
        total_value=Decimal("30000"),
    )
    world.c_review = commission_services.transition(commission=c, name="start_review", by=officer)
    world.contract_change = _a_contract_change(world, officer)
    _award_setup(world)


def _a_contract_change(world, officer):
    from commissioning import gates
    from commissioning.services import changes as change_services

    return change_services.propose_change(
        contract=gates.current_contract(world.c_review),
        value_change=Decimal("0"),
        new_end_date=None,
        scope_change="Evening sessions as well",
        reason="Demand after work hours",
        agreed_on=date(2026, 3, 1),
        by=officer,
    )


def _award_setup(world):
    """A regulated tender decided, with world.organisation's assessment summary sent (and the other provider's not)."""
    from commissioning.services import award as award_services
    from tests.commissioning import factories as f

    world.c_award, bids, _winner = f.decided_regulated_tender(world)
    world.summary = bids[0].assessment_summary
    award_services.send_summary(summary=world.summary, by=world.users[Role.COMMISSIONING_OFFICER])


def _t(w):
    return {"pk": w.c_tender.pk}


def _r(w):
    return {"pk": w.c_review.pk}


MATRIX = {
    "commissioning:index": (lambda w: {}, only(OFFICE)),
    "commissioning:create": (lambda w: {}, only(OFFICERS)),
    "commissioning:bands": (lambda w: {}, only(OFFICE)),
    "commissioning:waiting": (lambda w: {}, only(OFFICERS | {Role.PCC})),
    "commissioning:evaluations": (lambda w: {}, only(OFFICERS | EVALUATOR)),
    "commissioning:evaluate": (lambda w: {"tender_pk": w.tender.pk}, only(EVALUATOR, status_out=404)),
    "commissioning:score": (lambda w: {"bid_pk": w.bid.pk}, only(EVALUATOR, status_out=404)),
    "commissioning:detail": (_t, only(OFFICE)),
    "commissioning:understand": (_t, only(OFFICE)),
    "commissioning:plan": (_t, only(OFFICE)),
    "commissioning:do": (_t, only(OFFICE)),
    "commissioning:review": (_r, only(OFFICE)),
    "commissioning:section": (lambda w: {"pk": w.c_tender.pk, "key": "engagement"}, only(OFFICERS)),
    "commissioning:upload": (_t, only(OFFICERS)),
    "commissioning:measures": (_t, only(OFFICERS)),
    "commissioning:measure-remove": (
        lambda w: {"pk": w.c_tender.pk, "measure_pk": w.measure.pk},
        expect(405),
    ),
    "commissioning:partners": (_t, only(OFFICERS)),
    "commissioning:move": (lambda w: {"pk": w.c_tender.pk, "name": "start_review"}, only(OFFICERS)),
    "commissioning:route": (_t, only(OFFICERS)),
    "commissioning:quotes": (_t, only(OFFICERS)),
    "commissioning:choose-quote": (_t, only(OFFICERS)),
    "commissioning:tender": (_t, only(OFFICERS)),
    "commissioning:criteria": (_t, only(OFFICERS)),
    "commissioning:bids": (_t, only(OFFICE)),
    "commissioning:bid-create": (_t, only(OFFICERS)),
    "commissioning:moderate": (lambda w: {"pk": w.c_tender.pk, "bid_pk": w.bid.pk}, only(OFFICERS)),
    "commissioning:bid-change": (lambda w: {"pk": w.c_tender.pk, "bid_pk": w.bid.pk}, only(OFFICERS)),
    "commissioning:bid-withdraw": (lambda w: {"pk": w.c_tender.pk, "bid_pk": w.bid.pk}, only(OFFICERS)),
    "commissioning:bid-late": (lambda w: {"pk": w.c_tender.pk, "bid_pk": w.bid.pk}, only(OFFICERS)),
    "commissioning:panel": (_t, only(OFFICERS)),
    "commissioning:panel-remove": (
        lambda w: {"pk": w.c_tender.pk, "member_pk": w.panel_member.pk},
        only(OFFICERS),
    ),
    "commissioning:results": (_t, only(OFFICE)),
    "commissioning:sta": (_t, only(OFFICERS)),
    "commissioning:sta-sign": (_t, only(HEAD | {Role.PCC})),
    "commissioning:debarment-list": (lambda w: {}, only(OFFICERS)),
    "commissioning:conflicts": (_t, only(OFFICE)),
    # The lead officer's declaration: officers record it; the PCC records only their own (anyone else's is not found).
    "commissioning:conflicts-declare": (
        lambda w: {"pk": w.c_tender.pk, "user_pk": w.c_tender.officer_id},
        only(OFFICERS, **{Role.PCC.value: 404}),
    ),
    "commissioning:conflicts-confirm": (_t, only(OFFICERS)),
    "commissioning:supplier-checks": (_t, only(OFFICE)),
    "commissioning:supplier-check": (
        lambda w: {"pk": w.c_tender.pk, "org_pk": w.bid.organisation_id},
        only(OFFICERS),
    ),
    "commissioning:decision": (_t, only(OFFICERS | {Role.PCC})),
    "commissioning:contract-create": (_t, only(OFFICERS)),
    "commissioning:extend": (_r, only(OFFICERS)),
    "commissioning:break": (_r, only(HEAD)),
    "commissioning:contract-changes": (_r, only(OFFICE)),
    "commissioning:contract-change": (_r, only(OFFICERS)),
    "commissioning:contract-change-apply": (
        lambda w: {"pk": w.c_review.pk, "change_pk": w.contract_change.pk},
        only(OFFICERS),
    ),
    "commissioning:assess-performance": (_r, only(OFFICERS)),
    "commissioning:review-decision": (_r, only(OFFICERS)),
    "commissioning:decommission-plan": (_r, only(OFFICERS)),
    "commissioning:notices": (_t, only(OFFICERS)),
    "commissioning:notice-planned": (_t, only(OFFICERS)),
    "commissioning:notice": (lambda w: {"notice_pk": w.notice.pk}, only(OFFICERS)),
    "commissioning:notice-ocds": (lambda w: {"notice_pk": w.notice.pk}, only(OFFICERS)),
    "commissioning:notice-set-aside": (lambda w: {"notice_pk": w.notice.pk}, only(OFFICERS)),
    "commissioning:notice-move": (lambda w: {"notice_pk": w.notice.pk, "name": "mark_ready"}, expect(405)),
    "commissioning:award": (lambda w: {"pk": w.c_award.pk}, only(OFFICE)),
    "commissioning:award-notice": (lambda w: {"pk": w.c_award.pk}, only(OFFICERS)),
    "commissioning:summaries-draw": (lambda w: {"pk": w.c_award.pk}, expect(405)),
    "commissioning:summary-send": (lambda w: {"pk": w.c_award.pk, "summary_pk": w.summary.pk}, expect(405)),
    "commissioning:kpis": (_r, only(OFFICERS)),
    "commissioning:my-summaries": (lambda w: {}, only({Role.PROVIDER, OTHER_PROVIDER})),
    # A supplier reads its own summary; anyone else (the other supplier included) is not told it exists.
    "commissioning:my-summary": (
        lambda w: {"summary_pk": w.summary.pk},
        only(OFFICE | {Role.PROVIDER}, status_out=404),
    ),
}
