"""Assessment summaries (commissioning/summaries.py): each supplier's own scores and price, the winner's scores and
reasons, and never another supplier's price; the PDF as the supplier receives it."""

import io
from decimal import Decimal

from pypdf import PdfReader

from commissioning.models import AssessmentSummary
from commissioning.summaries import render_summary_html, summary_content

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
