"""The Do task list and the change pages lead to the notices' own pages, and the contract award notice keeps its
own rules (summaries first, not before the decision) whichever page records its publication."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from commissioning import gates
from commissioning.models import Notice, NoticeKind, Route
from commissioning.services import changes as change_services
from commissioning.services import procurement as procurement_services
from commissioning.services import single_tender as single_tender_services
from opcc.models import Role
from opcc.testing import verified_client
from tests.commissioning import act_factories as act
from tests.commissioning import factories as f

D = Decimal


def _task(c, name):
    return next(t for t in gates.do_tasks(c) if t.name == name)


def test_the_transparency_task_leads_to_the_notice_page(world):
    officer = f.officer_of(world)
    c = f.in_do(world, estimated_annual_value=D("83333.33"), estimated_total_value=D("250000"))
    procurement_services.choose_route(commission=c, route=Route.SINGLE_TENDER, reason="Only one", by=officer)
    single_tender_services.save_single_tender(
        commission=c,
        organisation=world.other_organisation,
        ground="a",
        justification="Only this provider holds the accreditation",
        value=D("250000"),
        schedule5="",
        by=officer,
    )
    notice = Notice.objects.get(kind=NoticeKind.TRANSPARENCY)
    task = _task(c, "Transparency notice")
    assert not task.done
    assert task.url == reverse("commissioning:notice", args=[notice.pk])
    page = verified_client(world.users[Role.COMMISSIONING_OFFICER]).get(
        reverse("commissioning:do", args=[c.pk])
    )
    assert f'href="{task.url}"' in page.content.decode()


def test_the_award_notice_task_leads_to_where_its_publication_is_recorded(world, pots):
    c, _bids, _winner = f.decided_regulated_tender(world)
    task = _task(c, "Contract award notice published")
    assert task.url == reverse("commissioning:award", args=[c.pk])


def test_a_waiting_change_leads_to_its_notice(world, pots):
    c = f.direct_award_in_review(world, pots)
    officer = f.officer_of(world)
    change = change_services.propose_change(
        contract=gates.current_contract(c),
        value_change=D("45000"),
        new_end_date=None,
        scope_change="",
        reason="Demand",
        agreed_on=date(2026, 12, 1),
        by=officer,
    )
    notice = Notice.objects.get(kind=NoticeKind.CONTRACT_CHANGE)
    client = verified_client(world.users[Role.COMMISSIONING_OFFICER])
    page = client.get(reverse("commissioning:contract-change-apply", args=[c.pk, change.pk])).content.decode()
    assert reverse("commissioning:notice", args=[notice.pk]) in page
    assert "Go to the contract change notice" in page


PUBLISHED = {"platform_identifier": "012345-2026", "published_on_0": "16", "published_on_1": "11"}


def _post(client, url, **more):
    return client.post(url, {**PUBLISHED, "published_on_2": "2026", **more})


@pytest.mark.parametrize("page", ["notice", "award"])
def test_the_award_notice_waits_for_every_summary_from_either_page(world, regulated, page):
    c, _bids, _winner = regulated
    notice = Notice.objects.get(kind=NoticeKind.CONTRACT_AWARD)
    client = verified_client(world.users[Role.COMMISSIONING_OFFICER])
    url = (
        reverse("commissioning:notice", args=[notice.pk])
        if page == "notice"
        else reverse("commissioning:award-notice", args=[c.pk])
    )
    response = _post(client, url)
    assert response.status_code == 200
    if page == "notice":  # the award page closes its form instead, saying the same
        assert "Send every assessment summary before publishing the contract award notice" in (
            response.content.decode()
        )
    notice.refresh_from_db()
    assert notice.status != Notice.Status.PUBLISHED


@pytest.mark.parametrize("page", ["notice", "award"])
def test_the_award_notice_is_not_dated_before_the_decision_from_either_page(world, regulated, page):
    c, _bids, _winner = regulated
    act.send_summaries(world, c)
    notice = Notice.objects.get(kind=NoticeKind.CONTRACT_AWARD)
    client = verified_client(world.users[Role.COMMISSIONING_OFFICER])
    url = (
        reverse("commissioning:notice", args=[notice.pk])
        if page == "notice"
        else reverse("commissioning:award-notice", args=[c.pk])
    )
    response = _post(client, url, published_on_0="1")  # 1 November: the decision was on 2 November
    assert response.status_code == 200
    assert "The notice cannot be published before the award decision of 2 November 2026" in (
        response.content.decode()
    )
    notice.refresh_from_db()
    assert notice.status != Notice.Status.PUBLISHED
    assert _post(client, url).status_code == 302
    notice.refresh_from_db()
    assert notice.status == Notice.Status.PUBLISHED and notice.platform_identifier == "012345-2026"
