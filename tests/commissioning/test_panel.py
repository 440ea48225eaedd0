"""The evaluation panel: adding a member invites them, once, whoever adds them (a page, the demo or a script)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from commissioning.services import evaluation as evaluation_services
from opcc.models import OutboxMessage
from tests.commissioning import factories as f


def test_adding_a_panel_member_queues_one_invitation_with_the_link_to_their_evaluation(world):
    person = f.evaluator(email="panel.member@example.org")
    c, tender, _a, _b, _people = f.tender_ready_for_scoring(world, evaluators=[person])
    invitations = OutboxMessage.objects.filter(template_key="panel-invitation", to_email=person.email)
    assert invitations.count() == 1
    invitation = invitations.get()
    assert c.title in invitation.body and tender.portal_reference in invitation.body
    assert reverse("commissioning:evaluate", args=[tender.pk]) in invitation.body

    with pytest.raises(ValidationError):
        evaluation_services.add_panel_member(commission=c, user=person, by=f.officer_of(world))
    assert invitations.count() == 1
