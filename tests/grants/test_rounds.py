"""The round form shows every problem at once, in page order; a round's maximum award cannot be more than its pot has
left to commit (the service refuses it too)."""

import re
from datetime import date, timedelta
from decimal import Decimal
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from grants import defaults
from grants.models import Round, Scheme, SchemeKind
from grants.services import rounds as round_services
from opcc.models import Role
from tests.conftest import sign_in
from tests.factories import an_objective
from tests.funding.factories import PotFactory, approved_year, award

D = Decimal


def _date(name, day):
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


@pytest.fixture
def pot(world):
    """The CGS pot for 2026 to 2027: £100,000 allocated, £70,000 already committed, so £30,000 left."""
    defaults.ensure()
    year = approved_year(2026)
    pot = PotFactory(year=year, key="cgs", name="Commissioner's Grant Scheme", allocated=D("100000"))
    award(organisation=world.organisation, pot=pot, amount="70000")
    return pot


def round_post(pot, **overrides):
    data = {
        "scheme": Scheme.objects.get(kind=SchemeKind.CGS).pk,
        "name": "CGS spring round",
        "summary": "Projects for victims",
        "eligibility": "Charities",
        "priorities": "",
        **_date("opens_date", date(2027, 1, 4)),
        "opens_time": "09:00",
        **_date("closes_date", date(2027, 2, 26)),
        "closes_time": "12:00",
        "max_award": "25000",
        "pot": pot.pk,
        "acceptance_days": "28",
        "criterion_0_name": "Quality of outcomes",
        "criterion_0_kind": "quality",
        "criterion_0_weight": "70",
        "criterion_1_name": "Cost",
        "criterion_1_kind": "cost",
        "criterion_1_weight": "30",
        "objectives": [an_objective().pk],
    }
    data.update(overrides)
    return data


def summary_links(body):
    summary = re.search(r'<div class="govuk-error-summary".*?</ul>', body, re.S).group(0)
    return [
        (href, unescape(re.sub(r"\s+", " ", text)).strip())
        for href, text in re.findall(r'<a href="#([^"]+)">(.*?)</a>', summary, re.S)
    ]


def test_the_round_form_shows_every_problem_at_once_in_page_order(client, world, pot):
    sign_in(client, world.users[Role.COMMISSIONING_OFFICER])
    body = client.post(
        "/grants/rounds/new/",
        round_post(
            pot,
            name="",
            **_date("closes_date", date(2027, 1, 2)),
            max_award="40000",
            criterion_1_weight="20",
            criterion_2_name="Partnership",
        ),
    ).content.decode()
    found = summary_links(body)
    assert [text for _href, text in found] == [
        "Enter the round's name",
        "The closing time must be after the opening time",
        "The maximum award must be no more than the £30,000.00 the Commissioner's Grant Scheme pot has left to "
        "commit in 2026 to 2027",
        "The criteria's weights must add up to 100: they add up to 90",
        "Choose what criterion 3 is about",
        "Enter criterion 3's weight",
    ]
    field_order = re.findall(r'<(?:input|textarea|select)[^>]*\bid="([^"]+)"', body)
    position = lambda href: next(i for i, name in enumerate(field_order) if name.startswith(href))  # noqa: E731
    hrefs = [href for href, _text in found]
    assert hrefs == sorted(hrefs, key=position)
    assert not Round.objects.exists()
    # Put right, it is saved.
    response = client.post("/grants/rounds/new/", round_post(pot))
    assert response.status_code == 302 and Round.objects.get().max_award == D("25000")


def test_the_service_refuses_a_maximum_award_above_what_the_pot_has_left(world, pot):
    now = timezone.now()
    values = dict(
        scheme=Scheme.objects.get(kind=SchemeKind.CGS),
        year=pot.year,
        name="CGS",
        summary="x",
        eligibility="y",
        priorities="",
        opens_at=now,
        closes_at=now + timedelta(days=30),
        pot=pot,
        acceptance_days=28,
        objectives=[world.objective],
    )
    criteria = [
        {"name": "Quality", "kind": "quality", "weight": 70},
        {"name": "Cost", "kind": "cost", "weight": 30},
    ]
    with pytest.raises(ValidationError) as error:
        round_services.save_round(
            criteria=criteria, by=world.users[Role.COMMISSIONING_OFFICER], max_award=D("30000.01"), **values
        )
    assert error.value.message_dict == {
        "max_award": [
            "The maximum award must be no more than the £30,000.00 the Commissioner's Grant Scheme pot has left to commit "
            "in 2026 to 2027"
        ]
    }
    assert not Round.objects.exists()
    round_services.save_round(
        criteria=criteria, by=world.users[Role.COMMISSIONING_OFFICER], max_award=D("30000"), **values
    )
    assert Round.objects.get().max_award == D("30000")


def test_the_round_form_states_what_each_pot_has_left(client, world, pot):
    sign_in(client, world.users[Role.COMMISSIONING_OFFICER])
    body = unescape(client.get("/grants/rounds/new/").content.decode())
    assert "Commissioner's Grant Scheme, 2026 to 2027 (£30,000.00 left to commit)" in body
