"""Spending over £500 by month: public, the same rows on the page, in CSV and in JSON, and nothing private."""

import csv
import io
import json
from datetime import date
from decimal import Decimal

import pytest

from reporting.services import descriptions
from tests.funding.factories import PotFactory, approved_year
from tests.funding.factories import award as make_award
from tests.reporting.payments_factories import contract, pay

D = Decimal
SECRET = "AP-INTERNAL-0042"


@pytest.fixture
def spend(world):
    grant = make_award(
        organisation=world.organisation,
        pot=PotFactory(year=approved_year(2027)),
        amount="9000",
        title="Safe at home",
    )
    act = contract(world)
    pay(grant, date(2026, 6, 3), amount="500.00", reference=SECRET)  # not over £500
    pay(grant, date(2026, 6, 4), amount="500.01", reference=SECRET)
    pay(act, date(2026, 7, 1), amount="1250.50", reference=SECRET)
    descriptions.approve_all_as_they_are()  # their titles were reviewed for publication
    return grant, act


def test_items_over_500_only_and_by_month(client, spend):
    page = client.get("/transparency/spend/").content.decode()
    assert "£500.01" in page and "£1,250.50" in page and "£500.00" not in page
    assert "Marches Support" in page and "Safe at home" in page and "Victim support hub Ltd" in page
    june = client.get("/transparency/spend/?month=2026-06").content.decode()
    assert "£500.01" in june and "£1,250.50" not in june and "Spending over £500: June 2026" in june
    # An unknown month is every month, not an error: a public, linkable address.
    assert "£1,250.50" in client.get("/transparency/spend/?month=nonsense").content.decode()


def test_csv_and_json_carry_the_same_rows_with_the_same_names(client, spend):
    response = client.get("/transparency/spend.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    items = json.loads(b"".join(client.get("/transparency/spend.json").streaming_content))["items"]
    assert rows == items
    assert [(r["date_paid"], r["amount"], r["recipient"]) for r in items] == [
        ("2026-07-01", "1250.50", "Victim support hub Ltd"),
        ("2026-06-04", "500.01", "Marches Support"),
    ]
    assert items[0]["how_awarded"] == "Contract awarded after a competitive tender under the Procurement Act"
    june = json.loads(b"".join(client.get("/transparency/spend.json?month=2026-06").streaming_content))
    assert [r["amount"] for r in june["items"]] == ["500.01"]


def test_nothing_private_is_published(client, spend):
    published = "".join(
        [
            client.get("/transparency/spend/").content.decode(),
            b"".join(client.get("/transparency/spend.csv").streaming_content).decode("utf-8-sig"),
            b"".join(client.get("/transparency/spend.json").streaming_content).decode(),
        ]
    )
    for private in (SECRET, "sort code", "account number", "reduces", "@example.org"):
        assert private.lower() not in published.lower()


def test_the_list_is_paginated_in_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    grant = make_award(
        organisation=world.organisation,
        pot=PotFactory(year=approved_year(2027), allocated=D("1000000")),
        amount="900000",
    )
    for n in range(60):
        pay(grant, date(2026, 6, 1 + n % 28), amount="600.00")
    descriptions.approve_all_as_they_are()  # each row reads its approved title: still no query per row
    with django_assert_max_num_queries(6):
        first = client.get("/transparency/spend/").content.decode()
    assert "60 payments" in first and 'aria-label="Page 2"' in first
    with django_assert_max_num_queries(6):
        assert client.get("/transparency/spend/?page=2").status_code == 200
    with django_assert_max_num_queries(4):
        body = b"".join(client.get("/transparency/spend.csv").streaming_content)
    assert body.count(b"\n") == 61
