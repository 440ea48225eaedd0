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
    decision = forms.ChoiceField(
        label="Decision", choices=[("approve", "Approve"), ("decline", "Decline")], widget=forms.RadioSelect
    )
    areas = forms.MultipleChoiceField(
        label="Areas", choices=[("a", "A"), ("b", "B")], widget=forms.CheckboxSelectMultiple
    )
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
    html = Template(
        "{% load crispy_forms_tags crispy_forms_gds %}{% error_summary form %}{% crispy form %}"
    ).render(Context({"form": form}))
    summary = html[: html.index("</ul>")]
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
    items = body[start : body.index("</ul>", start)]
    return [
        re.sub(r"<[^>]+>", "", m).strip().replace("&#x27;", "'")
        for m in re.findall(r"<li>(.*?)</li>", items, re.S)
    ]


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
    data = {
        "organisation": world.organisation.pk,
        "pot": pot.pk,
        "kind": "grant",
        "title": "Youth club",
        "purpose": "Evenings",
        "start_date_0": "1",
        "start_date_1": "9",
        "start_date_2": "2026",
        "end_date_0": "31",
        "end_date_1": "3",
        "end_date_2": "2027",
        "amount": "2000",
        "schedule_kind": "in_advance",
        "profile_2026": "lots",
        "match_funding_amount": "lots",
    }
    body = client.post("/funding/awards/new/", data).content.decode()
    assert_listed_in_order(
        body, ["Enter the amount in 2026 to 2027 as a number", "Enter the match funding as a number"]
    )
    assert body.index('id="id_profile_2026"') < body.index('id="id_match_funding_amount"')


def test_the_award_form_shows_the_services_rules_with_the_missing_fields(award_page):
    client, world, pot = award_page
    data = {
        "organisation": world.organisation.pk,
        "pot": pot.pk,
        "kind": "grant",
        "title": "",
        "purpose": "Evenings",
        "start_date_0": "1",
        "start_date_1": "9",
        "start_date_2": "2026",
        "end_date_0": "31",
        "end_date_1": "8",
        "end_date_2": "2026",
        "amount": "2000",
        "schedule_kind": "in_advance",
        "profile_2026": "1500",
        "match_funding_amount": "500",
        "match_funding_source": "",
    }
    body = client.post("/funding/awards/new/", data).content.decode()
    assert_listed_in_order(
        body,
        [
            "Enter a title",
            "The end date must be the same as or after the start date",
            "add up to £1,500.00, not the award's £2,000.00",
            "Enter where the match funding comes from",
        ],
    )


def _pots():
    from tests.funding.factories import PotFactory, approved_year

    return {
        y: PotFactory(
            year=approved_year(y, income="10000000", police="5000000"),
            key="victim-services",
            name="Victim services",
            stream="victim_services",
            allocated=Decimal("200000"),
        )
        for y in (2026, 2027, 2028, 2029)
    }


def _in_review(world):
    from commissioning.services import commissions as commission_services
    from tests.commissioning import factories as f

    c, _ = f.decided_tender(world)
    f.contract_for(world, c, _pots()[2026])
    return commission_services.transition(commission=c, name="start_review", by=f.officer_of(world))


def test_an_outcome_measure_lists_every_missing_answer_at_once(client, world):
    from tests.commissioning import factories as f

    c = f.in_plan(world)
    sign_in(client, f.officer_of(world))
    body = client.post(
        f"/commissioning/{c.pk}/outcome-measures/",
        {"name": "", "kind": "star", "quarterly_target": "", "star_name": ""},
    ).content.decode()
    assert_listed_in_order(
        body, ["Enter the measure", "Enter the quarterly target", "Enter which Outcomes Star is used"]
    )


def test_a_quote_lists_a_future_date_with_the_missing_supplier(client, world):
    from commissioning.models import Route
    from commissioning.services import procurement as procurement_services
    from tests.commissioning import factories as f

    c = f.in_do(world, estimated_annual_value=Decimal("4000"), estimated_total_value=Decimal("4000"))
    procurement_services.choose_route(commission=c, route=Route.ONE_QUOTE, reason="", by=f.officer_of(world))
    sign_in(client, f.officer_of(world))
    body = client.post(
        f"/commissioning/{c.pk}/quotes/",
        {
            "organisation": "",
            "amount": "3000",
            "received_on_0": "1",
            "received_on_1": "1",
            "received_on_2": "2099",
        },
    ).content.decode()
    assert_listed_in_order(
        body, ["Choose the supplier who quoted", "The date received cannot be in the future"]
    )


def test_a_break_notice_lists_every_problem_at_once(client, world):

    c = _in_review(world)
    sign_in(client, world.users[Role.HEAD_OF_COMMISSIONING])
    body = client.post(
        f"/commissioning/{c.pk}/contract/break/",
        {"served_by": "", "served_on_0": "1", "served_on_1": "1", "served_on_2": "2099", "reason": ""},
    ).content.decode()
    assert_listed_in_order(
        body,
        [
            "Choose who served notice",
            "The date notice was served cannot be in the future",
            "Enter the reason for the break notice",
        ],
    )
    assert not c.procurements.get().contract.break_notices.exists()


