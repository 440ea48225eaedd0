"""The notices pages: a commission's list, a notice's page (what it says, what is missing, recording publication),
setting one aside, its OCDS download, and the officer's home page."""

import json
import re
from datetime import date, datetime, timedelta

from django.utils import timezone

from commissioning.models import Notice, NoticeKind, Procurement
from commissioning.notice_content import BUILDERS
from commissioning.services import notices as notice_services
from opcc.models import Role
from reporting.opendata import notices as releases
from tests.commissioning import act_factories as act
from tests.commissioning import factories as f
from tests.conftest import sign_in


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def error_summary(response) -> list[str]:
    body = response.content.decode()
    summary = body.split('govuk-error-summary__list"', 1)[1].split("</ul>", 1)[0]
    return [re.sub(r"<[^>]+>", "", item).strip() for item in summary.split("<li>")[1:]]


def _officer(client, world):
    officer = world.users[Role.COMMISSIONING_OFFICER]
    sign_in(client, officer)
    return officer


def test_the_list_shows_each_notice_with_its_form_status_and_due_date_overdue_in_red(client, world):
    officer = _officer(client, world)
    c, procurement = f.regulated_tender(world, published_on=date(2026, 7, 1))
    tender = procurement.notices.get(kind=NoticeKind.TENDER)
    notice_services.record_publication(
        notice=procurement.notices.get(kind=NoticeKind.PRELIMINARY_MARKET_ENGAGEMENT),
        identifier="012345-2026",
        published_on=date(2026, 6, 1),
        by=officer,
    )
    page = text(client.get(f"/commissioning/{c.pk}/notices/"))
    assert "Procurement Act notices" in page and 'aria-current="page" href="/commissioning/' in page
    assert f'href="/commissioning/notices/{tender.pk}/">Tender notice</a>' in page
    assert '<strong class="govuk-tag govuk-tag--green">Published</strong>' in page and "012345-2026" in page
    overdue = tender.due_by < timezone.localdate()
    assert ('<strong class="govuk-tag govuk-tag--red">Overdue</strong> 1 Jul 2026' in page) is overdue
    assert "Prepare a planned procurement notice" in page


