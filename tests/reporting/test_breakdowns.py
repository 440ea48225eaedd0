"""A breakdown cannot add up to more than its total: referrals by crime type against the referrals received."""

import re
from decimal import Decimal
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from freezegun import freeze_time

from opcc.models import Role
from reporting.models import Measure, ReturnStatus, TemplateMeasure
from reporting.services import returns
from tests.conftest import sign_in
from tests.reporting.factories import content, monitored_award, the_return

D = Decimal


@pytest.fixture(autouse=True)
def _today():
    with freeze_time("2026-11-25 10:00:00"):
        yield


@pytest.fixture
def award(world):
    return monitored_award(world.organisation)


def crime_types(award):
    return list(
        Measure.objects.filter(framework__award=award, section="Referrals by crime type").order_by("position")
    )


def referrals(award):
    return Measure.objects.get(framework__award=award, name="Referrals received")


def test_the_victims_template_says_crime_types_are_parts_of_the_referrals_received(award):
    assert {m.part_of for m in crime_types(award)} == {"Referrals received"}
    assert set(
        TemplateMeasure.objects.filter(section="Referrals by crime type").values_list("part_of", flat=True)
    ) == {"Referrals received"}


def test_a_return_whose_crime_types_add_up_to_more_than_the_referrals_is_refused(world, award):
    ret = the_return(award, 2)
    filled = content(award)
    filled.answers[referrals(award).pk] = D("100")
    parts = crime_types(award)
    for m in parts:
        filled.answers[m.pk] = D("13")  # 8 × 13 = 104
    with pytest.raises(ValidationError) as error:
        returns.submit(
            quarterly_return=ret, content=filled, by=world.users[Role.PROVIDER], declaration_name="Lucy Evans"
        )
    assert error.value.message_dict[f"m_{parts[0].pk}"] == [
        "Referrals by crime type add up to 104, more than the 100 referrals received: the parts cannot be more than "
        "the total"
    ]
    # A draft is checked the same way.
    with pytest.raises(ValidationError):
        returns.save_draft(quarterly_return=ret, content=filled, by=world.users[Role.PROVIDER])
    ret.refresh_from_db()
    assert ret.status == ReturnStatus.OPEN
    # Exactly the total is fine.
    filled.answers[parts[0].pk] = D("9")
    returns.submit(
        quarterly_return=ret, content=filled, by=world.users[Role.PROVIDER], declaration_name="Lucy Evans"
    )
    ret.refresh_from_db()
    assert ret.status == ReturnStatus.SUBMITTED


def test_the_return_form_shows_the_breakdown_error_by_the_breakdown(client, world, award):
    ret = the_return(award, 2)
    sign_in(client, world.users[Role.PROVIDER])
    parts = crime_types(award)
    data = {
        "activity": "Outreach",
        "spend_to_date": "9000",
        "declaration": "",
        "action": "save",
        f"m_{referrals(award).pk}": "10",
        f"m_{parts[0].pk}": "8",
        f"m_{parts[1].pk}": "5",
    }
    body = client.post(f"/monitoring/returns/{ret.pk}/", data).content.decode()
    summary = unescape(re.search(r'<div class="govuk-error-summary".*?</ul>', body, re.S).group(0))
    assert "Referrals by crime type add up to 13, more than the 10 referrals received" in summary
    assert f'href="#id_m_{parts[0].pk}"' in summary
