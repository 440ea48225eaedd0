"""The public transparency pages: open to everyone, and showing nothing that has not been published."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import OrganisationFactory
from tests.funding.factories import PotFactory, approved_year
from tests.reporting.transparency_factories import ACCEPTED_BY, APPLICANT_EMAIL, bulk_grants, published_world
from tests.shared_data import built_once_per_module

D = Decimal
PUBLIC_PAGES = [
    "/transparency/",
    "/transparency/grants/",
    "/transparency/contracts/",
    "/transparency/contracts/up-to-10000/",
    "/transparency/grant-rounds/",
    "/transparency/tenders/",
    "/open-data/",
]


# The published records, built once: every test reads them (tests/shared_data.py).
_built_once, world, pub = built_once_per_module(published_world, name="pub")


def body(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def everything_public(client, pub) -> str:
    urls = PUBLIC_PAGES + [
        f"/transparency/grants/{pub.grant.reference}/",
        f"/transparency/grants/{pub.group_grant.reference}/",
        f"/transparency/contracts/{pub.big_contract.reference}/",
        f"/transparency/contracts/{pub.small_contract.reference}/",
        f"/transparency/grant-rounds/{pub.round.pk}/",
        f"/transparency/tenders/{pub.tender.pk}/",
        "/open-data/grants.360giving.json",
        "/open-data/contracts.ocds.json",
    ]
    return "\n".join(body(client, url) for url in urls)


def test_every_public_page_is_open_without_signing_in_and_may_be_indexed(client, pub):
    for url in PUBLIC_PAGES:
        page = body(client, url)
        assert '<meta name="robots" content="index, follow">' in page
        assert page.count("<h1") == 1


def test_grants_made_show_recipient_amount_purpose_conditions_and_reasons(client, pub):
    listing = body(client, "/transparency/grants/")
    assert "Safe at home" in listing and "Marches Support" in listing and "£12,000.00" in listing
    detail = body(client, f"/transparency/grants/{pub.grant.reference}/")
    assert "Sanctuary measures for victims of domestic abuse" in detail  # purpose
    assert "Attend the annual providers&#x27; forum" in detail  # the offer's own condition
    assert (
        "Report what the grant achieves, as often as the office asks" in detail
    )  # the scheme's standard condition
    assert "Strong bid" in detail  # the reasons recorded with the approval
    assert "Commissioner&#x27;s Grant Scheme" in detail


def test_nothing_unpublished_or_personal_appears_anywhere(client, pub):
    everything = everything_public(client, pub)
    for hidden in (
        "Declined bid for a minibus",
        "Draft idea for a helpline",
        "Offer awaiting acceptance",
        "Cancelled grant for a fete",
        pub.declined.reference,
        pub.pending.award.reference,
        pub.cancelled.reference,
        # people and private contact details
        ACCEPTED_BY,
        APPLICANT_EMAIL,
        "Private Person",
        "officer@example.org",
        "12 Secret Lane",
        "chair@kington.example",
        "01544 000000",
        "HR5 3AA",
    ):
        assert hidden not in everything, hidden
    # The unregistered group is there, by name and town only.
    assert "Kington Village Watch" in everything and "Kington" in everything


def test_unpublished_grants_and_contracts_have_no_page(client, pub):
    for reference in (pub.pending.award.reference, pub.cancelled.reference):
        assert client.get(f"/transparency/grants/{reference}/").status_code == 404
    assert (
        client.get(f"/transparency/grants/{pub.big_contract.reference}/").status_code == 404
    )  # a contract is not a grant
    assert client.get(f"/transparency/contracts/{pub.grant.reference}/").status_code == 404


def test_contracts_over_10000_and_the_rest_are_listed_apart(client, pub):
    over = body(client, "/transparency/contracts/")
    under = body(client, "/transparency/contracts/up-to-10000/")
    assert pub.big_contract.title in over and "£90,000.00" in over
    assert "Interpreting for victims" not in over
    assert "Interpreting for victims" in under and pub.big_contract.title not in under
    detail = body(client, f"/transparency/contracts/{pub.big_contract.reference}/")
    assert "Competitive tender" in detail and pub.supplier.name in detail


def test_open_rounds_and_tenders_are_listed_with_their_own_pages(client, pub):
    assert pub.round.name in body(client, "/transparency/grant-rounds/")
    round_page = body(client, f"/transparency/grant-rounds/{pub.round.pk}/")
    assert "Charities working in West Mercia" in round_page and "Quality of outcomes: 70%" in round_page
    tenders = body(client, "/transparency/tenders/")
    assert "Sexual violence counselling" in tenders and pub.tender.portal_reference in tenders
    # The decided tender (closed in August) is not an open invitation.
    assert "BLC-0001" not in tenders
    tender_page = body(client, f"/transparency/tenders/{pub.tender.pk}/")
    assert "quality 70%, price 30%" in tender_page and "A safe, trauma-informed service" in tender_page


def test_a_closed_round_or_tender_has_no_public_page(client, pub):
    from datetime import timedelta

    from django.utils import timezone

    type(pub.round).objects.filter(pk=pub.round.pk).update(closes_at=timezone.now() - timedelta(days=1))
    type(pub.tender).objects.filter(pk=pub.tender.pk).update(
        closes_on=timezone.localdate() - timedelta(days=1)
    )
    assert client.get(f"/transparency/grant-rounds/{pub.round.pk}/").status_code == 404
    assert client.get(f"/transparency/tenders/{pub.tender.pk}/").status_code == 404
    assert "No grant round is open" in body(client, "/transparency/grant-rounds/")


def test_filters_and_search_narrow_the_lists_and_are_kept_in_the_address(client, pub, world):
    by_year = body(client, "/transparency/grants/?year=2025")
    assert "Herefordshire speed watch" in by_year and "Safe at home" not in by_year
    by_stream = body(client, "/transparency/grants/?stream=cgs")
    assert "Safe at home" in by_stream and "Herefordshire speed watch" not in by_stream
    by_area = body(client, f"/transparency/grants/?area={world.other_area.slug}")
    assert "Herefordshire speed watch" not in by_area
    by_area = body(client, f"/transparency/grants/?area={world.area.slug}")
    assert "Herefordshire speed watch" in by_area and "Safe at home" not in by_area
    searched = body(client, "/transparency/grants/?q=kington")
    assert "Herefordshire speed watch" in searched and "Safe at home" not in searched
    assert 'value="kington"' in searched and "Clear filters" in searched
    by_reference = body(client, f"/transparency/contracts/?q={pub.big_contract.reference}")
    assert pub.big_contract.title in by_reference
    assert "No contracts match" in body(client, "/transparency/contracts/?q=nothing-like-this")
    assert "Sexual violence counselling" not in body(client, "/transparency/tenders/?q=burglary")
    # Unknown values are ignored, not an error.
    assert "Safe at home" in body(client, "/transparency/grants/?year=abc&stream=nope&area=atlantis&page=99")


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "path",
    [
        "/transparency/grants/",
        "/transparency/contracts/",
        "/transparency/contracts/up-to-10000/",
        "/open-data/grants.360giving.json",
        "/open-data/contracts.ocds.json",
        "/open-data/grants.360giving.xlsx",
    ],
)
def test_public_lists_run_the_same_number_of_queries_with_few_or_many_records(client, pub, path):
    few = count_queries(client, path)
    pot = PotFactory(year=approved_year(2024), key="cgs", stream="cgs", allocated=D("10000000"))
    organisations = [OrganisationFactory() for _ in range(5)]
    for organisation in organisations:
        bulk_grants(pot, 12, organisation)
        bulk_grants(pot, 8, organisation, kind="contract", amount="50000")
        bulk_grants(pot, 4, organisation, kind="contract", amount="5000")
    assert count_queries(client, path) == few


def _summary_value(page: str, key: str) -> str:
    import re

    found = re.search(
        rf'<dt class="govuk-summary-list__key">{key}</dt>\s*<dd class="govuk-summary-list__value">(.*?)</dd>',
        page,
        re.S,
    )
    assert found, f"no {key!r} row"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(1))).strip()


def test_a_contract_shows_its_total_with_extensions_exercised_the_most_it_can_be_and_what_is_paid(
    client, pub, world
):
    from datetime import date

    from commissioning.services import contracts as contract_services
    from funding.services import awards as award_services
    from tests.commissioning.factories import officer_of

    url = f"/transparency/contracts/{pub.big_contract.reference}/"
    page = body(client, url)
    assert (
        _summary_value(page, "Total value")
        == "£90,000.00 £30,000.00 a year, for the initial term: no extension exercised yet"
    )
    assert _summary_value(page, "Maximum value") == "£120,000.00 if the 1-year extension is exercised"
    assert _summary_value(page, "Paid to date") == "£0.00 of £90,000.00"

    PotFactory(
        year=approved_year(2030, income="10000000", police="5000000"),
        key="victim-services",
        name="Victim services",
        stream="victim_services",
        allocated=D("200000"),
    )
    contract_services.exercise_extension(
        contract=pub.contract,
        additional=D("30000"),
        agreed_on=date(2026, 11, 1),
        note="",
        by=officer_of(world),
    )
    page = body(client, url)
    assert _summary_value(page, "Total value") == (
        "£120,000.00 £30,000.00 a year, including the 1 extension exercised (£30,000.00)"
    )
    assert _summary_value(page, "Maximum value") == "£120,000.00: every extension has been exercised"

    small = f"/transparency/contracts/{pub.small_contract.reference}/"
    award_services.record_payment(
        award=pub.small_contract,
        amount=D("3000"),
        paid_on=date(2026, 5, 1),
        by=None,
        invoice_received_on=date(2026, 4, 20),
    )
    assert _summary_value(body(client, small), "Paid to date") == "£3,000.00 of £8,000.00"
