"""Exclusions not reported to the Procurement Review Unit within 30 days (Procurement Act 2023 s.59): listed on
the lead officer's home page and chased once by the daily sweep."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from commissioning.exclusions import pru_overdue
from commissioning.models import SupplierCheck
from commissioning.services import exclusions as exclusion_services
from commissioning.tasks import send_pru_reminders
from opcc.models import OutboxMessage, Role
from opcc.testing import verified_client
from tests.commissioning import act_factories as act
from tests.commissioning import factories as f


def _excluded(world, days_ago):
    c, _procurement, (bid_a, _b) = act.regulated_tender(world)
    act.import_list(world, f.NOBODY_WE_FUND)
    check = act.clean_check(
        world,
        c,
        bid_a.organisation,
        outcome="excluded",
        exclusion_grounds="Schedule 7: poor performance",
        exclusion_reasons="Two terminated contracts in 2025",
        excluded_on=timezone.localdate() - timedelta(days=29),
    )
    SupplierCheck.objects.filter(pk=check.pk).update(
        excluded_on=timezone.localdate() - timedelta(days=days_ago)
    )
    check.refresh_from_db()
    return c, check


def test_the_30th_day_is_not_overdue_the_31st_is(world):
    _c, check = _excluded(world, 29)
    assert not pru_overdue(today=timezone.localdate()).exists()
    assert send_pru_reminders() == 0
    SupplierCheck.objects.filter(pk=check.pk).update(excluded_on=check.excluded_on - timedelta(days=1))
    assert list(pru_overdue(today=timezone.localdate())) == [check]


def test_the_sweep_chases_the_officer_once_and_stops_once_the_unit_is_told(world):
    c, check = _excluded(world, 30)
    assert send_pru_reminders() == 1
    assert send_pru_reminders() == 0  # the same key: never twice
    message = OutboxMessage.objects.get(template_key="pru-notice-overdue")
    assert message.to_email == c.officer.email
    exclusion_services.record_pru_notice(
        check=check, notified_on=timezone.localdate(), by=f.officer_of(world)
    )
    assert not pru_overdue(today=timezone.localdate()).exists()
    assert send_pru_reminders() == 0


def test_the_officer_home_page_lists_the_overdue_notification(world):
    c, check = _excluded(world, 31)
    page = verified_client(world.users[Role.COMMISSIONING_OFFICER]).get(reverse("home")).content.decode()
    assert "Exclusions to report to the Procurement Review Unit" in page
    assert reverse("commissioning:supplier-check", args=[c.pk, check.organisation_id]) in page
    evaluator = verified_client(f.evaluator()).get(reverse("home")).content.decode()
    assert "Procurement Review Unit" not in evaluator
