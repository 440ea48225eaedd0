"""Pages: each stage's task list, bad input through the forms, and query counts that do not grow with data."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commissioning.models import Commission, Criterion, Tender
from commissioning.services import commissions as commission_services
from commissioning.services import evaluation as evaluation_services
from commissioning.services import procurement as procurement_services
from commissioning.services import review as review_services
from opcc.models import Document, Role
from opcc.services.documents import documents_for
from tests.commissioning import factories as f
from tests.conftest import sign_in
from tests.factories import OrganisationFactory
from tests.uploads import BAD_UPLOADS, refused_on_page, upload

D = Decimal


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def test_the_list_runs_the_same_number_of_queries_with_more_commissions(client, world):
    sign_in(client, f.officer_of(world))
    for i in range(3):
        f.new_commission(world, title=f"Service {i}")
    few = count_queries(client, "/commissioning/")
    for i in range(30):
        f.new_commission(world, title=f"More {i}")
    assert count_queries(client, "/commissioning/") == few


def test_the_evaluations_list_does_not_grow_with_tenders(client, world):
    person = world.users[Role.EVALUATOR]
    f.tender_ready_for_scoring(world, evaluators=[person])
    sign_in(client, person)
    few = count_queries(client, "/commissioning/evaluations/")
    for _ in range(3):
        f.tender_ready_for_scoring(world, evaluators=[person])
    assert count_queries(client, "/commissioning/evaluations/") == few


def test_the_understand_page_shows_what_is_complete_missing_and_blocking(client, world):
    officer = f.officer_of(world)
    c = f.new_commission(world)
    commission_services.update_commission(
        commission=c, values={"outcomes_sought": "Fewer repeat victims"}, by=officer
    )
    sign_in(client, officer)
    body = client.get(f"/commissioning/{c.pk}/understand/").content.decode()
    assert "govuk-task-list" in body
    assert "You have completed 1 of 7 tasks" in body
    assert "The next step is blocked until" in body
    assert "Upload the needs assessment" in body
    body = client.get(f"/commissioning/{c.pk}/move/start_planning/").content.decode()
    assert "This step is blocked until" in body
    response = client.post(
        f"/commissioning/{c.pk}/move/start_planning/", {"note": "", "expected_state": "understand"}
    )
    assert "Upload the needs assessment" in response.content.decode()
    assert Commission.objects.get(pk=c.pk).status == "understand"


def test_a_stale_transition_keeps_the_note_and_says_what_happened(client, world):
    officer = f.officer_of(world)
    c = f.fill_understand(f.new_commission(world), officer)
    commission_services.transition(commission=c, name="start_planning", by=officer)
    sign_in(client, officer)
    body = client.post(
        f"/commissioning/{c.pk}/move/start_planning/",
        {"note": "My careful note", "expected_state": "understand"},
    ).content.decode()
    assert "Someone else changed this while you were looking at it" in body
    assert "My careful note" in body


def test_bad_criteria_weights_show_an_error_and_keep_what_was_typed(client, world):
    c, tender, *_ = f.tender_ready_for_scoring(world)
    from commissioning.models import Score

    Score.objects.all().delete()
    sign_in(client, f.officer_of(world))
    body = client.post(
        f"/commissioning/{c.pk}/tender/criteria/",
        {"name_1": "Quality of service", "weight_1": "70", "name_2": "Value", "weight_2": "40"},
    ).content.decode()
    assert "govuk-error-summary" in body and "The weights add up to 110%" in body
    assert 'value="Quality of service"' in body
    assert list(Criterion.objects.values_list("weight", flat=True)) == [60, 40]


def test_bad_tender_input_through_the_form_saves_nothing(client, world):
    officer = f.officer_of(world)
    c = f.in_do(world)
    procurement_services.choose_route(commission=c, route="tender", reason="", by=officer)
    sign_in(client, officer)
    data = {
        "funding_envelope": "150000",
        "quality_weight": "80",
        "price_weight": "30",
        "portal_reference": "BLC-9",
        "published_on_0": "1",
        "published_on_1": "9",
        "published_on_2": "2026",
        "closes_on_0": "1",
        "closes_on_1": "8",
        "closes_on_2": "2026",
    }
    body = client.post(f"/commissioning/{c.pk}/tender/", data).content.decode()
    assert "Quality and price together cannot be more than 100%" in body
    assert "The closing date must be after the date the tender is published" in body
    assert not Tender.objects.exists()


def test_scoring_out_of_scale_or_before_declaring_through_the_page(client, world):
    c, tender, bid_a, bid_b, (person,) = f.tender_ready_for_scoring(world)
    sign_in(client, person)
    criteria = list(tender.criteria.all())
    body = client.get(f"/commissioning/evaluations/bids/{bid_a.pk}/").content.decode()
    assert "Declare any conflicts of interest before you score" in body
    assert "Bidder A" in body and "100,000" not in body
    evaluation_services.declare(
        tender=tender, user=person, answers={bid_a.pk: False, bid_b.pk: False}, details={}
    )
    data = {
        f"score_{criteria[0].pk}": "9",
        f"comment_{criteria[0].pk}": "Strong",
        f"score_{criteria[1].pk}": "3",
        f"comment_{criteria[1].pk}": "Fine",
    }
    body = client.post(f"/commissioning/evaluations/bids/{bid_a.pk}/", data).content.decode()
    assert "must be between 0 and 5" in body
    assert not bid_a.scores.exists()


def test_the_extension_pattern_error_on_the_contract_form(client, world, pots):
    c, _ = f.decided_tender(world)
    sign_in(client, f.officer_of(world))
    data = {
        "pot": pots[2026].pk,
        "annual_value": "30000",
        "total_value": "90000",
        "start_date_0": "1",
        "start_date_1": "10",
        "start_date_2": "2026",
        "initial_term_years": "1",
        "extension_pattern": "1+1+1",
        "break_notice_months": "3",
        "break_clause": "Either party",
        "signed_on_0": "20",
        "signed_on_1": "9",
        "signed_on_2": "2026",
        "schedule_kind": "quarterly_arrears",
    }
    body = client.post(f"/commissioning/{c.pk}/contract/new/", data).content.decode()
    assert "1+1+1 is not allowed" in body
    assert "Extension pattern" not in body


def test_the_review_page_is_honest_without_returns(client, world, pots):
    officer = f.officer_of(world)
    c, _ = f.decided_tender(world)
    contract = f.contract_for(world, c, pots[2026])
    c = commission_services.transition(commission=c, name="start_review", by=officer)
    sign_in(client, officer)
    body = client.get(f"/commissioning/{c.pk}/review/").content.decode()
    # With monitoring installed the new contract's award has returns not yet due: nothing is claimed.
    assert "No quarterly return has been accepted yet." in body
    assert f"/monitoring/awards/{contract.award_id}/" in body
    assert "3+1" in body
    detail = client.get(f"/commissioning/{c.pk}/").content.decode()
    assert "moj-timeline" in detail and "Do → Review" in detail


def test_every_officer_page_renders_for_a_tender(client, world):
    c, tender, bid_a, *_ = f.tender_ready_for_scoring(world)
    sign_in(client, f.officer_of(world))
    for path in [
        "",
        "understand/",
        "plan/",
        "do/",
        "route/",
        "tender/",
        "tender/criteria/",
        "tender/bids/",
        "tender/bids/new/",
        "tender/panel/",
        "tender/results/",
        f"tender/bids/{bid_a.pk}/moderate/",
        "decision/",
        "outcome-measures/",
        "partners/",
        "edit/coverage/",
        "edit/existing-provision/",
        "edit/pin/",
        "edit/value/",
        "needs-assessment/",
        "move/withdraw/",
    ]:
        assert client.get(f"/commissioning/{c.pk}/{path}").status_code == 200, path


@pytest.mark.parametrize("role", [Role.COMMISSIONING_OFFICER, Role.EVALUATOR])
def test_home_panels(client, world, role):
    person = world.users[role]
    sign_in(client, person)
    assert "Tenders you are evaluating" not in client.get("/home/").content.decode()
    f.tender_ready_for_scoring(world, evaluators=[person] if role == Role.EVALUATOR else None)
    body = client.get("/home/").content.decode()
    if role == Role.EVALUATOR:
        assert "Tenders you are evaluating" in body and "BLC-0001" in body
    else:
        assert "Your commissions" in body


__all__ = ["D", "date"]


@pytest.mark.parametrize("name,data,fragment", BAD_UPLOADS)
def test_a_needs_assessment_with_markup_or_a_misleading_name_is_refused(client, world, name, data, fragment):
    c = f.new_commission(world)
    sign_in(client, f.officer_of(world))
    response = client.post(
        f"/commissioning/{c.pk}/needs-assessment/", {"title": "Needs assessment", "file": upload(name, data)}
    )
    assert refused_on_page(response, fragment) and 'href="#id_file"' in response.content.decode()
    assert not documents_for(c).exists()


def test_a_needs_assessment_is_stored_with_the_ending_of_its_type(client, world):
    c = f.new_commission(world)
    sign_in(client, f.officer_of(world))
    page = client.get(f"/commissioning/{c.pk}/needs-assessment/").content.decode()
    assert (
        "PDF, Word (.docx), Excel (.xlsx), OpenDocument (.odt), CSV, PNG or JPEG, smaller than 20MB" in page
    )
    response = client.post(
        f"/commissioning/{c.pk}/needs-assessment/",
        {"title": "Needs assessment", "file": upload("needs assessment", f.PDF)},
    )
    assert response.status_code == 302
    assert documents_for(c, "needs_assessment").get().original_name == "needs assessment.pdf"


def _bid_post(name, data):
    bidder = OrganisationFactory(name="Bidder C")
    return {
        "organisation": bidder.pk,
        "price": "95000",
        "received_on_0": "25",
        "received_on_1": "7",
        "received_on_2": "2026",
        "summary": "",
        "file": upload(name, data),
    }


@pytest.mark.parametrize("name,data,fragment", BAD_UPLOADS)
def test_a_bid_document_with_markup_or_a_misleading_name_is_refused(client, world, name, data, fragment):
    c, tender, *_ = f.tender_ready_for_scoring(world)
    sign_in(client, f.officer_of(world))
    response = client.post(f"/commissioning/{c.pk}/tender/bids/new/", _bid_post(name, data))
    assert refused_on_page(response, fragment) and 'href="#id_file"' in response.content.decode()
    assert tender.bids.count() == 2 and not Document.objects.filter(purpose="bid").exists()


def test_a_bid_document_is_stored_with_the_ending_of_its_type(client, world):
    c, tender, *_ = f.tender_ready_for_scoring(world)
    sign_in(client, f.officer_of(world))
    response = client.post(
        f"/commissioning/{c.pk}/tender/bids/new/", _bid_post("bid.JPEG", b"\xff\xd8\xff\xe0" + b"\x00" * 20)
    )
    assert response.status_code == 302
    bid = tender.bids.get(organisation__name="Bidder C")
    assert documents_for(bid, "bid").get().original_name == "bid.jpeg"


def _move_buttons(body):
    """The stage page's buttons that move the commission on: (href, label, primary?)."""
    return [
        (href, label, "govuk-button--secondary" not in classes)
        for classes, href, label in re.findall(
            r'<a class="(govuk-button[^"]*)" href="([^"]*/move/[^"]*)"[^>]*>([^<]*)</a>', body
        )
    ]


