"""The conflicts assessment (Procurement Act 2023 ss.81–83): who it covers, when it needs revising, and the notices
it holds back."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from commissioning import conflicts as reads
from commissioning import gates
from commissioning.models import ConflictDeclaration, NoticeKind
from commissioning.notice_content import CHECKS
from commissioning.services import conflicts as conflict_services
from commissioning.services import evaluation as evaluation_services
from commissioning.services.notices import ensure_notice
from opcc.models import Role
from opcc.testing import verified_client
from tests.commissioning import act_factories as act
from tests.commissioning import factories as f


def _tender_notice(procurement, kind=NoticeKind.TENDER):
    notice = ensure_notice(
        kind=kind, key=f"procurement:{procurement.pk}", triggered_on=date(2026, 7, 1), procurement=procurement
    )
    return [problem for check in CHECKS[kind] for problem in check(notice)]


def test_the_tender_notice_waits_for_the_assessment_and_names_what_is_missing(world):
    c, procurement, _bids = act.regulated_tender(world)
    assert _tender_notice(procurement) == ["Prepare the conflicts assessment"]
    assert reads.conflicts_assessment_confirmation(procurement) is None

    act.prepared(world, c)
    assert _tender_notice(procurement) == []
    for kind in (NoticeKind.TRANSPARENCY, NoticeKind.CONTRACT_AWARD, NoticeKind.CONTRACT_DETAILS):
        assert _tender_notice(procurement, kind) == []
    today = timezone.localdate()
    assert reads.conflicts_assessment_confirmation(procurement) == (
        f"A conflicts assessment was prepared on {today:%-d %B %Y} and is up to date"
    )


def test_adding_a_panel_member_makes_the_assessment_need_revising_until_it_is_confirmed_again(world):
    c, procurement, _bids = act.regulated_tender(world)
    act.prepared(world, c)
    newcomer = f.evaluator(email="sarah.okafor@example.org")
    newcomer.full_name = "Dr Sarah Okafor"
    newcomer.save()

    evaluation_services.add_panel_member(commission=c, user=newcomer, by=f.officer_of(world))

    today = timezone.localdate()
    missing = [f"Revise the conflicts assessment: Dr Sarah Okafor joined the panel on {today:%-d %B %Y}"]
    assert _tender_notice(procurement) == missing
    assert reads.conflicts_assessment_confirmation(procurement) is None
    assert "Revise the conflicts assessment" in " ".join(gates.decision_gaps(c))

    assessment = conflict_services.confirm(commission=c, by=f.officer_of(world))
    assert assessment.revision == 2
    assert _tender_notice(procurement) == []
    assert assessment.revisions.first().changes == [missing[0].split(": ", 1)[1]]
    assert "revised 1 time" in reads.conflicts_assessment_confirmation(procurement)


def test_a_panel_member_declaring_a_conflict_makes_it_need_revising_and_shows_the_mitigation(world):
    person = f.evaluator()
    c, procurement, (bid_a, bid_b) = act.regulated_tender(world, evaluators=[person])
    act.prepared(world, c)
    tender = procurement.tender

    evaluation_services.declare(
        tender=tender,
        user=person,
        answers={bid_a.pk: True, bid_b.pk: False},
        details={bid_a.pk: "Trustee of Bidder A"},
    )

    assert _tender_notice(procurement)[0].startswith(
        f"Revise the conflicts assessment: {person.full_name} declared a conflict with Bidder A"
    )
    row = next(p for p in reads.people(procurement, reads.assessment_of(procurement)) if p.user == person)
    assert row.interest is True
    assert "Does not see or score the bid from Bidder A" in row.mitigation


def test_no_conflict_declared_by_the_panel_leaves_the_assessment_confirmed(world):
    person = f.evaluator()
    c, procurement, (bid_a, bid_b) = act.regulated_tender(world, evaluators=[person])
    act.prepared(world, c)
    evaluation_services.declare(
        tender=procurement.tender, user=person, answers={bid_a.pk: False, bid_b.pk: False}, details={}
    )
    assert _tender_notice(procurement) == []


def test_a_declared_interest_needs_its_details_and_mitigation(world):
    c, procurement, _bids = act.regulated_tender(world)
    head = world.users[Role.HEAD_OF_COMMISSIONING]
    with pytest.raises(ValidationError) as refused:
        conflict_services.declare(commission=c, user=head, interest=True, by=f.officer_of(world))
    assert set(refused.value.message_dict) == {"details", "mitigation", "mitigation_reasons"}
    assert not ConflictDeclaration.objects.exists()

    declaration = conflict_services.declare(
        commission=c,
        user=head,
        interest=True,
        details="Her sister chairs Bidder B",
        mitigation=ConflictDeclaration.Mitigation.REMOVED,
        mitigation_reasons="Takes no part in the evaluation or the award decision",
        by=f.officer_of(world),
    )
    # The database holds the rule too.
    with pytest.raises(IntegrityError), transaction.atomic():
        ConflictDeclaration.objects.filter(pk=declaration.pk).update(mitigation_reasons="")


def test_the_assessment_cannot_be_confirmed_until_every_decision_maker_has_declared(world):
    c, procurement, _bids = act.regulated_tender(world)
    conflict_services.declare(commission=c, user=f.officer_of(world), interest=False, by=f.officer_of(world))
    with pytest.raises(ValidationError) as refused:
        conflict_services.confirm(commission=c, by=f.officer_of(world))
    assert any("must declare whether they have an interest" in m for m in refused.value.messages)
    assert _tender_notice(procurement) == ["Prepare the conflicts assessment"]


def test_the_pcc_records_only_their_own_declaration(world):
    c, _procurement, _bids = act.regulated_tender(world)
    pcc = world.users[Role.PCC]
    with pytest.raises(PermissionDenied):
        conflict_services.declare(commission=c, user=f.officer_of(world), interest=False, by=pcc)
    assert conflict_services.declare(commission=c, user=pcc, interest=False, by=pcc).user == pcc


def test_the_do_task_list_links_the_assessment_and_its_page_lists_everyone(client, world):
    person = f.evaluator()
    c, _procurement, _bids = act.regulated_tender(world, evaluators=[person])
    tasks = {t.name: t for t in gates.do_tasks(c)}
    assert tasks["Conflicts assessment"].url == reverse("commissioning:conflicts", args=[c.pk])
    assert not tasks["Conflicts assessment"].done

    officer = f.officer_of(world)
    page = verified_client(officer, client).get(reverse("commissioning:conflicts", args=[c.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    for user in (officer, world.users[Role.HEAD_OF_COMMISSIONING], world.users[Role.PCC], person):
        assert user.full_name in body
    assert "Not prepared" in body


def test_the_declaration_form_shows_every_error_at_once_and_saves_nothing(client, world):
    c, _procurement, _bids = act.regulated_tender(world)
    head = world.users[Role.HEAD_OF_COMMISSIONING]
    url = reverse("commissioning:conflicts-declare", args=[c.pk, head.pk])
    page = verified_client(f.officer_of(world), client).post(url, {"interest": "yes"})
    body = page.content.decode()
    assert "govuk-error-summary" in body
    assert "Enter the interest they declared" in body and "Select how the conflict is mitigated" in body
    assert not ConflictDeclaration.objects.exists()


def test_a_procurement_below_the_threshold_has_no_assessment_task(world):
    c, *_ = f.tender_ready_for_scoring(world)
    assert "Conflicts assessment" not in {t.name for t in gates.do_tasks(c)}
