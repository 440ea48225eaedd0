"""The office's payments compliance notices have no lead officer: finance is chased about them by the daily sweep
(once per person and due date) and sees them on its home page."""

from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from commissioning.models import Notice, NoticeKind
from commissioning.services.notices import ensure_notice
from commissioning.tasks import send_notice_reminders
from opcc.models import OutboxMessage, Role
from opcc.testing import verified_client
from reporting.services import payments_compliance as services


def _notice(due_by: date) -> Notice:
    return ensure_notice(
        kind=NoticeKind.PAYMENTS_COMPLIANCE,
        key="payments:2026-04-01",
        triggered_on=date(2026, 9, 30),
        due_by=due_by,
    )


def test_finance_is_chased_once_before_and_once_after_the_due_date(world):
    finance = world.users[Role.FINANCE_OFFICER]
    _notice(date(2026, 10, 30))
    assert services.chase_notices(today=date(2026, 9, 1)) == 0  # not due soon yet
    assert services.chase_notices(today=date(2026, 10, 29)) == 1
    assert services.chase_notices(today=date(2026, 10, 30)) == 0  # the same reminder: never twice
    assert services.chase_notices(today=date(2026, 10, 31)) == 1  # overdue now
    assert services.chase_notices(today=date(2026, 11, 1)) == 0
    messages = OutboxMessage.objects.filter(template_key__startswith="payments-notice-").order_by("pk")
    assert [m.template_key for m in messages] == ["payments-notice-due", "payments-notice-overdue"]
    assert {m.to_email for m in messages} == {finance.email}
    assert "/payments-reporting/periods/2026-04-01/" in messages[0].body
    # The notices' own sweep (lead officers) still leaves it alone.
    assert send_notice_reminders(today=date(2026, 10, 31)) == 0


def test_a_published_notice_is_not_chased(world):
    notice = _notice(date(2026, 10, 30))
    Notice.objects.filter(pk=notice.pk).update(
        status=Notice.Status.PUBLISHED, platform_identifier="012345-2026", published_on=date(2026, 10, 20)
    )
    assert services.chase_notices(today=date(2026, 10, 31)) == 0


def test_finance_home_page_lists_the_notice_and_others_do_not_see_it(world):
    _notice(timezone.localdate() - timedelta(days=1))
    page = verified_client(world.users[Role.FINANCE_OFFICER]).get(reverse("home")).content.decode()
    assert "Payments compliance notices to publish" in page
    assert reverse("reporting:payments-compliance-period", args=["2026-04-01"]) in page
    assert "Overdue" in page
    officer = verified_client(world.users[Role.COMMISSIONING_OFFICER]).get(reverse("home")).content.decode()
    assert "Payments compliance notices to publish" not in officer
