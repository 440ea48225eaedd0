"""Bids: one received after the closing date is recorded as late and stays out of the evaluation until the panel
accepts it, with its reason; one over the funding envelope is flagged; staff correct or withdraw a bid before scoring
starts, and remove a panel member who has not scored."""

import re
from datetime import date
from decimal import Decimal
from html import unescape

import pytest
from django.core.exceptions import ValidationError

from commissioning import gates, selectors
from commissioning.models import Bid, PanelMember
from commissioning.services import evaluation as evaluation_services
from commissioning.services import tenders as tender_services
from opcc.models import Role
from tests.commissioning import factories as f
from tests.conftest import sign_in
from tests.factories import OrganisationFactory

D = Decimal


def text(response) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))


def row_for(body: str, name: str) -> str:
    """The table row naming `name`, as text."""
    for row in re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', body, re.S):
        if name in unescape(row):
            return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", row))).strip()
    raise AssertionError(f"No row for {name}")


def summary(body: str) -> str:
    found = re.search(r'<div class="govuk-error-summary".*?</ul>', body, re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", found.group(0)))).strip() if found else ""


def timeline(client, c) -> str:
    body = client.get(f"/commissioning/{c.pk}/").content.decode()
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", body[body.index("moj-timeline") :])))


@pytest.fixture
def tender_world(world):
    """The tender closes on 1 August 2026 with a £150,000 envelope; bids from A (£100,000) and B (£90,000) on time; a
    late one from C (3 August, £160,000: over the envelope)."""
    c, tender, bid_a, bid_b, (person,) = f.tender_ready_for_scoring(world)
    late = tender_services.record_bid(
        commission=c,
        organisation=OrganisationFactory(name="Bidder C"),
        price=D("160000"),
        received_on=date(2026, 8, 3),
        summary="Arrived by courier",
        by=f.officer_of(world),
    )
    return c, tender, bid_a, bid_b, late, person


def test_a_bid_received_after_the_closing_date_is_recorded_as_late_and_kept_out_of_the_evaluation(
    client, world, tender_world
):
    c, tender, bid_a, bid_b, late, person = tender_world
    assert late.is_late and not late.in_evaluation
    sign_in(client, f.officer_of(world))
    bids = client.get(f"/commissioning/{c.pk}/tender/bids/").content.decode()
    assert "Late Waiting for the panel’s decision" in row_for(bids, "Bidder C")
    assert "Late" not in row_for(bids, "Bidder A")
    # Not on the panel's grid, not ranked, not a provider the award can go to; the Do tasks ask for the decision.
    assert "Bidder C" not in client.get(f"/commissioning/{c.pk}/tender/panel/").content.decode()
    assert "Bidder C" not in client.get(f"/commissioning/{c.pk}/tender/results/").content.decode()
    assert late.organisation not in selectors.eligible_providers(c.procurements.get())
    assert "Record the panel's decision on each late bid (1 to do)" in gates.decision_gaps(c)
    # The evaluator is asked to declare on the bids on time only, and cannot score the late one.
    sign_in(client, person)
    page = client.get(f"/commissioning/evaluations/{tender.pk}/").content.decode()
    assert "Bidder A" in page and "Bidder C" not in page
    assert client.get(f"/commissioning/evaluations/bids/{late.pk}/").status_code == 404
    evaluation_services.declare(
        tender=tender, user=person, answers={bid_a.pk: False, bid_b.pk: False}, details={}
    )
    with pytest.raises(ValidationError) as error:
        evaluation_services.score_bid(bid=late, user=person, scores=f.scores_for(tender, (3, 3)))
    assert "not part of the evaluation" in error.value.messages[0]


def test_the_panel_accepts_a_late_bid_with_its_reason_and_it_joins_the_evaluation(
    client, world, tender_world
):
    c, tender, bid_a, bid_b, late, person = tender_world
    sign_in(client, f.officer_of(world))
    url = f"/commissioning/{c.pk}/tender/bids/{late.pk}/late/"
    assert client.get(f"/commissioning/{c.pk}/tender/bids/").content.decode().count(url) == 1
    body = client.post(url, {"decision": "accepted", "reason": ""}).content.decode()
    assert "Enter the reason for the panel’s decision" in summary(body)
    late.refresh_from_db()
    assert late.late_decision == ""
    response = client.post(url, {"decision": "accepted", "reason": "The portal was down on the closing day"})
    assert response.status_code == 302
    late.refresh_from_db()
    assert late.late_decision == Bid.LateDecision.ACCEPTED and late.in_evaluation
    assert late.late_decided_by == f.officer_of(world)
    bids = client.get(f"/commissioning/{c.pk}/tender/bids/").content.decode()
    assert "Late Accepted by the panel: The portal was down on the closing day" in row_for(bids, "Bidder C")
    assert "Bidder C" in client.get(f"/commissioning/{c.pk}/tender/panel/").content.decode()
    assert "Late bid from Bidder C accepted by the panel: The portal was down on the closing day" in timeline(
        client, c
    )
    # The evaluator now declares on it.
    sign_in(client, person)
    assert "Bidder C" in client.get(f"/commissioning/evaluations/{tender.pk}/").content.decode()
    # Decided once: the page says so and offers no form.
    sign_in(client, f.officer_of(world))
    assert "The panel’s decision on this late bid has been recorded" in text(client.get(url))


def test_a_late_bid_the_panel_rejects_stays_out(world, tender_world):
    c, tender, bid_a, bid_b, late, person = tender_world
    tender_services.decide_late_bid(
        commission=c,
        bid=late,
        decision="rejected",
        reason="No reason given for the delay",
        by=f.officer_of(world),
    )
    late.refresh_from_db()
    assert late.late_decision == Bid.LateDecision.REJECTED and not late.in_evaluation
    assert not [g for g in gates.decision_gaps(c) if "late bid" in g]
    with pytest.raises(ValidationError):
        tender_services.decide_late_bid(
            commission=c, bid=bid_a, decision="accepted", reason="On time anyway", by=f.officer_of(world)
        )


def test_a_bid_over_the_funding_envelope_is_flagged_on_the_bids_and_results_pages(
    client, world, tender_world
):
    c, tender, bid_a, bid_b, late, person = tender_world
    tender_services.decide_late_bid(
        commission=c, bid=late, decision="accepted", reason="Portal down", by=f.officer_of(world)
    )
    sign_in(client, f.officer_of(world))
    bids = client.get(f"/commissioning/{c.pk}/tender/bids/").content.decode()
    assert 'govuk-tag--orange">Over the envelope' in bids
    assert "Over the envelope" in row_for(bids, "Bidder C")
    assert "Over the envelope" not in row_for(bids, "Bidder A") + row_for(bids, "Bidder B")
    results = client.get(f"/commissioning/{c.pk}/tender/results/").content.decode()
    assert "Over the envelope" in row_for(results, "Bidder C")
    assert "Over the envelope" not in row_for(results, "Bidder A")


def test_staff_correct_a_bid_before_scoring_starts_and_it_is_on_the_timeline(client, world, tender_world):
    c, tender, bid_a, bid_b, late, person = tender_world
    sign_in(client, f.officer_of(world))
    url = f"/commissioning/{c.pk}/tender/bids/{bid_a.pk}/change/"
    page = client.get(url).content.decode()
    assert 'value="100000.00"' in page or 'value="100000"' in page
    response = client.post(
        url,
        {
            "organisation": bid_a.organisation.pk,
            "price": "101500",
            "received_on_0": "20",
            "received_on_1": "7",
            "received_on_2": "2026",
            "summary": "Price corrected",
        },
    )
    assert response.status_code == 302
    bid_a.refresh_from_db()
    assert bid_a.price == D("101500") and bid_a.summary == "Price corrected"
    assert "Bid from Bidder A corrected: price £100,000.00 to £101,500.00" in timeline(client, c)
    # Once an evaluator has scored, the bids stand.
    evaluation_services.declare(
        tender=tender, user=person, answers={bid_a.pk: False, bid_b.pk: False}, details={}
    )
    evaluation_services.score_bid(bid=bid_b, user=person, scores=f.scores_for(tender, (3, 3)))
    assert "Scoring has started: bids can no longer be corrected or withdrawn" in text(client.get(url))
    assert url not in client.get(f"/commissioning/{c.pk}/tender/bids/").content.decode()
    with pytest.raises(ValidationError) as error:
        tender_services.correct_bid(
            commission=c,
            bid=bid_a,
            organisation=bid_a.organisation,
            price=D("1"),
            received_on=bid_a.received_on,
            summary="",
            by=f.officer_of(world),
        )
    assert "Scoring has started" in error.value.messages[0]
    bid_a.refresh_from_db()
    assert bid_a.price == D("101500")


def test_correcting_a_bid_keeps_its_rules(world, tender_world):
    c, tender, bid_a, bid_b, late, person = tender_world
    with pytest.raises(ValidationError) as error:
        tender_services.correct_bid(
            commission=c,
            bid=bid_a,
            organisation=bid_b.organisation,
            price=D("100000"),
            received_on=date(2026, 6, 1),
            summary="",
            by=f.officer_of(world),
        )
    assert error.value.message_dict == {
        "organisation": ["A bid from Bidder B is already recorded"],
        "received_on": ["A bid cannot be received before the tender was published"],
    }


def test_staff_withdraw_a_bid_with_its_reason_and_it_leaves_the_evaluation(client, world, tender_world):
    c, tender, bid_a, bid_b, late, person = tender_world
    sign_in(client, f.officer_of(world))
    url = f"/commissioning/{c.pk}/tender/bids/{bid_b.pk}/withdraw/"
    body = client.post(url, {"reason": ""}).content.decode()
    assert "Enter why the bid is being withdrawn" in summary(body)
    assert client.post(url, {"reason": "The bidder withdrew by email"}).status_code == 302
    bid_b.refresh_from_db()
    assert bid_b.is_withdrawn and not bid_b.in_evaluation
    bids = client.get(f"/commissioning/{c.pk}/tender/bids/").content.decode()
    assert "Withdrawn Reason: The bidder withdrew by email" in row_for(bids, "Bidder B")
    assert "Bidder B" not in client.get(f"/commissioning/{c.pk}/tender/results/").content.decode()
    assert "Bid from Bidder B withdrawn: The bidder withdrew by email" in timeline(client, c)
    assert bid_b.organisation not in selectors.eligible_providers(c.procurements.get())


def test_only_staff_who_may_change_the_commission_correct_or_withdraw_bids(client, world, tender_world):
    c, tender, bid_a, bid_b, late, person = tender_world
    for role in (Role.AUDITOR, Role.EVALUATOR, Role.FINANCE_OFFICER):
        sign_in(client, world.users[role] if role != Role.EVALUATOR else person)
        for action in ("change", "withdraw", "late"):
            bid = late if action == "late" else bid_a
            assert client.post(
                f"/commissioning/{c.pk}/tender/bids/{bid.pk}/{action}/",
                {"reason": "x", "decision": "accepted"},
            ).status_code in (403, 404)
    bid_a.refresh_from_db()
    late.refresh_from_db()
    assert not bid_a.is_withdrawn and late.late_decision == ""


def test_a_panel_member_who_has_not_scored_can_be_removed_and_one_who_has_cannot(client, world, tender_world):
    c, tender, bid_a, bid_b, late, person = tender_world
    other = f.evaluator(email="second@example.org")
    evaluation_services.add_panel_member(commission=c, user=other, by=f.officer_of(world))
    evaluation_services.declare(
        tender=tender, user=person, answers={bid_a.pk: False, bid_b.pk: False}, details={}
    )
    evaluation_services.score_bid(bid=bid_a, user=person, scores=f.scores_for(tender, (3, 3)))
    sign_in(client, f.officer_of(world))
    panel = client.get(f"/commissioning/{c.pk}/tender/panel/").content.decode()
    scorer, idle = PanelMember.objects.get(user=person), PanelMember.objects.get(user=other)
    assert f"/tender/panel/{idle.pk}/remove/" in panel and f"/tender/panel/{scorer.pk}/remove/" not in panel
    # The one who has scored: refused, clearly.
    page = text(client.get(f"/commissioning/{c.pk}/tender/panel/{scorer.pk}/remove/"))
    assert f"{person.full_name} has scored bids: they cannot be removed from the panel" in page
    assert client.post(f"/commissioning/{c.pk}/tender/panel/{scorer.pk}/remove/").status_code == 200
    assert PanelMember.objects.filter(pk=scorer.pk).exists()
    with pytest.raises(ValidationError) as error:
        evaluation_services.remove_panel_member(commission=c, member=scorer, by=f.officer_of(world))
    assert error.value.messages == [
        f"{person.full_name} has scored bids: they cannot be removed from the panel"
    ]
    # The one who has not: removed, on the timeline.
    assert f"Remove {other.full_name} from the panel" in text(
        client.get(f"/commissioning/{c.pk}/tender/panel/{idle.pk}/remove/")
    )
    assert client.post(f"/commissioning/{c.pk}/tender/panel/{idle.pk}/remove/").status_code == 302
    assert not PanelMember.objects.filter(pk=idle.pk).exists()
    assert f"{other.full_name} removed from the evaluation panel" in timeline(client, c)
    # An auditor cannot remove anyone.
    sign_in(client, world.users[Role.AUDITOR])
    assert client.post(f"/commissioning/{c.pk}/tender/panel/{scorer.pk}/remove/").status_code == 403
