"""An excluded supplier's tender is disregarded (Procurement Act 2023 s.57): it drops out of the ranking, does not
set the lowest price, and the bids and results pages say it is excluded."""

from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from commissioning.procurement import rank_bids
from commissioning.views.moderation import ranked_bids
from opcc.models import Role
from opcc.testing import verified_client
from tests.commissioning import act_factories as act
from tests.commissioning import factories as f

D = Decimal


def _evaluated(world):
    person = f.evaluator()
    c, procurement, bids = act.regulated_tender(world, evaluators=[person])
    act.prepared(world, c)
    act.evaluated(world, c, person)  # Bidder A scores 3s at £250,000, Bidder B 4s at £240,000
    act.import_list(world, f.NOBODY_WE_FUND)
    return c, procurement, bids


def _exclude(world, c, organisation):
    act.clean_check(
        world,
        c,
        organisation,
        outcome="excluded",
        exclusion_grounds="Schedule 7: poor performance",
        exclusion_reasons="Breached its last contract and has not put it right",
        excluded_on=timezone.localdate(),
    )


def test_the_excluded_bid_drops_out_of_the_ranking_and_the_lowest_price(world):
    c, procurement, (bid_a, bid_b) = _evaluated(world)
    before = {r.bid.pk: r for r in ranked_bids(procurement.tender)}
    assert before[bid_b.pk].rank == 1 and before[bid_a.pk].price < D("30")
    _exclude(world, c, bid_b.organisation)
    after = ranked_bids(procurement.tender)
    assert [(r.bid.pk, r.rank, r.excluded) for r in after] == [(bid_a.pk, 1, False), (bid_b.pk, None, True)]
    # Bidder A's price is now the lowest of the tenders considered: it scores the whole price weight.
    assert after[0].price == D("30.00")
    assert after[1].total is None


def test_rank_bids_without_exclusions_ranks_everyone(world):
    _c, procurement, (bid_a, bid_b) = _evaluated(world)
    tender = procurement.tender
    rows = rank_bids(tender, tender.bids.in_evaluation().select_related("organisation"), {}, ())
    assert not any(r.excluded for r in rows)


def test_the_bids_and_results_pages_show_the_bid_as_excluded(world):
    c, _procurement, (_bid_a, bid_b) = _evaluated(world)
    client = verified_client(world.users[Role.COMMISSIONING_OFFICER])
    assert "Excluded" not in client.get(reverse("commissioning:results", args=[c.pk])).content.decode()
    _exclude(world, c, bid_b.organisation)
    bids = client.get(reverse("commissioning:bids", args=[c.pk])).content.decode()
    assert "Excluded from this procurement: the bid is disregarded" in bids
    results = client.get(reverse("commissioning:results", args=[c.pk])).content.decode()
    assert '<strong class="govuk-tag govuk-tag--red">Excluded</strong>' in results
    assert "Disregarded" in results
