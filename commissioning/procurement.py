"""The arithmetic of procurement: which route a value needs, extension patterns, and tender scores.

Pure functions (plus reading the bands), so the rules are tested on their own and the pages and
services share one answer.
"""

import re
from collections.abc import Collection
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError

from commissioning.models import ROUTE_WEIGHT, ProcurementBand, Route

DEFAULT_BANDS = [
    # route, from, from for light-touch services (DESIGN.md; Procurement Act 2023 thresholds from 1 January 2026)
    (Route.ONE_QUOTE, Decimal("0"), None),
    (Route.THREE_QUOTES, Decimal("5000"), None),
    (Route.TENDER, Decimal("30000"), None),
    (Route.REGULATED, Decimal("207720"), Decimal("663540")),
]
TWO_PLACES = Decimal("0.01")


def ensure_default_bands() -> None:
    for route, lower, light in DEFAULT_BANDS:
        ProcurementBand.objects.get_or_create(
            route=route, defaults={"lower_bound": lower, "light_touch_lower_bound": light}
        )


def required_route(value: Decimal, *, light_touch: bool = False, bands=None) -> str:
    """The lightest route the Financial Regulations allow for an estimated total value."""
    if bands is None:
        ensure_default_bands()
        bands = list(ProcurementBand.objects.all())
    route, best = Route.ONE_QUOTE, Decimal("-1")
    for band in bands:
        lower = (
            band.light_touch_lower_bound
            if (light_touch and band.light_touch_lower_bound is not None)
            else band.lower_bound
        )
        if value >= lower and lower > best:
            route, best = band.route, lower
    return route


def is_direct_award(value: Decimal | None, *, light_touch: bool) -> bool:
    """A single tender agreement at or above the threshold that applies is a direct award under the Procurement Act
    2023 (s.41 and Schedule 5)."""
    return value is not None and required_route(value, light_touch=light_touch) == Route.REGULATED


def route_allowed(chosen: str, required: str) -> bool:
    if chosen == Route.SINGLE_TENDER:
        return True
    return ROUTE_WEIGHT[Route(chosen)] >= ROUTE_WEIGHT[Route(required)]


PATTERN_RE = re.compile(r"^\s*(\d{1,2})(\s*\+\s*\d{1,2})*\s*$")


def parse_pattern(pattern: str) -> tuple[int, list[int]]:
    """ "3+1" -> (3, [1]). The extensions together may not exceed the initial term (the strategy's rule)."""
    if not pattern or not PATTERN_RE.match(pattern):
        raise ValidationError(
            {"extension_pattern": "Enter the term and extensions in years separated by +, like 3+1 or 2+1+1"}
        )
    numbers = [int(part) for part in pattern.replace(" ", "").split("+")]
    initial, extensions = numbers[0], numbers[1:]
    if initial < 1 or any(n < 1 for n in extensions):
        raise ValidationError({"extension_pattern": "Each period must be at least 1 year"})
    if sum(extensions) > initial:
        raise ValidationError(
            {
                "extension_pattern": (
                    f"{pattern.replace(' ', '')} is not allowed: the extensions add up to {sum(extensions)} "
                    f"year{'s' if sum(extensions) != 1 else ''}, more than the initial term of {initial} "
                    f"year{'s' if initial != 1 else ''}. The extensions together may not exceed the initial term"
                )
            }
        )
    return initial, extensions


# ---- Tender scoring --------------------------------------------------------------------------


def price_score(lowest: Decimal, price: Decimal, price_weight: int) -> Decimal:
    """Lowest price ÷ this bid's price × the price weight."""
    if price <= 0:
        return Decimal(price_weight).quantize(TWO_PLACES)
    return (Decimal(lowest) / Decimal(price) * price_weight).quantize(TWO_PLACES, ROUND_HALF_UP)


def quality_score(scores: dict, weights: dict, scale_max: int, quality_weight: int) -> Decimal:
    """Each criterion's score as a share of the top score, times its weight (weights sum to 100),
    then scaled to the quality weight. scores and weights are keyed by criterion."""
    total = sum((Decimal(scores[c]) / scale_max * weights[c] for c in weights), Decimal("0"))
    return (total * quality_weight / 100).quantize(TWO_PLACES, ROUND_HALF_UP)


@dataclass
class RankedBid:
    bid: object
    quality: Decimal | None
    price: Decimal
    total: Decimal | None
    rank: int | None = None
    excluded: bool = False


def rank_bids(tender, bids, moderated: dict, excluded: Collection[int] = ()) -> list[RankedBid]:
    """moderated: {(bid_id, criterion_id): score}. Bids without every moderated score are unranked. excluded: the
    organisations excluded from the procurement, whose tenders are disregarded (Procurement Act 2023 s.57): they
    are not ranked and their price does not set the lowest price the others are scored against."""
    criteria = list(tender.criteria.all())
    weights = {c.pk: c.weight for c in criteria}
    bids = list(bids)
    disregarded = [b for b in bids if b.organisation_id in excluded]
    bids = [b for b in bids if b.organisation_id not in excluded]
    lowest = min((b.price for b in bids), default=None)
    rows = []
    for bid in bids:
        p = price_score(lowest, bid.price, tender.price_weight)
        scores = {c.pk: moderated.get((bid.pk, c.pk)) for c in criteria}
        if criteria and all(v is not None for v in scores.values()):
            q = quality_score(scores, weights, tender.score_scale_max, tender.quality_weight)
            rows.append(RankedBid(bid, q, p, q + p))
        else:
            rows.append(RankedBid(bid, None, p, None))
    ranked = sorted([r for r in rows if r.total is not None], key=lambda r: (-r.total, r.bid.price, r.bid.pk))
    for i, row in enumerate(ranked, start=1):
        row.rank = i
    out = [RankedBid(b, None, Decimal(0), None, excluded=True) for b in disregarded]
    return ranked + [r for r in rows if r.total is None] + out
