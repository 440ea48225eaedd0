"""The grants gates: what the application page offers the office is exactly what its transitions allow, and the
services refuse the same."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django_fsm import TransitionNotAllowed

from grants import gates
from grants.models import Application, Score
from grants.services import assessment as assessment_services
from opcc.models import Role
from opcc.services.transitions import available_transitions
from tests.conftest import sign_in
from tests.grants.factories import cgs_round, lpcaf_round, roles, submitted


def _names(application, user):
    return {t.name for t in available_transitions(application, user)}


def test_the_office_starts_the_assessment_of_an_office_round_and_its_page_offers_it(client, world):
    provider, officer = roles(world)
    application = submitted(cgs_round(), provider)
    assert {"start_assessment", "request_information"} <= _names(application, officer)
    # A decision follows the assessment: none is offered while the application is only submitted.
    assert not gates.ready_for_decision(application)
    sign_in(client, officer)
    body = client.get(f"/grants/applications/{application.pk}/").content.decode()
    assert "Start the assessment</a>" in body and "Ask for more information</a>" in body
    assert ">Decide</a>" not in body and "Make the offer</a>" not in body


def test_an_area_decided_bid_is_never_assessed_by_the_office(world):
    provider, officer = roles(world)
    bid = submitted(lpcaf_round(areas=[world.area]), provider, amount="1500", area=world.area)
    assert gates.decided_by_area(bid) and not gates.assessed_by_office(bid)
    assert "start_assessment" not in _names(bid, officer)
    with pytest.raises(TransitionNotAllowed):
        assessment_services.start_assessment(application=bid, by=officer)
    assert Application.objects.get(pk=bid.pk).status == Application.Status.SUBMITTED


def test_the_office_page_offers_a_decision_once_the_assessment_has_started(world):
    provider, officer = roles(world)
    application = submitted(cgs_round(), provider, amount="1000")
    assert not gates.ready_for_decision(application)
    application = assessment_services.start_assessment(application=application, by=officer)
    assert gates.ready_for_decision(application)
    assert {"approve", "decline"} <= _names(application, officer)


def test_a_decision_above_a_persons_authority_says_so(world):
    provider, officer = roles(world)
    application = submitted(cgs_round(max_award="400000"), provider, amount="300000")
    application = assessment_services.start_assessment(application=application, by=officer)
    assert gates.needs_higher_authority(application, officer)
    assert not gates.needs_higher_authority(application, world.users[Role.PCC])


def _scoring(world):
    provider, officer = roles(world)
    application = assessment_services.start_assessment(
        application=submitted(cgs_round(), provider), by=officer
    )
    assessment_services.declare_conflict(application=application, by=officer, conflict=False, details="")
    return application, officer


def test_a_score_outside_0_to_5_is_refused_by_the_service_and_the_database(world):
    application, officer = _scoring(world)
    criteria = list(application.round.criteria.all())
    scores = {c.pk: (6, "") for c in criteria}
    with pytest.raises(ValidationError) as exc:
        assessment_services.save_scores(application=application, by=officer, scores=scores)
    assert f"Give a score from 0 to 5 for {criteria[0].name}" in exc.value.messages
    assert not Score.objects.filter(application=application).exists()
    with pytest.raises(IntegrityError), transaction.atomic():
        Score.objects.create(application=application, criterion=criteria[0], assessor=officer, score=6)


def test_an_assessor_with_an_interest_cannot_score(world):
    application, officer = _scoring(world)
    assessment_services.declare_conflict(
        application=application, by=officer, conflict=True, details="My sister"
    )
    assert not gates.declared_no_conflict(application, officer)
    scores = {c.pk: (3, "") for c in application.round.criteria.all()}
    with pytest.raises(ValidationError, match="conflict of interest"):
        assessment_services.save_scores(application=application, by=officer, scores=scores)
