"""The words on commissioning's pages: dates named in full, targets per quarter, stage names as names."""

import re
from decimal import Decimal

from commissioning.models import OutcomeMeasure
from commissioning.services import commissions as commission_services
from tests.commissioning import factories as f
from tests.conftest import sign_in

D = Decimal


def _in_review(world, pots):
    c, _ = f.decided_tender(world)
    f.contract_for(world, c, pots[2026])
    return commission_services.transition(commission=c, name="start_review", by=f.officer_of(world))


def test_a_missing_date_agreed_with_the_provider_is_asked_for_by_its_name(client, world, pots):
    c = _in_review(world, pots)
    sign_in(client, f.officer_of(world))
    for url, data in (
        (f"/commissioning/{c.pk}/contract/extend/", {"additional": "30000"}),
        (f"/commissioning/{c.pk}/review/decommissioning-plan/", {"support_offered": "Help to close"}),
    ):
        body = client.post(url, data).content.decode()
        assert "Enter the date agreed with the provider" in body, url
        assert "Enter the agreed with" not in body
    body = client.post(
        f"/commissioning/{c.pk}/contract/extend/",
        {"additional": "30000", "agreed_on_0": "1", "agreed_on_2": "2026"},
    ).content.decode()
    assert "The date agreed with the provider must include a day, month and year" in body


def test_a_percentage_target_reads_as_each_quarter(client, world):
    c = f.in_plan(world)
    officer = f.officer_of(world)
    commission_services.add_measure(
        commission=c,
        by=officer,
        name="Victims assessed within 2 days",
        kind=OutcomeMeasure.Kind.PERCENTAGE,
        quarterly_target=D("70"),
        unit="%",
    )
    sign_in(client, officer)
    body = client.get(f"/commissioning/{c.pk}/plan/").content.decode()
    assert "Victims assessed within 2 days: 70% each quarter" in body
    assert "a quarter" not in body


def test_the_timeline_names_the_stages_as_the_stage_pages_do(client, world):
    c = f.in_plan(world)
    sign_in(client, f.officer_of(world))
    body = client.get(f"/commissioning/{c.pk}/").content.decode()
    titles = re.findall(r'<h3 class="moj-timeline__title">(.*?)</h3>', body)
    assert titles == ["Understand → Plan"], titles


def test_a_bid_without_its_date_is_asked_for_the_date_it_was_received(client, world):
    c, *_ = f.tender_ready_for_scoring(world)
    sign_in(client, f.officer_of(world))
    body = client.post(f"/commissioning/{c.pk}/tender/bids/new/", {"price": "1000"}).content.decode()
    assert "Enter the date the bid was received" in body and "Enter the received on" not in body
