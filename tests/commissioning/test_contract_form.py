"""The contract form: the pot chosen for the officer only when exactly one fits, a term the pots carry,
the decided value carried out (or the difference explained), and every error at once, as the service refuses."""

import re
from datetime import date
from decimal import Decimal
from html import unescape

import pytest
from freezegun import freeze_time

from commissioning import selectors
from commissioning.models import Contract
from tests.commissioning import factories as f
from tests.conftest import sign_in
from tests.funding.factories import PotFactory, approved_year

D = Decimal


def page(response) -> str:
    return unescape(response.content.decode())


def error_summary(body: str) -> str:
    start = body.index("govuk-error-summary__list")
    return body[start : body.index("</ul>", start)]


@pytest.fixture
def victim_pots(db):
    """As in the demo: victim services and the ring-fenced ISVA and IDVA pot, in 2026 to 2027 and 2027 to 2028."""
    found = {}
    for start_year in (2026, 2027):
        year = approved_year(start_year, income="10000000", police="5000000")
        found[start_year] = (
            PotFactory(
                year=year,
                key="isva-idva",
                name="ISVA and IDVA services (ring-fenced)",
                stream="victim_services",
                allocated=D("300000"),
            ),
            PotFactory(
                year=year,
                key="victim-services",
                name="Victim services",
                stream="victim_services",
                allocated=D("500000"),
            ),
        )
    return found


def contract_data(pot=None, **overrides):
    data = {
        "pot": pot.pk if pot else "",
        "annual_value": "45000",
        "total_value": "45000",
        "start_date_0": "1",
        "start_date_1": "12",
        "start_date_2": "2026",
        "initial_term_years": "1",
        "extension_pattern": "1+1",
        "break_notice_months": "3",
        "break_clause": "Either party",
        "signed_on_0": "20",
        "signed_on_1": "11",
        "signed_on_2": "2026",
        "schedule_kind": "quarterly_arrears",
        "value_difference_reason": "",
    }
    data.update(overrides)
    return data


@freeze_time("2026-11-25 10:00:00")
def test_no_pot_is_chosen_for_the_officer_when_a_ring_fenced_pot_could_also_pay(client, world, victim_pots):
    c, _ = f.decided_tender(world)  # victim services, West Mercia wide: two pots fit
    sign_in(client, f.officer_of(world))
    url = f"/commissioning/{c.pk}/contract/new/"
    response = client.get(url)
    assert response.context["form"]["pot"].value() is None
    body = page(response)
    assert '<option value="" selected>Select the pot</option>' in body
    assert not re.search(
        r'<option value="\d+" selected>',
        body[body.index('name="pot"') : body.index("</select>", body.index('name="pot"'))],
    )

    # Clicking straight through commits nothing: the pot must be chosen.
    body = page(client.post(url, contract_data()))
    assert "Select the pot the money comes from" in error_summary(body)
    assert not Contract.objects.exists()

    isva, victim_services = victim_pots[2026]
    assert client.post(url, contract_data(victim_services)).status_code == 302
    assert Contract.objects.get().award.pot == victim_services


@freeze_time("2026-11-25 10:00:00")
def test_the_pot_is_chosen_only_when_exactly_one_fits_the_stream_and_areas(world):
    c = f.new_commission(world)
    year = approved_year(2026, income="10000000", police="5000000")
    everywhere = PotFactory(
        year=year, key="victim-services", name="Victim services", stream="victim_services"
    )
    PotFactory(
        year=year,
        key="victim-services-hereford",
        name="Victim services: Herefordshire",
        stream="victim_services",
        area=world.area,
    )
    PotFactory(year=year, key="cgs", name="Commissioner's Grant Scheme", stream="cgs")
    pots = selectors.contract_pots(c)
    assert {p.stream for p in pots} == {"victim_services"}  # another stream's pot is not offered
    # West Mercia wide: a pot kept for one area does not fit, so the one for everywhere is chosen.
    assert selectors.default_pot(c, pots, 2026) == everywhere
    # A pilot in Herefordshire could be paid from either: nothing is chosen.
    c.areas.set([world.area])
    assert selectors.default_pot(c, pots, 2026) is None
    # A pilot in Shropshire only fits the pot for everywhere.
    c.areas.set([world.other_area])
    assert selectors.default_pot(c, pots, 2026) == everywhere
    # No pot in the year the contract starts: nothing is chosen.
    assert selectors.default_pot(c, pots, 2027) is None


@freeze_time("2026-11-25 10:00:00")
def test_every_contract_error_shows_at_once_with_the_pattern_error(client, world, victim_pots):
    c, _ = f.decided_tender(world)
    sign_in(client, f.officer_of(world))
    body = page(
        client.post(
            f"/commissioning/{c.pk}/contract/new/",
            contract_data(None, extension_pattern="1+1+1", signed_on_2="2027", break_clause=""),
        )
    )
    summary = error_summary(body)
    for message in (
        "Select the pot the money comes from",
        "1+1+1 is not allowed",
        "Enter the break clause",
        "The date signed cannot be in the future",
    ):
        assert message in summary, message
    assert not Contract.objects.exists()


