"""A project's dates are checked as an applicant would expect: it starts today or later, ends on or after it starts,
and runs for no more than three years. On saving the section, and again, with every other problem, at submission."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from grants.models import Application
from grants.services import applications as application_services
from tests.conftest import sign_in
from tests.grants.factories import cgs_round, draft, project_dates, roles

PAST_START = "The start date must be today or in the future"
BEFORE_START = "The end date must be the same as or after the start date"


def _too_long(start: date) -> str:
    return (
        f"The end date must be no more than 3 years after the start date: the project can run until "
        f"{application_services.latest_end_date(start):%-d %B %Y} at the latest"
    )


def _date(name, day: date):
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


def _project(start: date, end: date) -> dict:
    return {
        "title": "Safe at home",
        "summary": "Sanctuary measures",
        **_date("start_date", start),
        **_date("end_date", end),
    }


def _summary(body: str) -> str:
    assert "govuk-error-summary" in body, "no error summary shown"
    return body.split("govuk-error-summary__list")[1].split("</ul>")[0]


def test_the_testers_dates_are_refused_with_both_problems_and_nothing_is_saved(client, world):
    provider, _ = roles(world)
    application = draft(cgs_round(), provider)
    saved = (application.start_date, application.end_date)
    sign_in(client, provider)
    response = client.post(
        f"/grants/applications/{application.pk}/sections/project/",
        _project(date(2020, 6, 1), date(2031, 1, 1)),
    )
    assert response.status_code == 200
    body = response.content.decode()
    summary = _summary(body)
    assert PAST_START in summary and _too_long(date(2020, 6, 1)) in summary
    assert 'href="#id_start_date"' in summary and 'href="#id_end_date"' in summary
    assert 'value="2020"' in body and 'value="2031"' in body  # what was typed is kept
    application.refresh_from_db()
    assert (application.start_date, application.end_date) == saved


@pytest.mark.parametrize(
    "start_in, length, problems",
    [
        (-1, timedelta(days=30), [PAST_START]),
        (10, timedelta(days=-1), [BEFORE_START]),
        (10, None, ["too long"]),  # one day more than three years
    ],
)
def test_each_date_rule_is_named_on_the_section_page(client, world, start_in, length, problems):
    provider, _ = roles(world)
    application = draft(cgs_round(), provider)
    sign_in(client, provider)
    start = timezone.localdate() + timedelta(days=start_in)
    end = (
        application_services.latest_end_date(start) + timedelta(days=1) if length is None else start + length
    )
    body = client.post(
        f"/grants/applications/{application.pk}/sections/project/", _project(start, end)
    ).content.decode()
    expected = [_too_long(start) if p == "too long" else p for p in problems]
    summary = _summary(body)
    for problem in expected:
        assert problem in summary
    assert summary.count("<li>") == len(expected)


def test_dates_that_follow_the_rules_are_saved(client, world):
    provider, _ = roles(world)
    application = draft(cgs_round(), provider)
    sign_in(client, provider)
    today = timezone.localdate()
    # Starting today, for exactly three years, is allowed; so is a one-day project.
    for start, end in (
        (today, application_services.latest_end_date(today)),
        (today + timedelta(days=7), today + timedelta(days=7)),
    ):
        response = client.post(
            f"/grants/applications/{application.pk}/sections/project/", _project(start, end)
        )
        assert response.status_code == 302
        application.refresh_from_db()
        assert (application.start_date, application.end_date) == (start, end)


def test_the_three_years_end_the_day_before_the_anniversary_even_from_29_february():
    assert application_services.latest_end_date(date(2027, 4, 1)) == date(2030, 3, 31)
    assert application_services.latest_end_date(date(2028, 2, 29)) == date(2031, 2, 28)


def test_a_start_date_that_has_passed_does_not_stop_the_other_sections_being_saved(client, world):
    provider, _ = roles(world)
    application = draft(cgs_round(), provider)
    Application.objects.filter(pk=application.pk).update(start_date=timezone.localdate() - timedelta(days=3))
    sign_in(client, provider)
    response = client.post(
        f"/grants/applications/{application.pk}/sections/need/",
        {"need": "Repeat victimisation", "outcomes": "Victims feel safer", "prevention": "yes"},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.need == "Repeat victimisation"


def test_submission_lists_every_problem_at_once_each_linked_to_where_it_is_changed(client, world):
    provider, _ = roles(world)
    round_ = cgs_round()
    application = draft(round_, provider, amount="12000")
    # Saved while they were allowed: the start has since passed, the project runs too long, the maximum went down.
    start = timezone.localdate() - timedelta(days=2)
    Application.objects.filter(pk=application.pk).update(
        start_date=start, end_date=date(start.year + 4, 1, 1)
    )
    round_.max_award = 10000
    round_.save()
    sign_in(client, provider)
    response = client.post(
        f"/grants/applications/{application.pk}/submit/", {"name": "Lucy Evans", "role": ""}
    )
    assert response.status_code == 200
    body = response.content.decode()
    summary = _summary(body)
    project = f"/grants/applications/{application.pk}/sections/project/"
    budget = f"/grants/applications/{application.pk}/sections/budget/"
    assert f'<a href="{project}#id_start_date_0">{PAST_START}</a>' in summary
    assert f'<a href="{project}#id_end_date_0">{_too_long(start)}</a>' in summary
    assert f'<a href="{budget}#id_amount_requested">The amount requested must be no more than' in summary
    assert 'href="#id_confirmed">Confirm that the information you have given is true and complete' in summary
    assert 'href="#id_role">Enter your role in the organisation' in summary
    assert "<title>Error: " in body and 'value="Lucy Evans"' in body
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT and application.declared_at is None


def test_submission_with_only_a_problem_in_the_answers_still_shows_the_error_summary(client, world):
    provider, _ = roles(world)
    application = draft(cgs_round(), provider)
    Application.objects.filter(pk=application.pk).update(start_date=timezone.localdate() - timedelta(days=1))
    sign_in(client, provider)
    body = client.post(
        f"/grants/applications/{application.pk}/submit/",
        {"confirmed": "on", "name": "Lucy Evans", "role": "Manager"},
    ).content.decode()
    assert PAST_START in _summary(body) and "<title>Error: " in body
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT


def test_the_service_refuses_bad_dates_at_submission_whoever_calls_it(world):
    provider, _ = roles(world)
    application = draft(cgs_round(), provider)
    start, _ = project_dates()
    Application.objects.filter(pk=application.pk).update(end_date=start - timedelta(days=1))
    application.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        application_services.submit(application=application, by=provider, confirmed=False, name="L", role="M")
    assert exc.value.message_dict == {
        "end_date": [BEFORE_START],
        "confirmed": ["Confirm that the information you have given is true and complete"],
    }
