"""Only what can succeed is offered: once a stage has passed or its work is settled, its pages show the
record without a form, and the services refuse the same."""

import re
from decimal import Decimal
from html import unescape

import pytest
from freezegun import freeze_time

from commissioning.services import commissions as commission_services
from commissioning.services import decisions as decision_services
from commissioning.services import evaluation as evaluation_services
from tests.commissioning import factories as f
from tests.conftest import sign_in

D = Decimal
TODAY = "2026-12-02 10:00:00"


def page(response) -> str:
    return unescape(response.content.decode())


@freeze_time(TODAY)
def test_in_review_the_do_page_links_no_form_and_the_forms_show_the_record_only(client, world, pots):
    c = f.sta_in_review(world, pots)
    sign_in(client, f.officer_of(world))
    body = page(client.get(f"/commissioning/{c.pk}/do/"))
    for form in ("single-tender/", "decision/", "route/", "contract/new/"):
        assert f'href="/commissioning/{c.pk}/{form}"' not in body, form
    assert "it can no longer change" in body

    body = page(client.get(f"/commissioning/{c.pk}/single-tender/"))
    assert f"{c.reference} is in Review: procurement happens in Do." in body
    assert "Survivors mid-way through support" in body  # the agreement, read-only
    assert "Save the agreement</button>" not in body
    response = client.post(
        f"/commissioning/{c.pk}/single-tender/",
        {"organisation": world.organisation.pk, "ground": "a", "justification": "Changed", "value": "1"},
    )
    assert response.status_code == 200 and "govuk-error-summary" not in page(response)
    assert c.procurements.get().sta.justification == "Survivors mid-way through support"

    body = page(client.get(f"/commissioning/{c.pk}/decision/"))
    assert "Record the decision</button>" not in body
    assert "Signed off; price benchmarked" in body and "£96,000.00" in body  # the decision, read-only
    body = page(client.get(f"/commissioning/{c.pk}/contract/new/"))
    assert "Record the contract</button>" not in body and "The contract has already been recorded." in body


def test_the_decision_form_is_not_offered_while_do_has_work_to_finish(client, world):
    c, tender, bid_a, bid_b, _ = f.tender_ready_for_scoring(world)
    sign_in(client, f.officer_of(world))
    body = page(client.get(f"/commissioning/{c.pk}/decision/"))
    assert "The decision cannot be recorded until:" in body and "Record the decision</button>" not in body
    assert "Ranked result" not in body  # no bid is ranked before its scores are moderated
    assert f'href="/commissioning/{c.pk}/do/">Go to the Do tasks</a>' in body


def moderated_tender(world):
    officer = f.officer_of(world)
    c, tender, bid_a, bid_b, (person,) = f.tender_ready_for_scoring(world)
    evaluation_services.declare(
        tender=tender, user=person, answers={bid_a.pk: False, bid_b.pk: False}, details={}
    )
    evaluation_services.score_bid(bid=bid_a, user=person, scores=f.scores_for(tender, (4, 3)))
    evaluation_services.moderate_bid(
        commission=c, bid=bid_a, scores=f.scores_for(tender, (4, 3), "Agreed"), by=officer
    )
    return c, tender, bid_a, bid_b, person


def test_the_results_say_moderated_once_a_bid_is_moderated(client, world):
    c, tender, bid_a, bid_b, person = moderated_tender(world)
    sign_in(client, f.officer_of(world))
    results = f"/commissioning/{c.pk}/tender/results/"
    rows = {
        name: row
        for row in re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', page(client.get(results)), re.S)
        for name in ("Bidder A", "Bidder B")
        if name in row
    }
    assert "Moderated" in rows["Bidder A"] and ">Moderate<" not in rows["Bidder A"]
    assert "View or change" in rows["Bidder A"]
    # Bidder B waits for the panel's scores: moderating it now could only fail.
    assert "Waiting for the panel" in rows["Bidder B"] and "moderate/" not in rows["Bidder B"]
    assert "Record a bid" not in page(
        client.get(f"/commissioning/{c.pk}/tender/bids/")
    )  # moderation has started

    evaluation_services.score_bid(bid=bid_b, user=person, scores=f.scores_for(tender, (3, 5)))
    evaluation_services.moderate_bid(
        commission=c, bid=bid_b, scores=f.scores_for(tender, (3, 5), "Agreed"), by=f.officer_of(world)
    )
    # Both moderated: the decision page ranks them, one after the other.
    ranked = re.search(r"Ranked result: (.*?)</p>", page(client.get(f"/commissioning/{c.pk}/decision/")))
    assert ranked and re.fullmatch(r"1\. Bidder [AB] \([\d.]+\); 2\. Bidder [AB] \([\d.]+\)", ranked.group(1))
    decision_services.record_decision(
        commission=c,
        organisation=bid_b.organisation,
        value=D("90000"),
        rationale="Highest",
        by=f.officer_of(world),
    )
    body = page(client.get(results))
    assert "View or change" not in body and ">Moderate<" not in body
    assert body.count('govuk-tag--green">Moderated</strong>') == 2
    # Decided: the moderation can be read, not changed.
    body = page(client.get(f"/commissioning/{c.pk}/tender/bids/{bid_a.pk}/moderate/"))
    assert "Save the moderated scores</button>" not in body
    assert "Moderated scores" in body and "Agreed" in body
    assert "The award decision has been made: the procurement can no longer be changed." in body


def test_an_evaluator_is_not_offered_the_score_form_once_the_bid_is_moderated(client, world):
    c, tender, bid_a, bid_b, person = moderated_tender(world)
    sign_in(client, person)
    body = page(client.get(f"/commissioning/evaluations/{tender.pk}/"))
    row_a = next(
        r for r in re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', body, re.S) if "Bidder A" in r
    )
    assert "Moderated: your scores are final" in row_a
    body = page(client.get(f"/commissioning/evaluations/bids/{bid_a.pk}/"))
    assert "Save my scores</button>" not in body
    assert "The panel has moderated the scores for this bid: individual scores can no longer change." in body
    assert "4 out of 5" in body  # their own scores, read-only
    response = client.post(
        f"/commissioning/evaluations/bids/{bid_a.pk}/",
        {f"score_{cr.pk}": "0" for cr in tender.criteria.all()}
        | {f"comment_{cr.pk}": "Changed" for cr in tender.criteria.all()},
    )
    assert response.status_code == 200 and set(bid_a.scores.values_list("score", flat=True)) == {4, 3}
    # The other bid is still theirs to score.
    assert "Save my scores</button>" in page(client.get(f"/commissioning/evaluations/bids/{bid_b.pk}/"))


def test_the_services_refuse_evidence_and_moderation_once_their_stage_has_passed(world):
    """The pages offer no form then; a stale page's post meets the same rule in the service."""
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    officer = f.officer_of(world)
    c, bid = f.decided_tender(world)
    tender = c.procurements.get().tender
    moderated = tender.bids.get(organisation=bid)
    with pytest.raises(ValidationError, match="award decision has been made"):
        evaluation_services.moderate_bid(
            commission=c, bid=moderated, scores=f.scores_for(tender, (5, 5), "Again"), by=officer
        )
    commission_services.transition(commission=c, name="withdraw", by=officer, note="No longer needed")
    with pytest.raises(ValidationError, match="cannot be changed"):
        commission_services.upload_needs_assessment(
            commission=c, uploaded=SimpleUploadedFile("na.pdf", f.PDF), title="Late", by=officer
        )
