"""Review's performance table: how many quarters have returns, which is overdue, and the latest 8 of a
long contract's returns."""

import re
from datetime import date
from decimal import Decimal
from html import unescape
from types import SimpleNamespace

from freezegun import freeze_time

from commissioning import selectors
from commissioning.services import commissions as commission_services
from tests.commissioning import factories as f
from tests.conftest import sign_in

D = Decimal
TODAY = "2026-12-02 10:00:00"


def page(response) -> str:
    return unescape(response.content.decode())


@freeze_time(TODAY)
def test_the_review_page_says_how_many_quarters_have_returns_and_which_is_overdue(client, world, pots):
    from reporting.models import QuarterlyReturn
    from reporting.services.returns import ensure_returns

    officer = f.officer_of(world)
    c, _ = f.decided_tender(world)
    contract = f.contract_for(
        world,
        c,
        pots[2026],
        start_date=date(2026, 4, 1),
        signed_on=date(2026, 3, 1),
        initial_term_years=1,
        extension_pattern="1+1",
        total_value=D("30000"),
    )
    c = commission_services.transition(commission=c, name="start_review", by=officer)
    ensure_returns(today=date(2026, 12, 2), award_ids=[contract.award_id])  # Q1 and Q2 ended, Q3 running
    QuarterlyReturn.objects.filter(award=contract.award, quarter=1).update(status="accepted", rag="green")
    sign_in(client, officer)
    body = re.sub(r"\s+", " ", page(client.get(f"/commissioning/{c.pk}/review/")))
    assert (
        "The contract runs for 4 quarters: 3 have quarterly returns (1 accepted, 1 overdue and 1 not yet due). "
        "The remaining quarter has not ended yet, so its return is not yet due."
    ) in body
    assert "The return for Q2 2026/27 is overdue: it was due on 30 October 2026." in body
    q2 = next(r for r in re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', body) if "Q2 2026/27" in r)
    assert 'govuk-tag--red">Overdue</strong>' in q2 and ">Open<" not in q2


def demo_returns():
    """The stalking advocacy contract's 11 returns on 2 December 2026, newest first, as the hook gives them."""
    rows = [
        ("Q3 2026/27", "not_yet_due", None, date(2027, 1, 30)),
        ("Q2 2026/27", "open", None, date(2026, 10, 30)),
        ("Q1 2026/27", "accepted", "red", date(2026, 7, 30)),
        ("Q4 2025/26", "accepted", "red", date(2026, 4, 30)),
        ("Q3 2025/26", "accepted", "amber", date(2026, 1, 30)),
        ("Q2 2025/26", "accepted", "green", date(2025, 10, 30)),
        ("Q1 2025/26", "accepted", "amber", date(2025, 7, 30)),
        ("Q4 2024/25", "accepted", "green", date(2025, 4, 30)),
        ("Q3 2024/25", "accepted", "green", date(2025, 1, 30)),
        ("Q2 2024/25", "accepted", "green", date(2024, 10, 30)),
        ("Q1 2024/25", "accepted", "green", date(2024, 7, 30)),
    ]
    return {
        "rag": "red",
        "persistently_red": True,
        "summary": "Rated at the latest accepted return.",
        "url": "/monitoring/awards/1/",
        "returns": [
            {
                "quarter": q,
                "status": s,
                "rag": r,
                "due_date": d,
                "id": i,
                "overdue": s in ("not_yet_due", "open") and d < date(2026, 12, 2),
            }
            for i, (q, s, r, d) in enumerate(rows)
        ],
    }


def test_a_long_contract_says_the_table_shows_the_latest_8_of_11_returns(client, world, pots, monkeypatch):
    from funding.models import Award

    c = f.sta_in_review(world, pots)
    award = c.procurements.get().contract.award
    Award.objects.filter(pk=award.pk).update(start_date=date(2024, 4, 1), end_date=date(2027, 3, 31))
    monkeypatch.setattr("commissioning.views.commissions.award_performance", lambda a: demo_returns())
    sign_in(client, f.officer_of(world))
    with freeze_time(TODAY):
        body = re.sub(r"\s+", " ", page(client.get(f"/commissioning/{c.pk}/review/")))
    assert (
        "The contract runs for 12 quarters: 11 have quarterly returns (9 accepted, 1 overdue and 1 not yet due). "
        "The remaining quarter has not ended yet, so its return is not yet due."
    ) in body
    assert "The latest 8 of 11 quarterly returns" in body
    assert "The 3 earlier returns are on the award's outcome monitoring page." in body
    assert "The return for Q2 2026/27 is overdue: it was due on 30 October 2026." in body


def test_an_overdue_flag_from_the_hook_is_used_as_it_is():
    award = SimpleNamespace(start_date=date(2026, 4, 1), end_date=date(2027, 3, 31))
    performance = {
        "returns": [
            {
                "quarter": "Q1 2026/27",
                "status": "open",
                "rag": None,
                "due_date": date(2026, 7, 30),
                "overdue": False,
            }
        ]
    }
    shaped = selectors.review_performance(award, performance, today=date(2026, 12, 2))
    assert shaped["overdue"] == [] and shaped["rows"][0]["overdue"] is False
    assert "1 open for the provider" in shaped["coverage"]
    assert selectors.review_performance(award, None, today=date(2026, 12, 2)) is None