def test_a_stage_step_that_cannot_succeed_is_not_drawn_as_a_button_and_says_what_is_missing(
    client, world, pots
):
    officer = f.officer_of(world)
    c = f.new_commission(world)
    sign_in(client, officer)
    body = client.get(f"/commissioning/{c.pk}/understand/").content.decode()
    assert _move_buttons(body) == []
    assert "The next step is blocked until" in body and "Upload the needs assessment" in body
    c = f.fill_understand(c, officer)
    body = client.get(f"/commissioning/{c.pk}/understand/").content.decode()
    assert _move_buttons(body) == [(f"/commissioning/{c.pk}/move/start_planning/", "Move to Plan", True)]

    c, _ = f.decided_tender(world)
    f.contract_for(world, c, pots[2026])
    c = commission_services.transition(commission=c, name="start_review", by=officer)
    body = client.get(f"/commissioning/{c.pk}/review/").content.decode()
    assert _move_buttons(body) == []  # re-commissioning, de-commissioning and closing all wait for something
    assert "Re-commission is blocked until" in body and "Close is blocked until" in body
    review_services.record_review(
        commission=c, decision="recommission", reasons="The need has changed", by=officer
    )
    body = client.get(f"/commissioning/{c.pk}/review/").content.decode()
    assert _move_buttons(body) == [(f"/commissioning/{c.pk}/move/recommission/", "Re-commission", True)]
