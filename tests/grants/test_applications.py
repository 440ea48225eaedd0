"""A provider's drafts: one per round and organisation, continued rather than started twice; deleted with a
confirmation; documents removed while still a draft; and a confirmation that says what happens next and when."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from grants.models import Application
from grants.services import applications as application_services
from grants.services import assessment as assessment_services
from opcc.models import Document
from tests.conftest import sign_in
from tests.factories import an_objective
from tests.grants.factories import cgs_round, draft, pdf_upload, roles, submitted


def test_starting_again_offers_the_draft_already_started_and_never_makes_a_second(client, world):
    provider, _ = roles(world)
    round_ = cgs_round()
    existing = draft(round_, provider)
    sign_in(client, provider)
    body = client.get(f"/grants/apply/{round_.pk}/").content.decode()
    assert "You have already started an application to this round" in body
    assert f'href="/grants/applications/{existing.pk}/"' in body and "Continue your application" in body
    assert "Start your application</button>" not in body
    response = client.post(f"/grants/apply/{round_.pk}/", {"organisation": world.organisation.pk})
    assert response.status_code == 302 and response["Location"] == f"/grants/applications/{existing.pk}/"
    assert Application.objects.filter(round=round_, organisation=world.organisation).count() == 1


def test_the_service_returns_the_draft_already_started(world):
    provider, _ = roles(world)
    round_ = cgs_round()
    first = application_services.start_application(
        round_=round_, organisation=world.organisation, by=provider
    )
    again = application_services.start_application(
        round_=round_, organisation=world.organisation, by=provider
    )
    assert again.pk == first.pk and Application.objects.count() == 1


def test_an_organisation_that_has_submitted_may_start_another_application(world):
    provider, _ = roles(world)
    round_ = cgs_round()
    sent = submitted(round_, provider)
    second = application_services.start_application(
        round_=round_, organisation=world.organisation, by=provider
    )
    assert second.pk != sent.pk and second.status == Application.Status.DRAFT


def test_a_provider_deletes_a_draft_after_confirming_and_it_is_gone(client, world):
    provider, _ = roles(world)
    application = draft(cgs_round(), provider, title="Safe at home")
    document = Document.objects.get()
    sign_in(client, provider)
    detail = client.get(f"/grants/applications/{application.pk}/").content.decode()
    assert f'href="/grants/applications/{application.pk}/delete/"' in detail
    confirm = client.get(f"/grants/applications/{application.pk}/delete/").content.decode()
    assert "Are you sure you want to delete this draft?" in confirm and "govuk-button--warning" in confirm
    assert Application.objects.filter(pk=application.pk).exists()  # asking is not deleting
    response = client.post(f"/grants/applications/{application.pk}/delete/", follow=True)
    body = response.content.decode()
    assert response.redirect_chain[-1][0] == "/grants/applications/"
    assert f"Your draft application {application.reference}, Safe at home, has been deleted" in body
    assert not Application.objects.filter(pk=application.pk).exists()
    assert not Document.objects.filter(pk=document.pk).exists()
    assert client.get(f"/grants/applications/{application.pk}/").status_code == 404


def test_a_submitted_application_cannot_be_deleted(client, world):
    provider, _ = roles(world)
    application = submitted(cgs_round(), provider)
    sign_in(client, provider)
    assert "/delete/" not in client.get(f"/grants/applications/{application.pk}/").content.decode()
    client.post(f"/grants/applications/{application.pk}/delete/")
    assert Application.objects.filter(pk=application.pk).exists()
    with pytest.raises((PermissionDenied, ValidationError)):
        application_services.delete_draft(application=application, by=provider)


def test_a_deleted_drafts_reference_is_not_given_to_the_next_application(world):
    provider, _ = roles(world)
    round_ = cgs_round()
    first = draft(round_, provider)
    application_services.delete_draft(application=first, by=provider)
    again = application_services.start_application(
        round_=round_, organisation=world.organisation, by=provider
    )
    assert again.reference != first.reference


def test_a_document_is_removed_from_a_draft_but_not_once_it_is_submitted(client, world):
    provider, _ = roles(world)
    application = draft(cgs_round(), provider)
    extra = application_services.add_attachment(
        application=application,
        by=provider,
        uploaded=pdf_upload("letter-of-support.pdf"),
        title="Letter of support",
    )
    sign_in(client, provider)
    page = client.get(f"/grants/applications/{application.pk}/documents/").content.decode()
    assert 'Remove<span class="govuk-visually-hidden"> letter-of-support.pdf</span>' in page
    body = client.post(
        f"/grants/applications/{application.pk}/documents/", {"remove": extra.pk}, follow=True
    ).content.decode()
    assert "letter-of-support.pdf has been removed" in body
    assert not Document.objects.filter(pk=extra.pk).exists()

    application = application_services.submit(
        application=application, by=provider, confirmed=True, name="Lucy", role="Manager"
    )
    kept = Document.objects.get(object_id=application.pk, purpose="attachment")
    client.post(f"/grants/applications/{application.pk}/documents/", {"remove": kept.pk})
    assert Document.objects.filter(pk=kept.pk).exists()
    with pytest.raises((PermissionDenied, ValidationError)):
        application_services.remove_attachment(application=application, by=provider, document_id=kept.pk)


def test_after_submitting_a_confirmation_panel_says_what_happens_next_and_when(client, world):
    provider, _ = roles(world)
    round_ = cgs_round()
    round_.decisions_by = date(2027, 2, 26)
    round_.save()
    application = draft(round_, provider)
    sign_in(client, provider)
    response = client.post(
        f"/grants/applications/{application.pk}/submit/",
        {"confirmed": "on", "name": "Lucy Evans", "role": "Manager"},
        follow=True,
    )
    body = response.content.decode()
    assert response.redirect_chain[-1][0] == f"/grants/applications/{application.pk}/submitted/"
    assert 'class="govuk-panel govuk-panel--confirmation"' in body
    assert "Application submitted" in body and application.reference in body
    assert "What happens next" in body
    assert f"after the round closes at {round_.closes_label}" in body
    assert "Decisions are expected by 26 February 2027" in body


def test_without_a_decision_date_the_confirmation_says_how_the_decision_is_told(client, world):
    provider, _ = roles(world)
    application = submitted(cgs_round(), provider)
    sign_in(client, provider)
    body = client.get(f"/grants/applications/{application.pk}/submitted/").content.decode()
    assert "We will email you when the decision has been made" in body
    assert "Decisions are expected by" not in body


def test_when_more_information_is_asked_for_only_documents_added_since_can_be_removed(world):
    provider, officer = roles(world)
    application = submitted(cgs_round(), provider)
    sent = Document.objects.get(object_id=application.pk, purpose="attachment")
    application = assessment_services.request_information(
        application=application, by=officer, note="Send your safeguarding policy"
    )
    added = application_services.add_attachment(
        application=application, by=provider, uploaded=pdf_upload("policy.pdf"), title="Policy"
    )
    with pytest.raises(ValidationError) as refused:
        application_services.remove_attachment(application=application, by=provider, document_id=sent.pk)
    assert "has been sent to the office" in refused.value.messages[0]
    assert (
        application_services.remove_attachment(application=application, by=provider, document_id=added.pk)
        == "policy.pdf"
    )


def _round_post(pot, **overrides):
    from grants.models import Scheme, SchemeKind

    data = {
        "scheme": Scheme.objects.get(kind=SchemeKind.CGS).pk,
        "name": "CGS 2027",
        "summary": "Projects for victims",
        "eligibility": "Charities",
        "opens_date_0": "1",
        "opens_date_1": "1",
        "opens_date_2": "2027",
        "opens_time": "09:00",
        "closes_date_0": "31",
        "closes_date_1": "1",
        "closes_date_2": "2027",
        "closes_time": "12:00",
        "max_award": "10000",
        "pot": pot.pk,
        "acceptance_days": "28",
        "criterion_0_name": "Quality",
        "criterion_0_kind": "quality",
        "criterion_0_weight": "70",
        "criterion_1_name": "Cost",
        "criterion_1_kind": "cost",
        "criterion_1_weight": "30",
        "decisions_by_0": "15",
        "decisions_by_1": "3",
        "decisions_by_2": "2027",
        "objectives": [an_objective().pk],
    }
    data.update(overrides)
    return data


def test_the_office_says_when_decisions_are_expected_and_it_must_follow_the_closing_date(client, world):
    from grants.models import Round

    provider, officer = roles(world)
    pot = cgs_round().pot
    sign_in(client, officer)
    body = client.post(
        "/grants/rounds/new/", _round_post(pot, decisions_by_0="20", decisions_by_1="1")
    ).content.decode()
    assert "The date decisions are expected by must be after the closing date" in body
    # Shown with the form's own errors, at once.
    body = client.post(
        "/grants/rounds/new/", _round_post(pot, decisions_by_0="20", decisions_by_1="1", name="")
    ).content.decode()
    assert "The date decisions are expected by must be after the closing date" in body and "Enter" in body
    response = client.post("/grants/rounds/new/", _round_post(pot))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Round.objects.get(name="CGS 2027").decisions_by == date(2027, 3, 15)
