"""Assessment summaries (commissioning/summaries.py): each supplier's own scores and price, the winner's scores and
reasons, and never another supplier's price; the PDF as the supplier receives it."""

import io
from datetime import date
from decimal import Decimal

from pypdf import PdfReader

from commissioning.models import AssessmentSummary
from commissioning.summaries import (
    CriterionRow,
    SummaryContent,
    render_summary_html,
    render_summary_pdf,
    summary_content,
)

D = Decimal
PRICES = {"Marches Support": "£280,000.00", "Shropshire Help": "£250,000.00", "Bidder C": "£270,000.00"}


def _pdf_text(summary) -> str:
    with summary.document.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_the_pdf_carries_the_suppliers_own_scores_and_reasons_and_the_winners(world, regulated):
    _c, bids, _winner = regulated
    text = _pdf_text(
        AssessmentSummary.objects.get(bid=bids[0])
    )  # Marches Support: 3 and 3; the winner 5 and 4
    assert "Assessment summary" in text
    assert "Your tender was not successful" in text and "Bidder C" in text
    assert "Service delivery 60% 3 of 5 5 of 5" in text
    assert "Partnership working 40% 3 of 5 4 of 5" in text
    assert "Panel's reasons for Marches Support" in text
    assert "Panel's reasons for Bidder C" in text
    assert "Price £280,000.00" in text


def test_a_summary_shows_only_its_own_suppliers_price(world, regulated):
    procurement = regulated[0].procurements.get()
    for summary in AssessmentSummary.objects.filter(procurement=procurement).select_related(
        "bid__organisation"
    ):
        own = summary.bid.organisation.name
        pdf = _pdf_text(summary)
        html = render_summary_html(summary_content(procurement, summary.bid), demo=False)
        assert PRICES[own] in pdf and PRICES[own] in html
        for other, price in PRICES.items():
            if other != own:
                assert price not in pdf, f"{own}'s summary shows {other}'s price"
                assert price not in html, f"{own}'s summary shows {other}'s price"
        # Nor anyone else's moderation reasons, except the winning tender's.
        for other in PRICES:
            if other not in (own, "Bidder C"):
                assert f"Panel's reasons for {other}" not in pdf


def test_the_winners_summary_says_so_and_has_no_comparison(world, regulated):
    _c, _bids, winner = regulated
    text = _pdf_text(AssessmentSummary.objects.get(bid__organisation=winner))
    assert "Your tender was the most advantageous tender" in text
    assert "Winning tender" not in text
    assert "Service delivery 60% 5 of 5" in text


def test_the_totals_are_the_ranked_result(world, regulated):
    procurement = regulated[0].procurements.get()
    _c, bids, _winner = regulated
    content = summary_content(procurement, bids[1])  # Shropshire Help: the lowest price, scores 2 and 3
    assert content.price_score == D("30.00")
    assert content.quality == D("33.60")  # (2/5 × 60 + 3/5 × 40) × 70%
    assert content.total == D("63.60")
    assert content.winner_quality == D("64.40")  # (5/5 × 60 + 4/5 × 40) × 70%
    assert content.winner_total == D("92.18")  # and 250,000 / 270,000 × 30 = 27.78 for price
    assert not content.successful


# The demonstration's website tender (commissioning/demo.py): three criteria, each with the panel's reasons for the
# supplier's tender and the winning one's. A typical summary, as a supplier that did not win receives it.
TYPICAL_REASONS = (
    (
        "A standard template site; co-design limited to one workshop.",
        "Tested every page with twelve victims and two screen reader users; a plan to keep doing so.",
    ),
    (
        "Role-based access and audit trail described in detail, with certification.",
        "Referrals encrypted and seen only by the receiving service; penetration tested yearly.",
    ),
    (
        "Support hours fit the service; no continuity plan if the studio closes.",
        "Four-hour response in office hours; hosting in the UK with a second site.",
    ),
)


def _typical() -> SummaryContent:
    criteria = (
        ("Accessibility and co-design with victims", 50, 3, 5),
        ("Security of referrals", 30, 4, 4),
        ("Support and hosting", 20, 3, 4),
    )
    return SummaryContent(
        office="West Mercia Police and Crime Commissioner",
        date=date(2026, 10, 28),
        supplier="Hereford Web Studio (demo)",
        title="Victims' information website and referral portal",
        reference="WM-C-2026-014",
        portal_reference="BLC-WMPCC-2026-027",
        successful=False,
        winner="Marches Digital Co-operative (demo)",
        scale_max=5,
        quality_weight=60,
        price_weight=40,
        rows=[
            CriterionRow(
                name=name, weight=weight, score=mine, reasons=why, winner_score=theirs, winner_reasons=won
            )
            for (name, weight, mine, theirs), (why, won) in zip(criteria, TYPICAL_REASONS, strict=True)
        ],
        price="£205,400.00",
        price_score=D("34.37"),
        quality=D("38.40"),
        total=D("72.77"),
        winner_price_score=D("35.66"),
        winner_quality=D("53.40"),
        winner_total=D("89.06"),
    )


def test_a_typical_summary_fits_on_one_page_with_everything_it_says():
    """With the demonstration's marking too (it takes a line): the last sentence used to spill onto a second page."""
    reader = PdfReader(io.BytesIO(render_summary_pdf(_typical(), demo=True)))
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    for words in (
        "Demonstration: not a real assessment summary",
        "Our reference: WM-C-2026-014",
        "Support hours fit the service; no continuity plan if the studio closes.",
        "Total score (of 100) 72.77 89.06",
        "Other suppliers' prices are not disclosed.",
        "If you have questions about this summary, reply to the commissioning team at the address above.",
        "Page 1 of 1",
    ):
        assert words in text
