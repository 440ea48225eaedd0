"""The tender form shows every problem at once, in page order; an envelope well above the estimated value needs a
reason (the service refuses it too)."""

import re
from datetime import date
from decimal import Decimal
from html import unescape

import pytest
from django.core.exceptions import ValidationError

from commissioning.models import CommissioningRules, Route, Tender
from commissioning.services import procurement as procurement_services
from commissioning.services import tenders as tender_services
from tests.commissioning import factories as f
from tests.conftest import sign_in

D = Decimal
GOOD = dict(
    funding_envelope=D("150000"),
    quality_weight=70,
    price_weight=30,
    portal_reference="BLC-1",
    published_on=date(2026, 7, 1),
    clarification_deadline=None,
    closes_on=date(2026, 8, 1),
    market_engagement_on=None,
    market_engagement_notes="",
)


def _date(name, day):
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)} if day else {}


def tender_post(**values):
    values = {**GOOD, **values}
    data = {
        "funding_envelope": str(values["funding_envelope"]),
        "quality_weight": str(values["quality_weight"]),
        "price_weight": str(values["price_weight"]),
        "portal_reference": values["portal_reference"],
        "market_engagement_notes": values["market_engagement_notes"],
        "envelope_reason": values.get("envelope_reason", ""),
    }
    for name in ("published_on", "clarification_deadline", "closes_on", "market_engagement_on"):
        data.update(_date(name, values[name]))
    return data


def summary_links(body):
    summary = re.search(r'<div class="govuk-error-summary".*?</ul>', body, re.S).group(0)
    return [
        (href, unescape(re.sub(r"\s+", " ", text)).strip())
        for href, text in re.findall(r'<a href="#([^"]+)">(.*?)</a>', summary, re.S)
    ]


@pytest.fixture
def regulated(world):
    """A commission in Do whose estimated total value (£250,000) needs the regulated route."""
    c = f.in_do(world, estimated_total_value=D("250000"))
    procurement_services.choose_route(commission=c, route=Route.REGULATED, reason="", by=f.officer_of(world))
    return c


def test_the_tender_form_shows_every_problem_at_once_in_page_order(client, world, regulated):
    sign_in(client, f.officer_of(world))
    url = f"/commissioning/{regulated.pk}/tender/"
    body = client.post(
        url,
        tender_post(
            funding_envelope=D("300000"),
            quality_weight=60,
            price_weight=30,
            portal_reference="",
            published_on=date(2026, 8, 1),
            closes_on=date(2026, 7, 1),
            clarification_deadline=date(2026, 9, 1),
            market_engagement_on=None,
        ),
    ).content.decode()
    found = summary_links(body)
    texts = [text for _href, text in found]
    assert texts == [
        "The funding envelope of £300,000.00 is more than 10% above the estimated total value of £250,000.00: "
        "enter why, or lower the envelope to £275,000.00 or less",
        "Quality and price must add up to 100%",
        "Enter the e-tendering portal reference",
        "Clarification questions must close between publication and the closing date",
        "The closing date must be after the date the tender is published",
        "Enter the date of the market engagement event: the value reaches the regulated threshold, so one is expected",
    ]
    # Each links to its own field, in the order the fields are on the page.
    field_order = re.findall(r'<(?:input|textarea)[^>]*\bid="([^"]+)"', body)
    hrefs = [href for href, _text in found]
    position = lambda href: next(i for i, name in enumerate(field_order) if name.startswith(href))  # noqa: E731
    assert hrefs == sorted(hrefs, key=position)
    assert not Tender.objects.exists()


def test_the_envelope_may_exceed_the_estimate_by_the_stated_margin_or_with_a_reason(world, regulated):
    officer = f.officer_of(world)
    engaged = {**GOOD, "market_engagement_on": date(2026, 6, 1)}
    with pytest.raises(ValidationError) as error:
        tender_services.save_tender(
            commission=regulated, by=officer, **{**engaged, "funding_envelope": D("275000.01")}
        )
    assert error.value.message_dict == {
        "envelope_reason": [
            "The funding envelope of £275,000.01 is more than 10% above the estimated total value of £250,000.00: "
            "enter why, or lower the envelope to £275,000.00 or less"
        ]
    }
    assert not Tender.objects.exists()
    tender_services.save_tender(
        commission=regulated, by=officer, **{**engaged, "funding_envelope": D("275000")}
    )
    tender = tender_services.save_tender(
        commission=regulated,
        by=officer,
        **{
            **engaged,
            "funding_envelope": D("300000"),
            "envelope_reason": "Demand rose 20% since the estimate",
        },
    )
    assert tender.envelope_reason == "Demand rose 20% since the estimate"
    # The margin is the office's number.
    rules = CommissioningRules.current()
    rules.envelope_margin_percent = 25
    rules.save()
    tender = tender_services.save_tender(
        commission=regulated, by=officer, **{**engaged, "funding_envelope": D("310000")}
    )
    assert tender.funding_envelope == D("310000") and tender.envelope_reason == ""


def test_the_tender_form_states_the_margin_in_its_hint(client, world, regulated):
    sign_in(client, f.officer_of(world))
    body = unescape(client.get(f"/commissioning/{regulated.pk}/tender/").content.decode())
    assert (
        "Published to bidders. Up to £275,000.00 (the estimated total value of £250,000.00 plus 10%) "
        "unless you give a reason"
    ) in body


def test_the_tender_forms_missing_dates_are_asked_for_by_name(client, world, regulated):
    sign_in(client, f.officer_of(world))
    data = {k: v for k, v in tender_post().items() if not k.startswith(("published_on", "closes_on"))}
    texts = [
        text
        for _href, text in summary_links(
            client.post(f"/commissioning/{regulated.pk}/tender/", data).content.decode()
        )
    ]
    assert "Enter the date the tender was published" in texts and "Enter the date bids close" in texts
    assert not any("the published on" in t or "the bids close" in t for t in texts)
