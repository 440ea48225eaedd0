from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from freezegun import freeze_time

from funding import ledger
from funding.models import Award, FinancialYear
from grants.models import Application
from grants.services import applications as application_services
from grants.services import assessment as assessment_services
from grants.services import decisions as decision_services
from grants.services import offers as offer_services
from opcc.services.transitions import timeline_for
from tests.funding.factories import PotFactory, approved_year
from tests.grants.factories import cgs_round, draft, offered, roles

D = Decimal


def test_the_whole_lifecycle_from_draft_to_an_active_award(world):
    provider, officer = roles(world)
    round_ = cgs_round()
    application = offered(round_, provider, officer, amount="12000")
    assert application.status == Application.Status.OFFERED
    award = application.award
    assert award.status == Award.Status.PENDING and award.amount == D("12000")
    pot = round_.pot
    # Money is committed as soon as the offer is made.
    assert ledger.committed_in_pot(pot) == D("12000")
    application = offer_services.accept_offer(
        application=application, by=provider, name="Lucy Evans", role="Manager", confirmed=True
    )
    application.refresh_from_db()
    award.refresh_from_db()
    assert application.status == Application.Status.ACCEPTED
    assert award.status == Award.Status.ACTIVE
    assert application.offer.letter.sha256 and application.offer.accepted_name == "Lucy Evans"
    states = [e.to_state for e in timeline_for(application)][::-1]
    assert states == ["draft", "submitted", "in_assessment", "approved", "offered", "accepted"]


def test_more_information_opens_the_application_and_it_is_sent_back(world):
    provider, officer = roles(world)
    round_ = cgs_round()
    application = draft(round_, provider)
    application = application_services.submit(
        application=application, by=provider, confirmed=True, name="L", role="M"
    )
    application = assessment_services.request_information(
        application=application, by=officer, note="Send your accounts"
    )
    assert application.is_editable and application.messages.get().body == "Send your accounts"
    # Even after the round closes, the office's request can be answered.
    round_.closes_at = timezone.now() - timedelta(days=1)
    round_.save()
    application = application_services.submit(
        application=application, by=provider, confirmed=True, name="L", role="M"
    )
    assert application.status == Application.Status.SUBMITTED


# The factories' pots are 2026/27's and a project must start on or after the day it is submitted (at closing time).
@freeze_time("2026-11-25 10:00:00")
def test_one_second_after_closing_a_submission_is_refused(world):
    provider, _ = roles(world)
    round_ = cgs_round()
    application = draft(round_, provider)
    closes = round_.closes_at
    with pytest.raises(ValidationError) as exc:
        application_services.submit(
            application=application,
            by=provider,
            confirmed=True,
            name="L",
            role="M",
            now=closes + timedelta(seconds=1),
        )
    assert "This round closed at" in exc.value.messages[0] and "(UK time)" in exc.value.messages[0]
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT and application.title == "Safe at home"
    assert (
        application_services.submit(
            application=application, by=provider, confirmed=True, name="L", role="M", now=closes
        ).status
        == "submitted"
    )


def test_a_lapsed_offer_frees_its_money_and_running_twice_changes_nothing(world):
    provider, officer = roles(world)
    round_ = cgs_round()
    application = offered(round_, provider, officer, amount="20000")
    pot = round_.pot
    assert ledger.committed_in_pot(pot) == D("20000")
    assert offer_services.lapse_overdue_offers(today=timezone.localdate() + timedelta(days=29)) == 1
    assert offer_services.lapse_overdue_offers(today=timezone.localdate() + timedelta(days=29)) == 0
    application.refresh_from_db()
    assert application.status == Application.Status.LAPSED
    award = Award.objects.get(pk=application.award_id)
    assert award.status == Award.Status.CANCELLED
    assert sum(ay.amount for ay in award.profile.all()) == 0
    assert ledger.committed_in_pot(pot) == 0
    with pytest.raises(ValidationError):
        offer_services.accept_offer(application=application, by=provider, name="L", role="M", confirmed=True)


def test_an_offer_beyond_the_pot_is_refused_and_nothing_is_committed(world):
    provider, officer = roles(world)
    year = approved_year(2026)
    pot = PotFactory(year=year, key="cgs", allocated=D("5000"))
    round_ = cgs_round(pot=pot)
    with pytest.raises(ValidationError):
        offered(round_, provider, officer, amount="6000")
    assert not Award.objects.exists()
    assert Application.objects.get().status == Application.Status.APPROVED
    assert FinancialYear.objects.count() == 1


def test_decisions_follow_the_delegation_levels(world):
    from django.core.exceptions import PermissionDenied

    from opcc.models import Role
    from tests.grants.factories import approved

    provider, officer = roles(world)
    round_ = cgs_round(max_award="60000")
    with pytest.raises(PermissionDenied):
        approved(round_, provider, officer, amount="30000")
    application = Application.objects.get()
    assert application.status == Application.Status.IN_ASSESSMENT
    head = world.users[Role.HEAD_OF_COMMISSIONING]
    application = decision_services.decide(
        application=application, by=head, decision="approve", note="Within my authority"
    )
    assert application.status == Application.Status.APPROVED and application.decided_amount == D("30000")
