"""Visits: a planned visit is today or later and has a named officer (a visit that has happened is recorded as such,
with its findings); the purpose has its own row."""

import re
from datetime import date
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from freezegun import freeze_time

from opcc.models import Role
from reporting.models import GrantVisit
from reporting.services import visits
from tests.conftest import sign_in
from tests.reporting.factories import monitored_award


@pytest.fixture(autouse=True)
def _today():
    with freeze_time("2026-11-25 10:00:00"):
        yield


@pytest.fixture
def award(world):
    return monitored_award(world.organisation)


def _date(name, day):
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


def summary(body):
    found = re.search(r'<div class="govuk-error-summary".*?</ul>', body, re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", found.group(0)))).strip() if found else ""


def card_rows(body):
    """The visits' summary cards: {card title: {row key: value}}."""
    cards = {}
    for card in re.findall(r'<div class="govuk-summary-card">(.*?)</dl></div>\s*</div>', body, re.S):
        title = re.sub(
            r"\s+", " ", re.sub(r"<[^>]+>", " ", re.search(r"<h3[^>]*>(.*?)</h3>", card, re.S).group(1))
        ).strip()
        rows = re.findall(
            r'<dt class="govuk-summary-list__key">(.*?)</dt>\s*<dd class="govuk-summary-list__value">(.*?)</dd>',
            card,
            re.S,
        )
        cards[title] = {
            unescape(k).strip(): re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", v))).strip()
            for k, v in rows
        }
    return cards


def test_the_service_refuses_a_planned_visit_in_the_past_or_without_an_officer(world, award):
    officer = world.users[Role.COMMISSIONING_OFFICER]
    with pytest.raises(ValidationError) as error:
        visits.schedule_visit(
            award=award, scheduled_for=date(2026, 11, 24), officer=None, purpose="", by=officer
        )
    assert error.value.message_dict == {
        "scheduled_for": [
            "The date of a planned visit must be today or in the future: if the visit has happened, "
            "record it as a visit that has happened"
        ],
        "officer": ["Select the officer visiting"],
    }
    assert not GrantVisit.objects.exists()
    visits.schedule_visit(
        award=award, scheduled_for=date(2026, 11, 25), officer=officer, purpose="", by=officer
    )
    assert GrantVisit.objects.get().scheduled_for == date(2026, 11, 25)


def test_the_schedule_form_shows_both_problems_and_offers_to_record_a_visit_that_happened(
    client, world, award
):
    officer = world.users[Role.COMMISSIONING_OFFICER]
    sign_in(client, officer)
    url = f"/monitoring/awards/{award.pk}/visits/new/"
    body = client.post(
        url, {**_date("scheduled_for", date(2026, 11, 2)), "officer": "", "purpose": "Annual visit"}
    ).content.decode()
    found = summary(body)
    assert "The date of a planned visit must be today or in the future" in found
    assert "Select the officer visiting" in found
    assert found.index("planned visit") < found.index("officer visiting")
    assert f'href="/monitoring/awards/{award.pk}/visits/record/"' in body
    assert not GrantVisit.objects.exists()


def test_a_visit_that_has_happened_is_recorded_with_its_findings(client, world, award):
    officer = world.users[Role.COMMISSIONING_OFFICER]
    sign_in(client, officer)
    url = f"/monitoring/awards/{award.pk}/visits/record/"
    page = client.get(url).content.decode()
    assert "Record a visit that has happened" in page and 'name="findings"' in page
    body = client.post(
        url,
        {
            **_date("visited_on", date(2026, 11, 30)),
            "officer": "",
            "purpose": "",
            "attendees": "",
            "findings": "",
        },
    ).content.decode()
    found = summary(body)
    for message in (
        "The date visited must be today or in the past",
        "Select the officer visiting",
        "Enter who attended",
        "Enter what you found",
    ):
        assert message in found
    assert not GrantVisit.objects.exists()
    response = client.post(
        url,
        {
            **_date("visited_on", date(2026, 11, 2)),
            "officer": officer.pk,
            "purpose": "Unannounced spot check",
            "attendees": "Service manager",
            "findings": "Waiting list down to two weeks.",
            "service_user_feedback": "",
            "actions": "",
        },
    )
    assert response.status_code == 302
    visit = GrantVisit.objects.get()
    assert visit.is_recorded and visit.visited_on == visit.scheduled_for == date(2026, 11, 2)
    assert visit.officer == officer and visit.recorded_by == officer
    cards = card_rows(client.get(f"/monitoring/awards/{award.pk}/").content.decode())
    assert cards["Visited 2 November 2026"]["Findings"] == "Waiting list down to two weeks."


def test_the_purpose_of_a_visit_has_its_own_row(client, world, award):
    officer = world.users[Role.COMMISSIONING_OFFICER]
    visits.schedule_visit(
        award=award,
        scheduled_for=date(2026, 12, 3),
        officer=officer,
        purpose="Annual monitoring visit",
        by=officer,
    )
    sign_in(client, officer)
    cards = card_rows(client.get(f"/monitoring/awards/{award.pk}/").content.decode())
    card = cards["Visit planned for 3 December 2026"]
    assert card["Officer"] == officer.full_name
    assert card["Purpose"] == "Annual monitoring visit"
    visit = GrantVisit.objects.get()
    page = re.sub(
        r"\s+",
        " ",
        unescape(
            re.sub(
                r"<[^>]+>",
                " ",
                client.get(f"/monitoring/awards/{award.pk}/visits/{visit.pk}/").content.decode(),
            )
        ),
    )
    assert "Purpose Annual monitoring visit" in page
