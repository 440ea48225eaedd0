"""Supplier exclusions (Procurement Act 2023 ss.57–59, s.62): the debarment list import, each supplier's check,
the Procurement Review Unit's 30 days, and the award refused to an excluded or debarred supplier."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from commissioning import exclusions, gates
from commissioning.models import DebarmentEntry, DebarmentList, Route, SupplierCheck
from commissioning.services import decisions as decision_services
from commissioning.services import exclusions as exclusion_services
from commissioning.services import procurement as procurement_services
from commissioning.services import single_tender as single_tender_services
from opcc.models import Role
from opcc.testing import verified_client
from tests.commissioning import act_factories as act
from tests.commissioning import factories as f

D = Decimal
DEBARRED = "Bidder B Ltd,01234567,GB-PPON-PBZB-4962-TVLR,mandatory,Schedule 6: fraud,2026-01-05,2031-01-04\n"


def test_a_good_list_is_imported_with_its_date_and_kept_as_a_version(world):
    version = act.import_list(
        world, DEBARRED + "Shady Supplies,,,discretionary,Schedule 7: poor performance,05/02/2026,\n"
    )
    assert DebarmentList.objects.count() == 1
    assert version.entries.count() == 2
    entry = version.entries.get(supplier_name="Shady Supplies")
    assert entry.kind == "discretionary" and entry.ends_on is None and entry.entered_on.month == 2
    assert version.document is not None and version.document.original_name == "debarment.csv"
    later = act.import_list(world, DEBARRED, list_date=timezone.localdate())
    assert exclusions.latest_list() == later
    assert DebarmentList.objects.count() == 2


def test_a_pdf_renamed_csv_is_refused_by_its_content_and_nothing_is_stored(world):
    disguised = SimpleUploadedFile("debarment.csv", b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF\n")
    with pytest.raises(ValidationError) as refused:
        exclusion_services.import_list(
            uploaded=disguised, list_date=timezone.localdate(), by=world.users[Role.HEAD_OF_COMMISSIONING]
        )
    assert "PDF" in " ".join(refused.value.message_dict["file"])
    assert not DebarmentList.objects.exists()


def test_a_malformed_row_is_named_with_its_line_and_nothing_is_imported(world):
    rows = (
        DEBARRED
        + "No Date Ltd,,,mandatory,Schedule 6: bribery,3rd May,\nBad Kind,,,sometimes,Grounds,2026-01-01,\n"
    )
    with pytest.raises(ValidationError) as refused:
        act.import_list(world, rows)
    messages = refused.value.message_dict["file"]
    assert messages[0].startswith("Nothing was imported")
    assert any(m.startswith("Line 3:") and "'3rd May'" in m for m in messages)
    assert any(m.startswith("Line 4:") and "mandatory or discretionary" in m for m in messages)
    assert not DebarmentEntry.objects.exists()


def test_the_upload_page_shows_every_error_at_once(client, world):
    page = verified_client(world.users[Role.COMMISSIONING_OFFICER], client).post(
        reverse("commissioning:debarment-list"), {}
    )
    body = page.content.decode()
    assert "govuk-error-summary" in body
    assert "Enter the date of the list" in body and "Select the debarment list file" in body


def test_a_supplier_on_the_list_is_flagged_and_cannot_be_recorded_as_not_excluded(world):
    c, procurement, (_a, bid_b) = act.regulated_tender(world)
    act.import_list(world, DEBARRED)
    rows = {r.organisation.name: r for r in exclusions.rows(procurement)}
    assert rows["Bidder B"].entry is not None  # matched by name, without its company suffix
    assert rows["Bidder A"].entry is None
    with pytest.raises(ValidationError) as refused:
        act.clean_check(world, c, bid_b.organisation)
    assert "must be excluded" in refused.value.message_dict["outcome"][0]
    assert not SupplierCheck.objects.exists()


def _ready_for_award(world):
    person = f.evaluator()
    c, procurement, bids = act.regulated_tender(world, evaluators=[person])
    act.prepared(world, c)
    act.evaluated(world, c, person)
    return c, procurement, bids


def test_a_debarred_supplier_is_never_awarded(world):
    c, procurement, (bid_a, bid_b) = _ready_for_award(world)
    act.import_list(world, DEBARRED)
    act.clean_check(world, c, bid_a.organisation)
    excluded_on = timezone.localdate()
    act.clean_check(
        world,
        c,
        bid_b.organisation,
        outcome="excluded",
        exclusion_grounds="Schedule 6: fraud (on the debarment list)",
        exclusion_reasons="On the debarment list on a mandatory ground",
        excluded_on=excluded_on,
    )
    assert gates.decision_gaps(c) == []
    with pytest.raises(ValidationError) as refused:
        decision_services.record_decision(
            commission=c,
            organisation=bid_b.organisation,
            value=D("240000"),
            rationale="Best",
            by=world.users[Role.HEAD_OF_COMMISSIONING],
        )
    assert "on the debarment list" in refused.value.message_dict["organisation"][0]
    assert "cannot be awarded" in refused.value.message_dict["organisation"][0]
    assert not hasattr(procurement, "decision") or procurement.decision is None

    decision = decision_services.record_decision(
        commission=c,
        organisation=bid_a.organisation,
        value=D("250000"),
        rationale="Best",
        by=world.users[Role.HEAD_OF_COMMISSIONING],
    )
    assert decision.organisation == bid_a.organisation


def test_a_debarred_single_tender_supplier_is_blocked_below_the_threshold_too(world):
    officer = f.officer_of(world)
    c = f.in_do(world, estimated_annual_value=D("20000"), estimated_total_value=D("40000"))
    procurement_services.choose_route(commission=c, route=Route.SINGLE_TENDER, reason="Only one", by=officer)
    world.other_organisation.name = "Bidder B Ltd"
    world.other_organisation.save()
    single_tender_services.save_single_tender(
        commission=c,
        organisation=world.other_organisation,
        ground="a",
        value=D("40000"),
        justification="Only one",
        by=officer,
    )
    single_tender_services.sign_single_tender(commission=c, by=world.users[Role.HEAD_OF_COMMISSIONING])
    assert gates.decision_gaps(c) == []
    act.import_list(world, DEBARRED)
    gaps = gates.decision_gaps(c)
    assert len(gaps) == 1 and "Bidder B Ltd is on the debarment list" in gaps[0]
    with pytest.raises(ValidationError):
        decision_services.record_decision(
            commission=c, organisation=world.other_organisation, value=D("40000"), rationale="x", by=officer
        )


def test_an_incomplete_check_blocks_the_award_of_a_covered_procurement_saying_what_is_missing(world):
    c, _procurement, (bid_a, _b) = _ready_for_award(world)
    act.import_list(world, "Someone Else,,,mandatory,Schedule 6: fraud,2026-01-01,\n")
    act.clean_check(world, c, bid_a.organisation, outcome="", cdp_identifier="")
    gaps = gates.decision_gaps(c)
    assert any(g.startswith("Check every supplier against the debarment list") for g in gaps)
    problems = {r.organisation.name: r.problems for r in exclusions.rows(c.procurements.get())}
    assert problems["Bidder A"] == [
        "Record the supplier's central digital platform identifier",
        "Record whether the supplier is excluded",
    ]
    refusal = exclusions.award_refusal(c.procurements.get(), bid_a.organisation)
    assert refusal[0].startswith("Complete the exclusion check of Bidder A: record the supplier's central")


def test_a_new_list_version_asks_for_each_check_again(world):
    c, procurement, (bid_a, _b) = act.regulated_tender(world)
    act.import_list(
        world,
        "Someone Else,,,mandatory,Schedule 6: fraud,2026-01-01,\n",
        list_date=timezone.localdate() - timedelta(days=5),
    )
    act.clean_check(world, c, bid_a.organisation)
    assert (
        next(r for r in exclusions.rows(procurement) if r.organisation == bid_a.organisation).problems == []
    )
    newer = act.import_list(world, "Someone Else,,,mandatory,Schedule 6: fraud,2026-01-01,\n")
    problems = next(r for r in exclusions.rows(procurement) if r.organisation == bid_a.organisation).problems
    assert problems == [f"Check the supplier again against the debarment list of {newer.list_date:%-d %B %Y}"]


def test_the_procurement_review_unit_is_due_on_the_30th_day_counting_the_exclusion_day(world):
    c, procurement, (bid_a, _b) = act.regulated_tender(world)
    act.import_list(world, "Someone Else,,,mandatory,Schedule 6: fraud,2026-01-01,\n")
    excluded_on = timezone.localdate() - timedelta(days=29)
    check = act.clean_check(
        world,
        c,
        bid_a.organisation,
        outcome="excluded",
        exclusion_grounds="Schedule 7: poor performance",
        exclusion_reasons="Two terminated contracts in 2025",
        excluded_on=excluded_on,
    )
    assert check.pru_due_by == excluded_on + timedelta(days=29) == timezone.localdate()
    row = next(r for r in exclusions.rows(procurement) if r.organisation == bid_a.organisation)
    assert not row.pru_overdue  # the 30th day is today
    SupplierCheck.objects.filter(pk=check.pk).update(excluded_on=excluded_on - timedelta(days=1))
    row = next(r for r in exclusions.rows(procurement) if r.organisation == bid_a.organisation)
    assert row.pru_overdue
    with pytest.raises(ValidationError):
        exclusion_services.record_pru_notice(
            check=check, notified_on=excluded_on - timedelta(days=5), by=f.officer_of(world)
        )
    told = exclusion_services.record_pru_notice(
        check=check, notified_on=timezone.localdate(), by=f.officer_of(world)
    )
    assert told.pru_notified_on == timezone.localdate()


def test_the_check_form_names_a_bad_identifier_and_saves_nothing(client, world):
    c, _procurement, (bid_a, _b) = act.regulated_tender(world)
    act.import_list(world, "Someone Else,,,mandatory,Schedule 6: fraud,2026-01-01,\n")
    url = reverse("commissioning:supplier-check", args=[c.pk, bid_a.organisation_id])
    page = verified_client(f.officer_of(world), client).post(
        url, {"cdp_identifier": "PPON-123", "outcome": "excluded", "mandatory_considered": "on"}
    )
    body = page.content.decode()
    assert "govuk-error-summary" in body
    assert "like GB-PPON-ABCD-1234-EFGH" in body
    assert "Enter what you considered on the mandatory grounds" in body
    assert not SupplierCheck.objects.exists()


def test_the_checks_list_takes_the_same_queries_for_two_suppliers_as_for_six(
    client, world, django_assert_max_num_queries
):
    act.import_list(world, DEBARRED)
    officer = verified_client(f.officer_of(world), client)
    small, _p, bids = act.regulated_tender(world)
    act.clean_check(world, small, bids[0].organisation)
    with django_assert_max_num_queries(40) as few:
        assert officer.get(reverse("commissioning:supplier-checks", args=[small.pk])).status_code == 200
    names = [f"Supplier {n}" for n in range(6)]
    large, _p, bids = act.regulated_tender(world, bidders=names)
    for bid in bids[:3]:
        act.clean_check(world, large, bid.organisation)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = officer.get(reverse("commissioning:supplier-checks", args=[large.pk]))
    assert page.status_code == 200
    assert "Supplier 5" in page.content.decode()


def test_the_award_waits_for_the_published_tender_notice(world):
    c, _procurement, _bids = act.regulated_tender(world)
    act.prepared(world, c)
    waiting = (
        "Publish the tender notice on Find a Tender and record its identifier: the tender is advertised by it"
    )
    assert waiting in gates.decision_gaps(c)
    act.publish_tender_notices(world, c)
    assert waiting not in gates.decision_gaps(c)
    task = next(t for t in gates.do_tasks(c) if t.name == "Tender notice")
    assert task.done and task.hint.startswith("Published as ")