@freeze_time("2026-11-25 10:00:00")
def test_the_contract_form_and_the_service_refuse_the_same_things(world, victim_pots):
    c, _ = f.decided_tender(world)
    decision = c.procurements.get().decision
    errors = selectors.contract_errors(
        decision=decision,
        pot=victim_pots[2026][1],
        annual_value=D("30000"),
        total_value=D("20000"),
        start_date=date(2026, 11, 1),
        initial_term_years=2,
        extension_pattern="3+1",
        signed_on=date(2026, 11, 20),
    )
    assert set(errors) == {"extension_pattern", "total_value", "signed_on", "initial_term_years"}
    assert errors["signed_on"] == "The contract must be signed on or before its start date"
    assert selectors.contract_errors(decision=decision) == {}  # nothing to check yet


def contract_post(pot, **overrides):
    data = {
        "pot": pot.pk,
        "annual_value": "30000",
        "total_value": "30000",
        "start_date_0": "1",
        "start_date_1": "12",
        "start_date_2": "2026",
        "initial_term_years": "1",
        "extension_pattern": "1+1",
        "break_notice_months": "3",
        "break_clause": "Either party",
        "signed_on_0": "20",
        "signed_on_1": "11",
        "signed_on_2": "2026",
        "schedule_kind": "quarterly_arrears",
        "value_difference_reason": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def two_years(db):
    """Victim services pots in 2026 to 2027 and 2027 to 2028 only, as in the demo."""
    return {
        y: PotFactory(
            year=approved_year(y, income="10000000", police="5000000"),
            key="victim-services",
            name="Victim services",
            stream="victim_services",
            allocated=D("500000"),
        )
        for y in (2026, 2027)
    }


@freeze_time("2026-11-25 10:00:00")
def test_a_contract_worth_less_than_its_decision_needs_a_reason_which_is_recorded(client, world, two_years):
    c, _ = f.decided_tender(world)  # decided at £90,000
    sign_in(client, f.officer_of(world))
    url = f"/commissioning/{c.pk}/contract/new/"
    body = client.post(url, contract_post(two_years[2026])).content.decode()
    assert "govuk-error-summary" in body
    assert (
        "The contract&#x27;s whole value, £60,000.00 (£30,000.00 for the initial term and £30,000.00 for 1 extension "
        "year at the annual value), is less than the £90,000.00 awarded"
    ) in body
    assert not Contract.objects.exists()

    response = client.post(
        url, contract_post(two_years[2026], value_difference_reason="Price agreed lower in negotiation")
    )
    assert response.status_code == 302
    assert Contract.objects.get().value_difference_reason == "Price agreed lower in negotiation"
    body = client.get(f"/commissioning/{c.pk}/do/").content.decode()
    assert "Why the value differs from the decision" in body and "Price agreed lower in negotiation" in body


@freeze_time("2026-11-25 10:00:00")
def test_a_term_beyond_the_pots_says_which_year_has_none_and_what_to_do(client, world, two_years):
    c, _ = f.decided_tender(world)
    sign_in(client, f.officer_of(world))
    body = client.post(
        f"/commissioning/{c.pk}/contract/new/",
        contract_post(
            two_years[2026],
            annual_value="30000",
            total_value="90000",
            initial_term_years="3",
            extension_pattern="3+1",
            value_difference_reason="Agreed",
        ),
    ).content.decode()
    assert (
        "There is no Victim services pot in 2028 to 2029 yet, so a term from 1 December 2026 to 30 November 2029 "
        "cannot be committed: shorten the initial term to 1 year so it ends by 31 March 2028, or ask finance to "
        "prepare the 2028 to 2029 allocation first"
    ) in body
    assert not Contract.objects.exists()


@freeze_time("2026-11-25 10:00:00")
def test_the_contract_form_defaults_to_a_term_the_pots_carry_and_the_decided_value(client, world, two_years):
    c, _ = f.decided_tender(world)  # decided at £90,000, including extensions
    sign_in(client, f.officer_of(world))
    url = f"/commissioning/{c.pk}/contract/new/"
    form = client.get(url).context["form"]
    initial = {name: form[name].value() for name in form.fields}
    assert initial["initial_term_years"] == 1 and initial["extension_pattern"] == "1+1"
    assert initial["start_date"] == date(2026, 12, 1)
    assert initial["annual_value"] == D("45000.00") and initial["total_value"] == D("45000.00")
    # Saved as it stands: no reason needed, no missing pot.
    data = contract_post(
        two_years[2026], annual_value=str(initial["annual_value"]), total_value=str(initial["total_value"])
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Contract.objects.get().value_difference_reason == ""
