"""An evaluator's score form lists every error at once, in page order, and saves nothing."""

from commissioning.services import evaluation as evaluation_services
from tests.commissioning import factories as f
from tests.conftest import sign_in


def test_every_score_error_is_listed_at_once_in_page_order(client, world):
    c, tender, bid_a, bid_b, (person,) = f.tender_ready_for_scoring(world)
    evaluation_services.declare(
        tender=tender, user=person, answers={bid_a.pk: False, bid_b.pk: False}, details={}
    )
    first, second = tender.criteria.all()
    sign_in(client, person)
    data = {
        f"score_{first.pk}": "",
        f"comment_{first.pk}": "Strong",
        f"score_{second.pk}": "7",
        f"comment_{second.pk}": "",
    }
    body = client.post(f"/commissioning/evaluations/bids/{bid_a.pk}/", data).content.decode()
    summary = body[
        body.index("govuk-error-summary__list") : body.index("</ul>", body.index("govuk-error-summary__list"))
    ]
    expected = [
        f"Enter a score for {first.name}",
        f"The score for {second.name} must be between 0 and 5",
        f"Enter the reasons for the score for {second.name}",
    ]
    positions = [summary.find(message) for message in expected]
    assert -1 not in positions and positions == sorted(positions)
    data[f"score_{first.pk}"] = "-1"
    body = client.post(f"/commissioning/evaluations/bids/{bid_a.pk}/", data).content.decode()
    assert f"The score for {first.name} must be between 0 and 5" in body
    assert not bid_a.scores.exists()