def test_a_decommissioning_plan_lists_its_dates_problems_with_the_missing_answers(client, world):
    from tests.commissioning import factories as f

    c = _in_review(world)
    sign_in(client, f.officer_of(world))
    body = client.post(
        f"/commissioning/{c.pk}/review/decommissioning-plan/",
        {
            "support_offered": "",
            "exit_date_0": "1",
            "exit_date_1": "1",
            "exit_date_2": "2035",
            "service_user_transition": "Referred to the new provider",
            "agreed_on_0": "1",
            "agreed_on_1": "1",
            "agreed_on_2": "2099",
        },
    ).content.decode()
    assert_listed_in_order(
        body,
        [
            "Enter the support offered to the provider",
            "The exit date must be on or before the contract's end date",
            "The date agreed cannot be in the future",
        ],
    )


def test_an_award_decision_above_the_deciders_level_is_listed_with_the_missing_provider(client, world):
    from commissioning.services import evaluation as evaluation_services
    from tests.commissioning import factories as f

    c, tender, bid_a, bid_b, (person,) = f.tender_ready_for_scoring(world)
    evaluation_services.declare(
        tender=tender, user=person, answers={bid_a.pk: False, bid_b.pk: False}, details={}
    )
    for bid, vals in ((bid_a, (4, 3)), (bid_b, (3, 5))):
        evaluation_services.score_bid(bid=bid, user=person, scores=f.scores_for(tender, vals))
        evaluation_services.moderate_bid(
            commission=c, bid=bid, scores=f.scores_for(tender, vals, "Agreed"), by=f.officer_of(world)
        )
    sign_in(client, f.officer_of(world))
    body = client.post(
        f"/commissioning/{c.pk}/decision/", {"organisation": "", "value": "5000000", "rationale": ""}
    ).content.decode()
    assert_listed_in_order(
        body,
        [
            "Choose the provider",
            "An award of £5,000,000.00 is decided by the",
            "Enter the reasons for the decision",
        ],
    )


def test_a_grant_decision_lists_the_missing_reasons_with_the_missing_decision(client, world):
    from grants.services import assessment as assessment_services
    from tests.grants import factories as gf

    provider, officer = gf.roles(world)
    application = assessment_services.start_assessment(
        application=gf.submitted(gf.cgs_round(), provider), by=officer
    )
    sign_in(client, officer)
    body = client.post(
        f"/grants/applications/{application.pk}/decide/", {"decision": "", "note": ""}
    ).content.decode()
    assert_listed_in_order(body, ["Choose approve or decline", "Enter the reasons for the decision"])
    application.refresh_from_db()
    assert application.status == "in_assessment"


def test_declarations_list_a_missing_answer_with_a_conflict_not_described(client, world):
    from tests.commissioning import factories as f

    c, tender, bid_a, bid_b, (person,) = f.tender_ready_for_scoring(world)
    sign_in(client, person)
    body = client.post(
        f"/commissioning/evaluations/{tender.pk}/", {f"bid_{bid_b.pk}": "yes", f"details_{bid_b.pk}": ""}
    ).content.decode()
    assert_listed_in_order(
        body,
        [
            "Say whether you have a conflict of interest with Bidder A",
            "Describe your conflict of interest with Bidder B",
        ],
    )


def test_a_partner_already_added_is_listed_with_a_contribution_that_is_not_a_number(client, world):
    from commissioning.services import partners as partner_services
    from tests.commissioning import factories as f

    c = f.in_plan(world)
    partner_services.add_partner(
        commission=c,
        organisation=world.other_organisation,
        contribution=Decimal("5000"),
        notes="",
        by=f.officer_of(world),
    )
    sign_in(client, f.officer_of(world))
    body = client.post(
        f"/commissioning/{c.pk}/partners/",
        {"organisation": world.other_organisation.pk, "contribution": "lots"},
    ).content.decode()
    assert_listed_in_order(
        body, ["Shropshire Help is already a partner", "Enter the contribution as a number"]
    )


def test_a_variation_lists_the_ledgers_refusal_with_the_missing_reason(client, world):
    from tests.funding.factories import PotFactory, approved_year

    year = approved_year(income="1000000", police="900000")
    pot = PotFactory(year=year, allocated=Decimal("10000"), name="Youth diversion")
    sign_in(client, world.users[Role.FINANCE_OFFICER])
    body = client.post(
        f"/funding/{year.start_year}/variation/", {"target": pot.pk, "new_amount": "500000", "reason": ""}
    ).content.decode()
    assert_listed_in_order(
        body, ["only £100,000.00 is left after the police budget", "Enter the reason for this change"]
    )
