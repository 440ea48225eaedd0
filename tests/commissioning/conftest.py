from decimal import Decimal

import pytest

from tests.funding.factories import PotFactory, approved_year


@pytest.fixture
def pots(db):
    """The victim-services pot in 2026 to 2029, with room for a three-year contract."""
    found = {}
    for start_year in (2026, 2027, 2028, 2029):
        year = approved_year(start_year, income="10000000", police="5000000")
        found[start_year] = PotFactory(
            year=year,
            key="victim-services",
            name="Victim services",
            stream="victim_services",
            allocated=Decimal("200000"),
        )
    return found


@pytest.fixture
def regulated(world, pots):
    """A regulated tender decided for Bidder C on 2 November 2026, with three assessed bids and their summaries
    drawn, none sent (tests/commissioning/factories.decided_regulated_tender)."""
    from tests.commissioning import factories as f  # noqa: PLC0415 - factories import the world's models

    return f.decided_regulated_tender(world)
