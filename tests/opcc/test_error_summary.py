"""Every link in the error summary moves focus to a field that is on the page (GOV.UK error summary)."""

import re
from decimal import Decimal

import pytest
from crispy_forms.helper import FormHelper
from django import forms
from django.template import Context, Template

from opcc.fields import GOVUKDateField, PoundsField
from opcc.models import Role
from tests.conftest import sign_in


class Everything(forms.Form):
    decision = forms.ChoiceField(label="Decision", choices=[("approve", "Approve"), ("decline", "Decline")],
                                 widget=forms.RadioSelect)
    areas = forms.MultipleChoiceField(label="Areas", choices=[("a", "A"), ("b", "B")],
                                      widget=forms.CheckboxSelectMultiple)
    amount = PoundsField(label="Amount")
    starts = GOVUKDateField(label="Start date")
    kind = forms.ChoiceField(label="Kind", choices=[("", "Choose"), ("x", "X")])
    name = forms.CharField(label="Name")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self):
        raise forms.ValidationError("Something about the whole form")


def test_every_error_summary_link_points_at_an_element_on_the_page():
    form = Everything(data={"starts_0": "1", "starts_1": "", "starts_2": "2027"})
    assert not form.is_valid()
    html = Template("{% load crispy_forms_tags crispy_forms_gds %}{% error_summary form %}{% crispy form %}").render(
        Context({"form": form}))
    summary = html[:html.index("</ul>")]
    targets = re.findall(r'href="#([^"]+)"', summary)
    assert len(targets) >= 7, targets  # the whole-form error links to the first field: here, radios
    ids = set(re.findall(r'\bid="([^"]+)"', html))
    missing = [t for t in targets if t not in ids]
    assert not missing, missing


# Every form shows every problem at once, in one error summary, in the order of the page -----------------------

def summary_messages(body: str) -> list[str]:
    """The error summary's messages, in the order it lists them (one summary on the page)."""
    assert body.count('class="govuk-error-summary"') == 1, "expected exactly one error summary"
    start = body.index("govuk-error-summary__list")
    items = body[start:body.index("</ul>", start)]
    return [re.sub(r"<[^>]+>", "", m).strip().replace("&#x27;", "'") for m in re.findall(r"<li>(.*?)</li>", items, re.S)]


def assert_listed_in_order(body: str, expected: list[str]) -> None:
    found = summary_messages(body)
    positions = []
    for message in expected:
        hits = [i for i, m in enumerate(found) if message in m]
        assert hits, f"{message!r} is not in the error summary: {found}"
        positions.append(hits[0])
    assert positions == sorted(positions), f"not in page order: {found}"


@pytest.fixture
def award_page(client, world):
    from freezegun import freeze_time

    from tests.funding.factories import PotFactory, approved_year

    with freeze_time("2026-11-25 12:00:00"):
        year = approved_year(income="1000000", police="900000")
        pot = PotFactory(year=year, allocated=Decimal("10000"))
        sign_in(client, world.users[Role.COMMISSIONING_OFFICER])
        yield client, world, pot


def test_the_award_form_lists_the_profile_before_the_match_funding_as_the_page_does(award_page):
    client, world, pot = award_page
    data = {"organisation": world.organisation.pk, "pot": pot.pk, "kind": "grant", "title": "Youth club",
            "purpose": "Evenings", "start_date_0": "1", "start_date_1": "9", "start_date_2": "2026",
            "end_date_0": "31", "end_date_1": "3", "end_date_2": "2027", "amount": "2000", "schedule_kind": "in_advance",
            "profile_2026": "lots", "match_funding_amount": "lots"}
    body = client.post("/funding/awards/new/", data).content.decode()
    assert_listed_in_order(body, ["Enter the amount in 2026 to 2027 as a number", "Enter the match funding as a number"])
    assert body.index('id="id_profile_2026"') < body.index('id="id_match_funding_amount"')


def test_the_award_form_shows_the_services_rules_with_the_missing_fields(award_page):
    client, world, pot = award_page
    data = {"organisation": world.organisation.pk, "pot": pot.pk, "kind": "grant", "title": "", "purpose": "Evenings",
            "start_date_0": "1", "start_date_1": "9", "start_date_2": "2026",
            "end_date_0": "31", "end_date_1": "8", "end_date_2": "2026", "amount": "2000", "schedule_kind": "in_advance",
            "profile_2026": "1500", "match_funding_amount": "500", "match_funding_source": ""}
    body = client.post("/funding/awards/new/", data).content.decode()
    assert_listed_in_order(body, ["Enter a title", "The end date must be the same as or after the start date",
                                  "add up to £1,500.00, not the award's £2,000.00",
                                  "Enter where the match funding comes from"])
