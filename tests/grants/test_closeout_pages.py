"""The final report's pages: the provider fills in its own, the officer reviews; another organisation gets a 404."""

import pytest
from django.urls import reverse
from freezegun import freeze_time

from funding.models import Award
from opcc.models import Role
from reporting.models import FinalReportStatus
from tests.conftest import sign_in
from tests.factories import ProviderFactory
from tests.grants.closeout_factories import opened, paid_grant, submitted

pytestmark = pytest.mark.django_db


def _answers(report, *, spent, total, achieved="Met", next_steps="Continues", action="submit"):
    data = {"action": action, "spend_total": total, "service_next": next_steps}
    for i, line in enumerate(report.spend_lines.all()):
        data[f"spend-{line.pk}"] = spent if i == 0 else "0"
    for o in report.outcomes.all():
        data[f"achieved-{o.pk}"] = achieved
    return data


def test_the_provider_sends_its_final_report_and_the_officer_accepts_it(client, world):
    award = paid_grant(world)
    report = opened(award)
    sign_in(client, world.users[Role.PROVIDER])
    url = reverse("reporting:final-report", args=[report.pk])
    assert "Send the final report" in client.get(url).content.decode()
    assert report.award.reference in client.get(reverse("reporting:my-final-reports")).content.decode()
    response = client.post(url, _answers(report, spent="9500", total="9500"))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == FinalReportStatus.SUBMITTED

    sign_in(client, world.users[Role.COMMISSIONING_OFFICER])
    review = reverse("reporting:final-report-review", args=[report.pk])
    page = client.get(review).content.decode()
    assert "£500.00 more than it spent" in page
    with freeze_time("2026-11-25 12:00:00"):
        assert client.post(review, {"decision": "accept"}).status_code == 302
    award.refresh_from_db()
    assert award.status == Award.Status.COMPLETED


def test_every_problem_with_the_final_report_shows_at_once_and_nothing_is_saved(client, world):
    award = paid_grant(world)
    report = opened(award)
    sign_in(client, world.users[Role.PROVIDER])
    response = client.post(
        reverse("reporting:final-report", args=[report.pk]),
        _answers(report, spent="-1", total="9000", achieved="", next_steps=""),
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    assert "cannot be negative" in body
    assert "Enter what happens to the service next" in body
    assert "Enter what was achieved for" in body
    response = client.post(
        reverse("reporting:final-report", args=[report.pk]), _answers(report, spent="8000", total="9000")
    )
    assert "must be the lines added up: they come to £8,000.00" in response.content.decode()
    report.refresh_from_db()
    assert report.status == FinalReportStatus.DRAFT and report.spend_total is None


def test_returning_needs_reasons(client, world):
    report = submitted(world, paid_grant(world))
    sign_in(client, world.users[Role.COMMISSIONING_OFFICER])
    response = client.post(reverse("reporting:final-report-review", args=[report.pk]), {"decision": "return"})
    assert "Enter why the final report is being returned" in response.content.decode()
    report.refresh_from_db()
    assert report.status == FinalReportStatus.SUBMITTED


def test_another_organisations_final_report_is_not_found(client, world):
    report = opened(paid_grant(world))
    sign_in(client, world.other_provider)
    assert client.get(reverse("reporting:final-report", args=[report.pk])).status_code == 404
    assert (
        client.post(reverse("reporting:final-report", args=[report.pk]), {"action": "save"}).status_code
        == 404
    )
    assert report.award.reference not in client.get(reverse("reporting:my-final-reports")).content.decode()
    # Someone else at the same organisation may fill it in.
    colleague = ProviderFactory(email="colleague@example.org", organisation=world.organisation)
    sign_in(client, colleague)
    assert client.get(reverse("reporting:final-report", args=[report.pk])).status_code == 200


def test_a_sent_report_is_read_only_for_the_provider(client, world):
    report = submitted(world, paid_grant(world))
    sign_in(client, world.users[Role.PROVIDER])
    page = client.get(reverse("reporting:final-report", args=[report.pk])).content.decode()
    assert "Sent for review" in page and "Send the final report" not in page
    client.post(reverse("reporting:final-report", args=[report.pk]), {"action": "save", "spend_total": "1"})
    report.refresh_from_db()
    assert report.spend_total == 10000
