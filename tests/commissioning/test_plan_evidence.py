"""The Plan evidence: West Mercia wide or a pilot, a Provider Information Notice published today or earlier,
and outcome measures read as words (one percent sign)."""

import re
from datetime import date
from decimal import Decimal
from html import unescape

import pytest
from freezegun import freeze_time

from commissioning import gates
from commissioning.models import Commission, OutcomeMeasure
from commissioning.services import commissions as commission_services
from tests.commissioning import factories as f
from tests.conftest import sign_in

D = Decimal
TODAY = "2026-12-02 10:00:00"


def page(response) -> str:
    return unescape(response.content.decode())


def error_summary(body: str) -> str:
    start = body.index("govuk-error-summary__list")
    return body[start : body.index("</ul>", start)]


def coverage(client, c, coverage_, areas=(), reason=""):
    return client.post(
        f"/commissioning/{c.pk}/edit/coverage/",
        {"coverage": coverage_, "pilot_reason": reason, "areas": [a.pk for a in areas]},
    )


def test_west_mercia_wide_with_an_area_ticked_is_refused_and_says_what_to_do(client, world):
    c = f.new_commission(world)
    sign_in(client, f.officer_of(world))
    body = page(coverage(client, c, "west_mercia", [world.area]))
    assert (
        "A West Mercia wide service covers every area: untick the local policing areas, or choose a pilot if the "
        "service covers only some of them"
    ) in error_summary(body)
    c.refresh_from_db()
    assert c.coverage == "" and not c.areas.exists()

    assert coverage(client, c, "west_mercia").status_code == 302
    body = page(client.get(f"/commissioning/{c.pk}/"))
    assert re.search(r"Areas</dt>\s*<dd[^>]*>West Mercia wide</dd>", body)


def test_a_pilot_needs_its_reason_and_at_least_one_area_and_the_overview_names_them(client, world):
    c = f.new_commission(world)
    sign_in(client, f.officer_of(world))
    summary = error_summary(page(coverage(client, c, "pilot")))
    assert (
        "Enter why this is a pilot" in summary
        and "Select the local policing areas the pilot serves" in summary
    )
    assert not Commission.objects.get(pk=c.pk).coverage

    assert (
        coverage(client, c, "pilot", [world.area], reason="Proof of concept in one county").status_code == 302
    )
    body = page(client.get(f"/commissioning/{c.pk}/"))
    assert re.search(r"Areas</dt>\s*<dd[^>]*>Herefordshire \(pilot\)</dd>", body)


def test_the_plan_task_is_not_complete_while_the_coverage_contradicts_itself(world):
    officer = f.officer_of(world)
    c = f.fill_plan(f.in_plan(world), officer)
    assert gates.plan_gaps(c) == []
    c.areas.set([world.area])  # recorded before the form refused it
    assert any("West Mercia wide or a pilot" in gap for gap in gates.plan_gaps(c))


@freeze_time(TODAY)
def test_a_notice_published_in_the_future_is_refused_with_the_other_errors(client, world):
    c = f.in_plan(world)
    sign_in(client, f.officer_of(world))
    url = f"/commissioning/{c.pk}/edit/pin/"
    future = {"pin_published_on_0": "1", "pin_published_on_1": "1", "pin_published_on_2": "2030"}
    summary = error_summary(page(client.post(url, {"pin_where": "", "pin_reference": "PIN-1", **future})))
    assert "The date the notice was published must be today or in the past" in summary
    assert "Enter where the notice was published" in summary  # listed together, not one after the other
    summary = error_summary(
        page(client.post(url, {"pin_where": "Blue Light portal", "pin_reference": "PIN-1", **future}))
    )
    assert "The date the notice was published must be today or in the past" in summary
    assert Commission.objects.get(pk=c.pk).pin_published_on is None
    body = page(client.get(f"/commissioning/{c.pk}/plan/"))
    assert re.search(r"Provider Information Notice</a>.*?Incomplete", body, re.S)

    today = {"pin_published_on_0": "2", "pin_published_on_1": "12", "pin_published_on_2": "2026"}
    assert (
        client.post(url, {"pin_where": "Blue Light portal", "pin_reference": "PIN-1", **today}).status_code
        == 302
    )
    assert Commission.objects.get(pk=c.pk).pin_published_on == date(2026, 12, 2)


@freeze_time(TODAY)
def test_the_service_refuses_a_future_notice_date_too(world):
    from django.core.exceptions import ValidationError

    c = f.in_plan(world)
    with pytest.raises(ValidationError) as exc:
        commission_services.update_commission(
            commission=c, values={"pin_published_on": date(2030, 1, 1)}, by=f.officer_of(world)
        )
    assert exc.value.message_dict["pin_published_on"] == [
        "The date the notice was published must be today or in the past"
    ]


@pytest.mark.parametrize(
    "kind, target, unit, star, expected",
    [
        ("percentage", "90", "%", "", "90% each quarter"),
        ("percentage", "80", "", "", "80% each quarter"),
        ("percentage", "75.5", "per cent", "", "75.5% each quarter"),
        ("percentage", "60", "service users", "", "60% of service users each quarter"),
        ("count", "45", "referrals", "", "45 referrals each quarter"),
        ("count", "1", "referrals", "", "1 referral each quarter"),
        ("count", "12", "people", "", "12 people each quarter"),
        ("count", "1", "people", "", "1 person each quarter"),
        ("count", "500", "", "", "500 each quarter"),
        ("star", "1", "points", "Empowerment Star", "1 point each quarter"),
        ("narrative", None, "", "", "a narrative each quarter, with no numeric target"),
    ],
)
def test_each_kind_of_measure_reads_as_words(kind, target, unit, star, expected):
    measure = OutcomeMeasure(
        name="M", kind=kind, quarterly_target=D(target) if target else None, unit=unit, star_name=star
    )
    assert measure.target_per_quarter == expected


def test_the_plan_and_measures_pages_show_a_percentage_with_one_percent_sign(client, world):
    officer = f.officer_of(world)
    c = f.in_plan(world)
    for name, kind, target, unit, star in (
        ("Victims assessed within 2 working days", "percentage", D("90"), "%", ""),
        ("Survivors supported", "count", D("12"), "people", ""),
        ("Outcomes Star: progress", "star", D("1"), "points", "Empowerment Star"),
        ("Case studies", "narrative", None, "", ""),
    ):
        commission_services.add_measure(
            commission=c, by=officer, name=name, kind=kind, quarterly_target=target, unit=unit, star_name=star
        )
    sign_in(client, officer)
    body = page(client.get(f"/commissioning/{c.pk}/plan/"))
    assert "Victims assessed within 2 working days: 90% each quarter" in body
    assert "Survivors supported: 12 people each quarter" in body
    assert "Outcomes Star: progress (Empowerment Star): 1 point each quarter" in body
    assert "Case studies: a narrative each quarter, with no numeric target" in body
    assert "% %" not in body and "%%" not in body
    body = page(client.get(f"/commissioning/{c.pk}/outcome-measures/"))
    assert re.search(r'govuk-table__cell--numeric">90%</td>', body)
