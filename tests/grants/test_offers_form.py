"""The offer form reports every problem at once, in page order, and the service does the same."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from grants.models import Application
from grants.services import offers as offer_services
from tests.conftest import sign_in
from tests.grants.factories import approved, cgs_round, roles


def _date(name, day, month, year):
    return {f"{name}_0": str(day), f"{name}_1": str(month), f"{name}_2": str(year)}


def test_the_offer_form_reports_every_problem_at_once_in_page_order(client, world):
    provider, officer = roles(world)
    application = approved(cgs_round(), provider, officer)
    sign_in(client, officer)
    url = f"/grants/applications/{application.pk}/offer/"
    body = client.post(
        url,
        {
            **_date("start_date", 4, 1, 2027),
            **_date("end_date", 31, 13, 2027),
            "schedule_kind": "in_advance",
            **_date("accept_by", 23, 12, 2025),
            "conditions": "Quarterly newsletter mention.",
        },
    ).content.decode()
    summary = body.split("govuk-error-summary__list")[1].split("</ul>")[0]
    assert "The grant end date must be a real date, like 27 3 2027" in summary
    assert "The acceptance deadline must be today or later" in summary
    assert summary.index("grant end date") < summary.index("acceptance deadline")
    assert 'value="2025"' in body and "Quarterly newsletter mention." in body
    # A valid end date before the start date, with the past deadline: both again, nothing committed.
    body = client.post(
        url,
        {
            **_date("start_date", 4, 1, 2027),
            **_date("end_date", 3, 1, 2027),
            "schedule_kind": "in_advance",
            **_date("accept_by", 23, 12, 2025),
        },
    ).content.decode()
    assert "The grant end date must be the same as or after the start date" in body
    assert "The acceptance deadline must be today or later" in body
    application.refresh_from_db()
    assert application.status == Application.Status.APPROVED and application.award_id is None


def test_the_service_reports_the_deadline_with_the_awards_own_problems(world):
    provider, officer = roles(world)
    application = approved(cgs_round(), provider, officer)
    with pytest.raises(ValidationError) as caught:
        offer_services.make_offer(
            application=application,
            by=officer,
            start_date=date(2027, 1, 4),
            end_date=date(2027, 1, 3),
            schedule_kind="in_advance",
            accept_by=timezone.localdate() - timedelta(days=1),
        )
    assert set(caught.value.message_dict) == {"accept_by", "end_date"}