def test_the_list_runs_a_fixed_number_of_queries_however_many_notices(
    client, world, django_assert_max_num_queries
):
    _officer(client, world)
    c, procurement = f.regulated_tender(world)
    url = f"/commissioning/{c.pk}/notices/"
    client.get(url)
    with django_assert_max_num_queries(16) as few:
        client.get(url)
    for n in range(10):
        notice_services.ensure_notice(
            kind=NoticeKind.CONTRACT_CHANGE,
            key=f"test:{n}",
            triggered_on=date(2026, 7, 1),
            due_by=date(2026, 7, 1) + timedelta(days=n),
            procurement=procurement,
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = text(client.get(url))
    assert page.count("Contract change notice</a>") == 10


def test_the_notice_page_says_what_the_notice_says_and_links_what_is_missing(client, world):
    _officer(client, world)
    c, procurement = f.regulated_tender(world, published_on=date(2026, 7, 1), closes_on=date(2026, 7, 20))
    notice = procurement.notices.get(kind=NoticeKind.TENDER)
    page = text(client.get(f"/commissioning/notices/{notice.pk}/"))
    assert '<h1 class="govuk-heading-l">UK4 tender notice</h1>' in page
    assert "Quality 70%, price 30%; Service delivery 60% of quality (42% overall)" in page
    assert f'href="/commissioning/{c.pk}/tender/">Set a tendering period of at least 25 days' in page
    assert "Mark as ready to publish" in page and "Record its publication" in page
    # A required notice cannot be set aside: the page does not offer it.
    assert "Record that it is not needed" not in page


def test_mark_ready_refused_shows_every_missing_item_in_the_error_summary(client, world):
    _officer(client, world)
    _c, procurement = f.regulated_tender(world, published_on=date(2026, 7, 1), closes_on=date(2026, 7, 20))
    notice = procurement.notices.get(kind=NoticeKind.TENDER)
    response = client.post(f"/commissioning/notices/{notice.pk}/mark_ready/", {"expected_state": "draft"})
    assert response.status_code == 200
    assert [item[:45] for item in error_summary(response)] == [
        "Set a tendering period of at least 25 days (1",
        "Publish the preliminary market engagement not",
    ]
    notice.refresh_from_db()
    assert notice.status == "draft"


def test_recording_publication_without_answers_lists_both_errors_and_saves_nothing(client, world):
    _officer(client, world)
    _c, procurement = f.regulated_tender(world)
    notice = act.complete_for_publication(world, procurement.notices.get(kind=NoticeKind.TENDER))
    url = f"/commissioning/notices/{notice.pk}/"
    response = client.post(
        url, {"platform_identifier": "", "published_on_0": "", "published_on_1": "", "published_on_2": ""}
    )
    assert error_summary(response) == [
        "Enter the notice identifier Find a Tender gave the notice, like 012345-2026",
        "Enter the date the notice was published",
    ]
    future = timezone.localdate() + timedelta(days=3)
    response = client.post(
        url,
        {
            "platform_identifier": "12-2026",
            "published_on_0": future.day,
            "published_on_1": future.month,
            "published_on_2": future.year,
        },
    )
    assert error_summary(response) == [
        "Enter the notice identifier as Find a Tender shows it: six digits, a hyphen and the year, like 012345-2026",
        "The date published must be today or in the past",
    ]
    notice.refresh_from_db()
    assert (notice.status, notice.platform_identifier) == ("draft", "")
    response = client.post(
        url,
        {
            "platform_identifier": "054321-2026",
            "published_on_0": "1",
            "published_on_1": "7",
            "published_on_2": "2026",
            "expected_state": "draft",
        },
    )
    assert response.status_code == 302
    page = text(client.get(url))
    assert "UK4 tender notice recorded as published: 054321-2026." in page
    assert 'href="https://www.find-tender.service.gov.uk/Notice/054321-2026"' in page


def test_recording_the_publication_of_an_incomplete_notice_is_refused_in_the_error_summary(client, world):
    _officer(client, world)
    _c, procurement = f.regulated_tender(world)
    notice = procurement.notices.get(kind=NoticeKind.TENDER)
    url = f"/commissioning/notices/{notice.pk}/"
    answers = {
        "platform_identifier": "054321-2026",
        "published_on_0": "1",
        "published_on_1": "7",
        "published_on_2": "2026",
        "expected_state": "draft",
    }
    response = client.post(url, answers)
    assert response.status_code == 200
    assert error_summary(response) == [
        "Complete the notice before recording its publication: publish the preliminary market engagement notice "
        "before the tender notice, or record why it is not needed (the tender notice then gives the reason)"
    ]
    body = response.content.decode()
    # The summary leads to the checklist of what is missing; no answer is marked wrong, since neither is.
    assert '<li><a href="#missing">Complete the notice' in body and 'id="missing"' in body
    assert "govuk-form-group--error" not in body and "govuk-error-message" not in body
    assert "<title>Error: " in body
    notice.refresh_from_db()
    assert (notice.status, notice.platform_identifier, notice.published_release) == ("draft", "", None)
    # Once the checklist is done, the same answers are accepted.
    act.complete_for_publication(world, notice)
    assert client.post(url, answers).status_code == 302
    notice.refresh_from_db()
    assert (notice.status, notice.platform_identifier) == ("published", "054321-2026")


def test_an_optional_notice_is_set_aside_with_its_reason(client, world):
    _officer(client, world)
    _c, _t, *_ = f.tender_ready_for_scoring(world)
    notice = Notice.objects.get(kind=NoticeKind.BELOW_THRESHOLD_TENDER)
    url = f"/commissioning/notices/{notice.pk}/not-needed/"
    assert error_summary(client.post(url, {"reason": ""})) == ["Enter why this notice is not needed"]
    response = client.post(url, {"reason": "Advertised on the Blue Light portal only"})
    assert response.status_code == 302
    notice.refresh_from_db()
    assert (notice.status, notice.not_needed_reason) == (
        "not_needed",
        "Advertised on the Blue Light portal only",
    )


def test_the_ocds_download_is_a_valid_release_package_with_the_notice_type(client, world):
    _officer(client, world)
    _c, procurement = f.regulated_tender(world)
    notice = procurement.notices.get(kind=NoticeKind.TENDER)
    response = client.get(f"/commissioning/notices/{notice.pk}/ocds.json")
    assert response["Content-Type"] == "application/json" and "attachment" in response["Content-Disposition"]
    document = json.loads(response.content)
    assert releases.package_problems(document) == []
    (release,) = document["releases"]
    assert releases.problems(release) == []
    assert release["tag"] == ["tender"]
    assert release["tender"]["documents"][-1]["noticeType"] == "UK4"


def test_a_kind_without_a_builder_still_has_a_page_and_a_release(client, world, monkeypatch):
    _officer(client, world)
    _c, procurement = f.regulated_tender(world)
    monkeypatch.delitem(BUILDERS, NoticeKind.CONTRACT_AWARD, raising=False)
    notice = notice_services.ensure_notice(
        kind=NoticeKind.CONTRACT_AWARD,
        key="test:award",
        triggered_on=date(2026, 9, 1),
        procurement=procurement,
    )
    page = text(client.get(f"/commissioning/notices/{notice.pk}/"))
    assert "UK6 contract award notice" in page and "not prepared by the system yet" in page
    document = json.loads(client.get(f"/commissioning/notices/{notice.pk}/ocds.json").content)
    assert releases.package_problems(document) == []


def test_the_officer_home_page_lists_notices_due_and_overdue(client, world):
    _officer(client, world)
    soon = timezone.localdate() + timedelta(days=3)
    past = timezone.localdate() - timedelta(days=2)
    _c, procurement = f.regulated_tender(world, published_on=soon, closes_on=soon + timedelta(days=30))
    overdue = notice_services.ensure_notice(
        kind=NoticeKind.CONTRACT_CHANGE,
        key="test:late",
        triggered_on=past,
        due_by=past,
        procurement=procurement,
    )
    page = text(client.get("/home/"))
    assert "Procurement Act notices to publish" in page
    assert f"UK4 tender notice: {procurement.commission.title}</a> due {soon:%-d %b %Y}" in page
    assert f'href="/commissioning/notices/{overdue.pk}/"' in page and "Overdue</strong> was due" in page


def test_a_procurement_started_before_the_act_says_it_keeps_the_old_regime(client, world):
    _officer(client, world)
    c, procurement = f.regulated_tender(world)
    old = timezone.make_aware(datetime(2025, 1, 10, 12))
    Procurement.objects.filter(pk=procurement.pk).update(chosen_at=old)
    page = text(client.get(f"/commissioning/{c.pk}/notices/"))
    assert (
        "This procurement started before 24 February 2025, so it keeps the notices of the old regime" in page
    )
    assert "Prepare a planned procurement notice" not in page


def test_the_do_stage_links_to_the_notices_for_officers_only(client, world):
    c, _procurement = f.regulated_tender(world)
    _officer(client, world)
    assert f'href="/commissioning/{c.pk}/notices/">Procurement Act notices' in text(
        client.get(f"/commissioning/{c.pk}/do/")
    )
    sign_in(client, world.users[Role.PCC])
    page = text(client.get(f"/commissioning/{c.pk}/do/"))
    assert "Procurement Act notices" not in page and f"/commissioning/{c.pk}/notices/" not in page


def test_the_office_numbers_page_shows_the_notice_reminder_days(client, world):
    _officer(client, world)
    page = text(client.get("/commissioning/procurement-bands/"))
    assert (
        "Reminder before a Procurement Act notice is due</dt>" in page
        and "7 days, and again once it is overdue" in page
    )
