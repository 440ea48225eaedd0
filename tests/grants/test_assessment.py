"""The assessment refuses what a decider could not act on: a "reduced" amount that is not reduced (or is more
than was asked for), and a form with nothing in it. Nothing is saved when it refuses."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from grants.models import Application, Assessment
from grants.services import assessment as assessment_services
from opcc.models import Role
from tests.conftest import sign_in
from tests.grants.factories import cgs_round, roles, submitted

BLANK = {
    "eligible": "",
    "eligibility_notes": "",
    "needs_assessment": "",
    "meets_priorities": "",
    "match_funding_confirmed": "",
    "prevention": "",
    "recommendation": "",
    "recommended_amount": "",
    "recommendation_notes": "",
}


def _assessing(world, *, amount="15000", max_award="40000"):
    provider, officer = roles(world)
    application = submitted(cgs_round(max_award=max_award), provider, amount=amount)
    return assessment_services.start_assessment(application=application, by=officer), officer


def _summary(body: str) -> str:
    assert "govuk-error-summary" in body, "no error summary shown"
    return body.split("govuk-error-summary__list")[1].split("</ul>")[0]


def _nothing_saved(application):
    assessment = Assessment.objects.get(application=application)
    assert assessment.recommendation == "" and assessment.recommended_amount is None
    assert assessment.eligible is None and assessment.assessed_by is None
    assert assessment.history.count() == 1  # only its creation when the assessment started


@pytest.mark.parametrize(
    "recommendation, typed, message",
    [
        # The tester's case: more than was asked for, as a "reduced" amount.
        ("approve_reduced", "20,000", "A reduced amount must be less than the £15,000.00 requested"),
        ("approve_reduced", "15000", "A reduced amount must be less than the £15,000.00 requested"),
        ("approve_reduced", "0", "The recommended amount must be more than £0"),
        ("approve_reduced", "", "Enter the reduced amount you recommend"),
        ("approve", "20000", "The recommended amount must be no more than the £15,000.00 requested"),
        (
            "approve",
            "12000",
            "To recommend less than the £15,000.00 requested, choose “Approve a reduced amount”",
        ),
        ("decline", "12000", "Leave the recommended amount empty if you recommend declining"),
    ],
)
def test_a_recommended_amount_that_a_decision_could_not_rest_on_is_refused_on_the_field(
    client, world, recommendation, typed, message
):
    application, officer = _assessing(world)
    sign_in(client, officer)
    url = f"/grants/applications/{application.pk}/assessment/"
    response = client.post(
        url,
        {
            **BLANK,
            "eligible": "yes",
            "recommendation": recommendation,
            "recommended_amount": typed,
            "recommendation_notes": "Good value",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    summary = _summary(body)
    assert message in summary
    assert 'href="#id_recommended_amount"' in summary
    assert "The assessment has been saved" not in body
    assert "Good value" in body  # what was typed is kept
    _nothing_saved(application)


def test_the_decide_page_never_puts_more_than_the_amount_requested_to_the_decider(client, world):
    application, officer = _assessing(world)
    sign_in(client, officer)
    url = f"/grants/applications/{application.pk}/assessment/"
    client.post(
        url, {**BLANK, "eligible": "yes", "recommendation": "approve_reduced", "recommended_amount": "20000"}
    )
    assert (
        "The decision is on £15,000.00"
        in client.get(f"/grants/applications/{application.pk}/decide/").content.decode()
    )

    # A real reduction is saved, and is what the decision is on.
    response = client.post(
        url,
        {**BLANK, "eligible": "yes", "recommendation": "approve_reduced", "recommended_amount": "12,000"},
        follow=True,
    )
    assert "The assessment has been saved." in response.content.decode()
    assert Assessment.objects.get(application=application).recommended_amount == Decimal("12000")
    assert (
        "The decision is on £12,000.00"
        in client.get(f"/grants/applications/{application.pk}/decide/").content.decode()
    )


def test_the_hint_names_the_amount_requested(client, world):
    application, officer = _assessing(world)
    sign_in(client, officer)
    body = client.get(f"/grants/applications/{application.pk}/assessment/").content.decode()
    assert "less than the £15,000.00 requested" in body


def test_a_reduced_amount_is_never_above_the_rounds_maximum_even_if_the_maximum_was_lowered(world):
    application, officer = _assessing(world, amount="15000")
    application.round.max_award = Decimal("10000")
    application.round.save()
    with pytest.raises(ValidationError) as exc:
        assessment_services.save_assessment(
            application=application,
            by=officer,
            values={"recommendation": "approve_reduced", "recommended_amount": Decimal("12000")},
        )
    assert exc.value.message_dict == {
        "recommended_amount": [
            "The recommended amount must be no more than the round's maximum award of £10,000.00"
        ]
    }


def test_a_decision_is_refused_on_an_assessment_that_recommends_more_than_was_requested(client, world):
    """An assessment saved before the rule (or behind the form's back) cannot carry a decision above the request."""
    application, officer = _assessing(world)
    Assessment.objects.filter(application=application).update(
        eligible=True, recommendation="approve_reduced", recommended_amount=Decimal("20000")
    )
    sign_in(client, world.users[Role.PCC])  # who may decide £20,000
    body = client.post(
        f"/grants/applications/{application.pk}/decide/", {"decision": "approve", "note": "Strong bid"}
    ).content.decode()
    assert "more than the £15,000.00 requested: correct the assessment first" in _summary(body)
    application.refresh_from_db()
    assert application.status == Application.Status.IN_ASSESSMENT and application.decided_amount is None


def test_a_blank_assessment_is_refused_and_says_what_to_do(client, world):
    application, officer = _assessing(world)
    sign_in(client, officer)
    url = f"/grants/applications/{application.pk}/assessment/"
    response = client.post(url, BLANK)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Enter at least one answer before you save the assessment" in _summary(body)
    assert "The assessment has been saved" not in body and "<title>Error: " in body
    _nothing_saved(application)

    # One answer is enough: the assessment can be filled in over several visits.
    response = client.post(url, {**BLANK, "needs_assessment": "Matches the DA needs assessment"}, follow=True)
    assert "The assessment has been saved." in response.content.decode()
    assessment = Assessment.objects.get(application=application)
    assert (
        assessment.needs_assessment == "Matches the DA needs assessment" and assessment.assessed_by == officer
    )
