"""The route by value at every band edge, the extension rule, the scoring arithmetic, conflicts of interest, bad input."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from commissioning.models import Criterion, Declaration, ModeratedScore, ProcurementBand, Route, Score, Tender
from commissioning.procurement import (
    parse_pattern,
    price_score,
    quality_score,
    rank_bids,
    required_route,
    route_allowed,
)
from commissioning.services import decisions as decision_services
from commissioning.services import evaluation as evaluation_services
from commissioning.services import procurement as procurement_services
from commissioning.services import single_tender as single_tender_services
from commissioning.services import tenders as tender_services
from tests.commissioning import factories as f

D = Decimal


@pytest.mark.parametrize(
    "value, route",
    [
        ("0.01", Route.ONE_QUOTE),
        ("4999.99", Route.ONE_QUOTE),
        ("5000", Route.THREE_QUOTES),
        ("29999.99", Route.THREE_QUOTES),
        ("30000", Route.TENDER),
        ("207719.99", Route.TENDER),
        ("207720", Route.REGULATED),
    ],
)
def test_the_route_at_each_band_edge(db, value, route):
    assert required_route(D(value)) == route


def test_light_touch_services_reach_the_regulated_regime_higher(db):
    assert required_route(D("207720"), light_touch=True) == Route.TENDER
    assert required_route(D("663539.99"), light_touch=True) == Route.TENDER
    assert required_route(D("663540"), light_touch=True) == Route.REGULATED


def test_bands_are_data_staff_can_change(db):
    from commissioning.procurement import ensure_default_bands

    ensure_default_bands()  # the migration's bands, which a database flushed by a browser journey may have lost
    ProcurementBand.objects.filter(route=Route.THREE_QUOTES).update(lower_bound=D("10000"))
    assert required_route(D("9999.99")) == Route.ONE_QUOTE
    assert required_route(D("10000")) == Route.THREE_QUOTES


def test_nobody_takes_a_lighter_route_except_by_single_tender(world):
    officer = f.officer_of(world)
    c = f.in_do(world, estimated_annual_value=D("10000"), estimated_total_value=D("30000"))
    with pytest.raises(ValidationError) as exc:
        procurement_services.choose_route(commission=c, route=Route.THREE_QUOTES, reason="", by=officer)
    assert "needs at least: competitive tender" in str(exc.value)
    assert not c.procurements.exists()
    assert route_allowed(Route.REGULATED, Route.TENDER)
    procurement_services.choose_route(
        commission=c, route=Route.SINGLE_TENDER, reason="Only supplier with access to the data", by=officer
    )
    assert c.procurements.get().route == Route.SINGLE_TENDER


@pytest.mark.parametrize("pattern", ["3+1", "2+1", "2+1+1", "3", "1+1", "4+2+2"])
def test_extension_patterns_accepted(pattern):
    parse_pattern(pattern)


@pytest.mark.parametrize(
    "pattern, message",
    [
        ("1+1+1", "the extensions add up to 2 years, more than the initial term of 1 year"),
        ("2+3", "the extensions add up to 3 years, more than the initial term of 2 years"),
        ("three plus one", "like 3+1"),
        ("3+0", "at least 1 year"),
        ("", "like 3+1"),
    ],
)
def test_extension_patterns_rejected_with_a_clear_error(pattern, message):
    with pytest.raises(ValidationError) as exc:
        parse_pattern(pattern)
    assert message in exc.value.message_dict["extension_pattern"][0]


def test_the_scoring_arithmetic_on_a_worked_example():
    # Quality 70 / price 30; criteria 60% and 40%, scored out of 5.
    # Bid A: 4 and 3, £100,000.  quality = (4/5×60 + 3/5×40) × 70% = 72 × 0.7 = 50.40; price = 90,000/100,000 × 30 = 27.00
    # Bid B: 3 and 5, £90,000.   quality = (3/5×60 + 5/5×40) × 70% = 76 × 0.7 = 53.20; price = 30.00
    assert quality_score({1: 4, 2: 3}, {1: 60, 2: 40}, 5, 70) == D("50.40")
    assert price_score(D("90000"), D("100000"), 30) == D("27.00")
    assert quality_score({1: 3, 2: 5}, {1: 60, 2: 40}, 5, 70) == D("53.20")
    assert price_score(D("90000"), D("90000"), 30) == D("30.00")
    assert price_score(D("90000"), D("120000"), 30) == D("22.50")


def test_the_ranked_result_uses_moderated_scores(world):
    c, tender, bid_a, bid_b, (person,) = f.tender_ready_for_scoring(world)
    criteria = list(tender.criteria.all())
    moderated = {
        (bid_a.pk, criteria[0].pk): 4,
        (bid_a.pk, criteria[1].pk): 3,
        (bid_b.pk, criteria[0].pk): 3,
        (bid_b.pk, criteria[1].pk): 5,
    }
    ranked = rank_bids(tender, [bid_a, bid_b], moderated)
    assert [(r.rank, r.bid, r.total) for r in ranked] == [(1, bid_b, D("83.20")), (2, bid_a, D("77.40"))]


def test_a_declared_conflict_hides_the_bid_and_blocks_scoring(world, client):
    from tests.conftest import sign_in

    c, tender, bid_a, bid_b, (person,) = f.tender_ready_for_scoring(world)
    # Before declaring, no bid is visible and scoring is refused.
    assert not person.has_perm("commissioning.view_bid", bid_a)
    with pytest.raises(ValidationError) as exc:
        evaluation_services.score_bid(bid=bid_a, user=person, scores=f.scores_for(tender, (3, 3)))
    assert "Declare any conflicts of interest before you score" in exc.value.messages[0]
    assert not Score.objects.exists()
    evaluation_services.declare(
        tender=tender,
        user=person,
        answers={bid_a.pk: True, bid_b.pk: False},
        details={bid_a.pk: "I am a trustee of Bidder A"},
    )
    assert not person.has_perm("commissioning.view_bid", bid_a)
    assert person.has_perm("commissioning.view_bid", bid_b)
    with pytest.raises(PermissionDenied):
        evaluation_services.score_bid(bid=bid_a, user=person, scores=f.scores_for(tender, (3, 3)))
    sign_in(client, person)
    assert client.get(f"/commissioning/evaluations/bids/{bid_a.pk}/").status_code == 404
    assert client.get(f"/commissioning/evaluations/bids/{bid_b.pk}/").status_code == 200
    page = client.get(f"/commissioning/evaluations/{tender.pk}/").content.decode()
    assert f"/commissioning/evaluations/bids/{bid_a.pk}/" not in page
    assert "Conflict declared" in page
    # The conflicted evaluator is not waited for: moderation of bid A can go ahead without them.
    evaluation_services.score_bid(bid=bid_b, user=person, scores=f.scores_for(tender, (3, 5)))
    evaluation_services.moderate_bid(
        commission=c, bid=bid_a, scores=f.scores_for(tender, (4, 3), "Panel"), by=f.officer_of(world)
    )


def test_evaluators_see_only_their_own_tenders(world, client):
    from tests.conftest import sign_in

    c, tender, bid_a, bid_b, (person,) = f.tender_ready_for_scoring(world)
    outsider = f.evaluator(email="outsider@example.org")
    sign_in(client, outsider)
    assert client.get(f"/commissioning/evaluations/{tender.pk}/").status_code == 404
    assert client.get(f"/commissioning/evaluations/bids/{bid_b.pk}/").status_code == 404
    assert "BLC-0001" not in client.get("/commissioning/evaluations/").content.decode()
    assert client.get(f"/commissioning/{c.pk}/").status_code == 403


# ---- Bad input: a clear error, nothing saved ---------------------------------------------------


def test_scores_outside_the_scale_save_nothing(world):
    c, tender, bid_a, bid_b, (person,) = f.tender_ready_for_scoring(world)
    evaluation_services.declare(
        tender=tender, user=person, answers={bid_a.pk: False, bid_b.pk: False}, details={}
    )
    for bad in ((6, 3), (3, -1)):
        with pytest.raises(ValidationError) as exc:
            evaluation_services.score_bid(bid=bid_a, user=person, scores=f.scores_for(tender, bad))
        assert any("must be between 0 and 5" in m for m in exc.value.messages)
    assert not Score.objects.exists()


def test_weights_not_summing_to_100_save_nothing(world):
    c, tender, *_ = f.tender_ready_for_scoring(world)
    Score.objects.all().delete()
    before = list(Criterion.objects.values_list("name", "weight"))
    with pytest.raises(ValidationError) as exc:
        tender_services.set_criteria(
            commission=c, rows=[("A", 60, ""), ("B", 50, "")], by=f.officer_of(world)
        )
    assert "The weights add up to 110%: they must add up to 100%" in exc.value.message_dict["criteria"][0]
    assert list(Criterion.objects.values_list("name", "weight")) == before


def test_quality_price_split_over_100_and_dates_in_the_wrong_order_save_nothing(world):
    officer = f.officer_of(world)
    c = f.in_do(world)
    procurement_services.choose_route(commission=c, route=Route.TENDER, reason="", by=officer)
    good = dict(
        funding_envelope=D("150000"),
        quality_weight=70,
        price_weight=30,
        portal_reference="BLC-1",
        published_on=date(2026, 7, 1),
        clarification_deadline=None,
        closes_on=date(2026, 8, 1),
        market_engagement_on=None,
        market_engagement_notes="",
    )
    for bad, field, message in [
        ({"quality_weight": 80, "price_weight": 30}, "quality_weight", "cannot be more than 100%"),
        ({"quality_weight": 60, "price_weight": 30}, "quality_weight", "must add up to 100%"),
        ({"closes_on": date(2026, 6, 1)}, "closes_on", "must be after the date the tender is published"),
        (
            {"clarification_deadline": date(2026, 9, 1)},
            "clarification_deadline",
            "between publication and the closing date",
        ),
    ]:
        with pytest.raises(ValidationError) as exc:
            tender_services.save_tender(commission=c, by=officer, **{**good, **bad})
        assert message in exc.value.message_dict[field][0]
    assert not Tender.objects.exists()


def test_the_regulated_route_requires_a_market_engagement_event(world):
    officer = f.officer_of(world)
    c = f.in_do(world, estimated_total_value=D("250000"))
    procurement_services.choose_route(commission=c, route=Route.REGULATED, reason="", by=officer)
    with pytest.raises(ValidationError) as exc:
        tender_services.save_tender(
            commission=c,
            by=officer,
            funding_envelope=D("250000"),
            quality_weight=70,
            price_weight=30,
            portal_reference="BLC-2",
            published_on=date(2026, 7, 1),
            clarification_deadline=None,
            closes_on=date(2026, 8, 1),
            market_engagement_on=None,
            market_engagement_notes="",
        )
    assert "market engagement event" in exc.value.message_dict["market_engagement_on"][0]


def test_declaring_a_conflict_needs_details_and_saves_nothing_without(world):
    c, tender, bid_a, bid_b, (person,) = f.tender_ready_for_scoring(world)
    with pytest.raises(ValidationError):
        evaluation_services.declare(
            tender=tender, user=person, answers={bid_a.pk: True, bid_b.pk: False}, details={}
        )
    assert not Declaration.objects.exists()


def test_moderation_waits_for_every_eligible_score_and_needs_a_rationale(world):
    officer = f.officer_of(world)
    c, tender, bid_a, bid_b, (person,) = f.tender_ready_for_scoring(world)
    with pytest.raises(ValidationError) as exc:
        evaluation_services.moderate_bid(
            commission=c, bid=bid_a, scores=f.scores_for(tender, (3, 3)), by=officer
        )
    assert "Waiting for" in exc.value.messages[0]
    evaluation_services.declare(
        tender=tender, user=person, answers={bid_a.pk: False, bid_b.pk: False}, details={}
    )
    evaluation_services.score_bid(bid=bid_a, user=person, scores=f.scores_for(tender, (3, 3)))
    with pytest.raises(ValidationError):
        evaluation_services.moderate_bid(
            commission=c, bid=bid_a, scores=f.scores_for(tender, (3, 3), ""), by=officer
        )
    assert not ModeratedScore.objects.exists()


def test_the_award_decision_follows_delegation_levels(world):
    from opcc.models import Role

    officer = f.officer_of(world)
    c, tender, bid_a, bid_b, (person,) = f.tender_ready_for_scoring(world)
    evaluation_services.declare(
        tender=tender, user=person, answers={bid_a.pk: False, bid_b.pk: False}, details={}
    )
    for bid in (bid_a, bid_b):
        evaluation_services.score_bid(bid=bid, user=person, scores=f.scores_for(tender, (3, 3)))
        evaluation_services.moderate_bid(
            commission=c, bid=bid, scores=f.scores_for(tender, (3, 3)), by=officer
        )
    with pytest.raises(ValidationError) as exc:
        decision_services.record_decision(
            commission=c, organisation=bid_b.organisation, value=D("150000"), rationale="x", by=officer
        )
    assert "decided by the head of commissioning" in exc.value.message_dict["value"][0]
    decision = decision_services.record_decision(
        commission=c,
        organisation=bid_b.organisation,
        value=D("150000"),
        rationale="x",
        by=world.users[Role.HEAD_OF_COMMISSIONING],
    )
    assert decision.level == "head_of_commissioning"


def test_a_single_tender_agreement_needs_head_then_pcc_sign_off_above_the_threshold(world):
    from opcc.models import Role

    officer = f.officer_of(world)
    c = f.in_do(world)
    procurement_services.choose_route(
        commission=c, route=Route.SINGLE_TENDER, reason="Continuity", by=officer
    )
    org = world.organisation
    single_tender_services.save_single_tender(
        commission=c,
        organisation=org,
        ground="b",
        justification="Continuity of care",
        value=D("150000"),
        by=officer,
    )
    with pytest.raises(ValidationError):
        decision_services.record_decision(
            commission=c, organisation=org, value=D("90000"), rationale="x", by=officer
        )
    with pytest.raises(ValidationError):
        single_tender_services.sign_single_tender(
            commission=c, by=world.users[Role.PCC]
        )  # the head signs first
    single_tender_services.sign_single_tender(commission=c, by=world.users[Role.HEAD_OF_COMMISSIONING])
    with pytest.raises(ValidationError):
        decision_services.record_decision(
            commission=c, organisation=org, value=D("90000"), rationale="x", by=officer
        )
    sta = single_tender_services.sign_single_tender(commission=c, by=world.users[Role.PCC])
    assert sta.is_signed_off
    decision_services.record_decision(
        commission=c, organisation=org, value=D("90000"), rationale="x", by=officer
    )


def test_quotes_route(world):
    officer = f.officer_of(world)
    c = f.in_do(world, estimated_annual_value=D("6000"), estimated_total_value=D("12000"))
    procurement_services.choose_route(commission=c, route=Route.THREE_QUOTES, reason="", by=officer)
    quotes = [
        procurement_services.add_quote(
            commission=c, organisation=o, amount=D(a), received_on=date(2026, 10, 1), notes="", by=officer
        )
        for o, a in ((world.organisation, "11000"), (world.other_organisation, "11500"))
    ]
    with pytest.raises(ValidationError):
        procurement_services.choose_quote(commission=c, quote=quotes[0], reason="Cheapest", by=officer)
    third = procurement_services.add_quote(
        commission=c,
        organisation=f.OrganisationFactory(),
        amount=D("12500"),
        received_on=date(2026, 10, 2),
        notes="",
        by=officer,
    )
    procurement_services.choose_quote(
        commission=c, quote=quotes[1], reason="Best local knowledge", by=officer
    )
    decision_services.record_decision(
        commission=c, organisation=world.other_organisation, value=D("11500"), rationale="x", by=officer
    )
    assert third.pk
