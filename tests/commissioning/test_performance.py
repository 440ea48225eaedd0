"""Contracts over £5 million: three key performance indicators and an assessment at least every 12 months."""

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone

from commissioning.services import performance as performance_services

D = Decimal


def a_contract(total, *, light_touch=False, chosen=date(2026, 1, 5)):
    when = timezone.make_aware(timezone.datetime.combine(chosen, timezone.datetime.min.time()))
    return SimpleNamespace(
        annual_value=total,
        total_value=total,
        extension_options=[],
        procurement=SimpleNamespace(chosen_at=when, commission=SimpleNamespace(light_touch=light_touch)),
    )


@pytest.mark.parametrize(
    "total, light_touch, chosen, required",
    [
        (D("5000000"), False, date(2026, 1, 5), False),  # "more than £5 million" (s.52(1))
        (D("5000000.01"), False, date(2026, 1, 5), True),
        (D("9000000"), True, date(2026, 1, 5), False),  # light-touch contracts are exempt
        (D("9000000"), False, date(2025, 2, 23), False),  # procured before the Act
    ],
)
def test_which_contracts_need_key_performance_indicators(total, light_touch, chosen, required):
    contract = a_contract(total, light_touch=light_touch, chosen=chosen)
    assert performance_services.kpis_required(contract) is required


def test_ratings_need_three_different_named_and_rated_indicators():
    problems = performance_services.rating_problems(
        [("Referrals", "good"), ("referrals ", "bad"), ("", "good")]
    )
    assert problems == {
        "rating_2": "Choose the rating for key performance indicator 2",
        "kpi_3": "Enter key performance indicator 3",
        "__all__": "Each key performance indicator must be different",
    }
    assert performance_services.rating_problems([("A", "good"), ("B", "inadequate")]) == {
        "__all__": "Rate at least 3 key performance indicators"
    }
