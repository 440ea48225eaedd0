"""Assessment summaries (Procurement Act 2023, s.50(3); Procurement Regulations 2024, reg. 31): what one assessed
supplier is told, and the PDF drawn with the offer letters' page style (grants/letters.py) and WeasyPrint.

A summary carries the award criteria with their weights, the supplier's own moderated score and the reasons for it
against each criterion, its own price and total; and, when it did not win, the winning tender's score and reasons
against each criterion and its total. Regulation 31 asks for scores and reasons, not prices: no other supplier's
price appears, not even the winner's (the contract award notice publishes the contract's value).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import cast

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from commissioning.exclusions import excluded_organisations
from commissioning.models import Bid, ModeratedScore, Procurement
from commissioning.procurement import RankedBid, rank_bids
from grants.letters import DEFAULT_LETTERHEAD, DEMO_CSS, DEMO_NOTICE, PAGE_CSS
from opcc.money import gbp

# In demo mode every page says it is a demonstration, as the offer letters do, in the summary's own words.
DEMO_SUMMARY = "Demonstration: not a real assessment summary"

# A typical summary (three criteria, each with the supplier's and the winning tender's reasons) fits on one page:
# narrower page margins than a letter's and tighter spacing, the same type sizes.
SUMMARY_CSS = """
@page { margin: 14mm 18mm 15mm 18mm; }
body { line-height: 1.3; }
.letterhead { padding-bottom: 4pt; margin-bottom: 8pt; }
.addressee { margin-bottom: 4pt; }
h1 { margin: 6pt 0 4pt; }
h2 { margin: 7pt 0 2pt; }
p { margin: 0 0 4pt; }
.outcome { border-left: 4px solid #1d70b8; padding: 2pt 6pt; margin: 4pt 0 6pt; }
table { margin-bottom: 4pt; }
th, td { padding: 1.5pt 4pt; }
td.reasons { font-size: 8.5pt; color: #383f43; padding-bottom: 3pt; }
"""


@dataclass
class CriterionRow:
    name: str
    weight: int
    score: int | None
    reasons: str
    winner_score: int | None
    winner_reasons: str


@dataclass
class SummaryContent:
    office: str
    date: date
    supplier: str
    title: str
    reference: str
    portal_reference: str
    successful: bool
    winner: str
    scale_max: int
    quality_weight: int
    price_weight: int
    rows: list[CriterionRow]
    price: str
    price_score: Decimal
    quality: Decimal | None
    total: Decimal | None
    winner_price_score: Decimal | None
    winner_quality: Decimal | None
    winner_total: Decimal | None


def _ranked(tender) -> list[RankedBid]:
    moderated = {
        (m.bid_id, m.criterion_id): m.score for m in ModeratedScore.objects.filter(bid__tender=tender)
    }
    excluded = excluded_organisations(tender.procurement)
    return rank_bids(tender, tender.bids.in_evaluation().select_related("organisation"), moderated, excluded)


def summary_content(procurement: Procurement, bid: Bid, *, on: date | None = None) -> SummaryContent:
    """What `bid`'s supplier is told. Reads the moderated scores: the panel's agreed scores and rationale."""
    tender = procurement.tender
    decision = procurement.decision
    ranked = {cast(Bid, row.bid).pk: row for row in _ranked(tender)}
    winner_bid: Bid | None = next(
        (
            cast(Bid, row.bid)
            for row in ranked.values()
            if cast(Bid, row.bid).organisation_id == decision.organisation_id
        ),
        None,
    )
    moderated = {
        (m.bid_id, m.criterion_id): m
        for m in ModeratedScore.objects.filter(bid_id__in=[bid.pk, getattr(winner_bid, "pk", None)])
    }
    successful = winner_bid is not None and winner_bid.pk == bid.pk
    rows = []
    for criterion in tender.criteria.all():
        mine = moderated.get((bid.pk, criterion.pk))
        theirs = moderated.get((winner_bid.pk, criterion.pk)) if winner_bid and not successful else None
        rows.append(
            CriterionRow(
                name=criterion.name,
                weight=criterion.weight,
                score=mine.score if mine else None,
                reasons=mine.rationale if mine else "",
                winner_score=theirs.score if theirs else None,
                winner_reasons=theirs.rationale if theirs else "",
            )
        )
    own, best = ranked.get(bid.pk), ranked.get(winner_bid.pk) if winner_bid else None
    return SummaryContent(
        office=settings.OFFICE_NAME,
        date=on or timezone.localdate(),
        supplier=bid.organisation.name,
        title=procurement.commission.title,
        reference=procurement.commission.reference,
        portal_reference=tender.portal_reference,
        successful=successful,
        winner=decision.organisation.name,
        scale_max=tender.score_scale_max,
        quality_weight=tender.quality_weight,
        price_weight=tender.price_weight,
        rows=rows,
        price=gbp(bid.price),
        price_score=own.price if own else Decimal("0"),
        quality=own.quality if own else None,
        total=own.total if own else None,
        winner_price_score=best.price if best and not successful else None,
        winner_quality=best.quality if best and not successful else None,
        winner_total=best.total if best and not successful else None,
    )


def render_summary_html(content: SummaryContent, *, demo: bool | None = None) -> str:
    demo = settings.DEMO_MODE if demo is None else demo
    return render_to_string(
        "commissioning/assessment_summary_pdf.html",
        {
            "s": content,
            "letterhead": [line for line in DEFAULT_LETTERHEAD.splitlines() if line.strip()],
            "style": PAGE_CSS + SUMMARY_CSS + (DEMO_CSS.replace(DEMO_NOTICE, DEMO_SUMMARY) if demo else ""),
            "demo_notice": DEMO_SUMMARY if demo else "",
        },
    )


def render_summary_pdf(content: SummaryContent, *, demo: bool | None = None) -> bytes:
    from weasyprint import HTML  # noqa: PLC0415 - loaded only when a summary is drawn: it is slow to import

    return HTML(string=render_summary_html(content, demo=demo), base_url=None).write_pdf()
