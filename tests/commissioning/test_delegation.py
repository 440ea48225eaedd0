"""Contract award decisions follow the office's delegation levels (funding.DelegationLevel), as grants do."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from commissioning.services import decisions as decision_services
from commissioning.services import evaluation as evaluation_services
from funding.models import DecisionKind, DelegationLevel
from opcc.models import Role
from tests.commissioning import factories as f


def _ready_to_decide(world):
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
    return officer, c, bid_b.organisation


def test_an_officer_decides_more_once_the_head_raises_the_officers_contract_limit(world):
    officer, c, provider = _ready_to_decide(world)
    with pytest.raises(ValidationError) as exc:
        decision_services.record_decision(
            commission=c, organisation=provider, value=Decimal("150000"), rationale="x", by=officer
        )
    assert "decided by the head of commissioning" in exc.value.message_dict["value"][0]
    DelegationLevel.objects.filter(decides=DecisionKind.CONTRACT, role=Role.COMMISSIONING_OFFICER).update(
        up_to=200000
    )
    decision = decision_services.record_decision(
        commission=c, organisation=provider, value=Decimal("150000"), rationale="x", by=officer
    )
    assert decision.level == Role.COMMISSIONING_OFFICER
    assert decision.level_label == "Commissioning officer"


def test_the_grant_limits_do_not_decide_contract_awards(world):
    officer, c, provider = _ready_to_decide(world)
    DelegationLevel.objects.filter(decides=DecisionKind.GRANT, role=Role.COMMISSIONING_OFFICER).update(
        up_to=1000000
    )
    with pytest.raises(ValidationError):
        decision_services.record_decision(
            commission=c, organisation=provider, value=Decimal("150000"), rationale="x", by=officer
        )


def test_the_pcc_records_a_decision_record_reference_with_every_decision(world):
    _officer, c, provider = _ready_to_decide(world)
    pcc = world.users[Role.PCC]
    with pytest.raises(ValidationError) as exc:
        decision_services.record_decision(
            commission=c, organisation=provider, value=Decimal("600000"), rationale="x", by=pcc
        )
    assert "decision record" in exc.value.message_dict["decision_record"][0]
    decision = decision_services.record_decision(
        commission=c,
        organisation=provider,
        value=Decimal("600000"),
        rationale="x",
        by=pcc,
        decision_record="PCC/2026/14",
    )
    assert decision.level == Role.PCC and decision.level_label.startswith("Police and Crime Commissioner")
