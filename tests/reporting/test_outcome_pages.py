"""The provider's rate questions (two numbers, the second within the first) and the indicators page."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from freezegun import freeze_time

from opcc.models import Role
from reporting.models import Measure, QuarterlyReturn, ReturnAnswer, ReturnStatus
from tests.conftest import sign_in
from tests.factories import OrganisationFactory
from tests.reporting.factories import accepted, monitored_award, the_return
from tests.reporting.test_pages import good_post

COPE = "Service users better able to cope and recover"


@pytest.fixture(autouse=True)
def _today():
    with freeze_time("2026-11-25 10:00:00"):
        yield


@pytest.fixture
def award(world):
    return monitored_award(world.organisation)


def test_the_return_asks_a_rate_as_two_numbers_and_keeps_both(client, world, award):
    ret = the_return(award, 2)
    cope = Measure.objects.get(framework__award=award, name=COPE)
    sign_in(client, world.users[Role.PROVIDER])
    page = client.get(f"/monitoring/returns/{ret.pk}/").content.decode()
    assert "How many service users left the service this quarter" in page
    assert "How many of them said they are better able to cope and recover" in page
    response = client.post(
        f"/monitoring/returns/{ret.pk}/",
        good_post(award, **{f"m_{cope.pk}_denominator": "40", f"m_{cope.pk}_numerator": "30"}),
    )
    assert response.status_code == 302
    answer = ReturnAnswer.objects.get(quarterly_return=ret, measure=cope)
    assert (answer.numerator, answer.denominator, answer.value) == (
        Decimal("30"),
        Decimal("40"),
        Decimal("75"),
    )
    page = client.get(f"/monitoring/returns/{ret.pk}/").content.decode()
    assert 'value="40"' in page and 'value="30"' in page


def test_a_denominator_below_its_numerator_is_refused_and_nothing_is_saved(client, world, award):
    ret = the_return(award, 2)
    cope = Measure.objects.get(framework__award=award, name=COPE)
    sign_in(client, world.users[Role.PROVIDER])
    response = client.post(
        f"/monitoring/returns/{ret.pk}/",
        good_post(award, **{f"m_{cope.pk}_denominator": "20", f"m_{cope.pk}_numerator": "30"}),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page and f'href="#id_m_{cope.pk}_numerator"' in page
    assert (
        "Service users better able to cope and recover: 30 cannot be more than the 20 you gave for how many "
        "service users left the service this quarter"
    ) in page
    assert not ReturnAnswer.objects.filter(quarterly_return=ret).exists()
    assert QuarterlyReturn.objects.get(pk=ret.pk).activity == ""


def test_a_rate_answered_with_one_number_is_refused_on_submit(client, world, award):
    ret = the_return(award, 2)
    cope = Measure.objects.get(framework__award=award, name=COPE)
    sign_in(client, world.users[Role.PROVIDER])
    data = good_post(
        award,
        action="submit",
        declaration="A Provider",
        **{f"m_{cope.pk}_denominator": "20", f"m_{cope.pk}_numerator": ""},
    )
    response = client.post(f"/monitoring/returns/{ret.pk}/", data)
    assert response.status_code == 200
    assert (
        "Answer: How many of them said they are better able to cope and recover" in response.content.decode()
    )
    assert QuarterlyReturn.objects.get(pk=ret.pk).status == ReturnStatus.OPEN


def test_an_answer_given_as_a_percentage_before_stays_readable(client, world, award):
    provider, officer = world.users[Role.PROVIDER], world.users[Role.COMMISSIONING_OFFICER]
    ret = accepted(the_return(award, 1), provider, officer)
    cope = Measure.objects.get(framework__award=award, name=COPE)
    # As answered before rates: a percentage alone.
    ReturnAnswer.objects.filter(quarterly_return=ret, measure=cope).update(
        value=Decimal("64"), numerator=None, denominator=None
    )
    sign_in(client, officer)
    page = client.get(f"/monitoring/returns/{ret.pk}/").content.decode()
    assert "64%" in page


def test_the_indicators_page_lists_the_catalogue_and_what_is_not_mapped(client, world, award):
    extra = Measure.objects.create(
        framework=award.outcome_framework,
        name="Young people mentored",
        kind="count",
        unit="people",
        position=99,
    )
    sign_in(client, world.users[Role.COMMISSIONING_OFFICER])
    page = client.get("/dashboard/indicators/").content.decode()
    assert "Outcome indicators" in page and 'aria-current="page"' in page
    assert "Service users better able to cope and recover" in page
    assert "A rate: the numbers behind it summed, then divided" in page
    assert "Referrals received: domestic abuse" in page
    assert "1 award measure with a number is neither added to an indicator nor marked local-only" in page
    assert extra.name in page and award.reference in page
    assert "People supported" not in page.split('id="unmapped"')[1]  # mapped measures are not listed


def _unmapped(award, n):
    Measure.objects.bulk_create(
        [
            Measure(
                framework=award.outcome_framework,
                name=f"Local count {i}",
                kind="count",
                unit="things",
                position=100 + i,
            )
            for i in range(n)
        ]
    )


def test_the_indicators_page_is_paginated_in_a_fixed_number_of_queries(client, world, award):
    officer = world.users[Role.COMMISSIONING_OFFICER]
    sign_in(client, officer)
    _unmapped(award, 2)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/dashboard/indicators/").status_code == 200
    other = monitored_award(OrganisationFactory(), title="Another service")
    _unmapped(other, 70)
    with CaptureQueriesContext(connection) as many:
        page = client.get("/dashboard/indicators/").content.decode()
    assert len(many) == len(few)
    assert "72 award measures with a number are neither" in page and "govuk-pagination" in page
    assert page.count("Local count") == 50
