"""The publication review of services' titles and descriptions and of grants' reasons: public only as someone other
than their author approved them, on every public page and file that shows them."""

import importlib
import json

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commissioning.models import Commission
from grants.models import Application
from opcc.models import Role, TransitionLog
from opcc.testing import verified_client
from reporting.models import PublicText
from reporting.selectors import public_texts as texts
from reporting.selectors.transparency import TITLE_AWAITING_REVIEW
from reporting.services import public_texts
from reporting.services.public_texts import fingerprint
from tests.funding.factories import PotFactory, approved_year
from tests.grants import factories as grants
from tests.reporting.transparency_factories import open_tender

D = "Counselling for survivors of sexual violence"  # open_tender's description
SCRIPT = '<script>alert("x")</script>'


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.fixture
def tender(world):
    return open_tender(world, title="Sexual violence counselling")


@pytest.fixture
def officer(world):
    return world.users[
        Role.COMMISSIONING_OFFICER
    ]  # the lead officer, who wrote the service and the grant reasons


@pytest.fixture
def head(world):
    return world.users[Role.HEAD_OF_COMMISSIONING]


def approve(source, record, by, **edits):
    live = texts.SOURCES[source].records().get(pk=record.pk)
    fields = texts.SOURCES[source].fields
    return public_texts.approve_texts(
        source=texts.SOURCES[source],
        pk=record.pk,
        texts={f.name: edits.get(f.name, getattr(live, f"live_{f.name}")) for f in fields},
        seen={f.name: fingerprint(getattr(live, f"live_{f.name}")) for f in fields},
        by=by,
    )


# ---- Services: the invitation to tender, its search and the contracts' open data ------------------------------------


def test_a_service_is_public_only_once_someone_else_approves_it(client, tender, officer, head):
    commission = tender.procurement.commission
    awaiting = f"{commission.reference}: {TITLE_AWAITING_REVIEW}"
    listing, detail = (
        page(client, "/transparency/tenders/"),
        page(client, f"/transparency/tenders/{tender.pk}/"),
    )
    ocds = json.dumps(client.get("/open-data/contracts.ocds.json").json())
    for public in (listing, detail, ocds):
        assert "Sexual violence counselling" not in public and awaiting in public
    assert D not in detail and texts.SERVICE_AWAITING in detail and D not in ocds
    assert "Sexual violence" not in page(
        client, "/transparency/tenders/?q=sexual"
    )  # search reads approved text only

    with pytest.raises(PermissionDenied, match="someone else must approve"):
        approve("services", commission, officer)
    approve("services", commission, head)

    listing, detail = (
        page(client, "/transparency/tenders/"),
        page(client, f"/transparency/tenders/{tender.pk}/"),
    )
    ocds = json.dumps(client.get("/open-data/contracts.ocds.json").json())
    for public in (listing, detail, ocds):
        assert "Sexual violence counselling" in public and TITLE_AWAITING_REVIEW not in public
    assert D in detail and D in ocds
    assert "Sexual violence counselling" in page(client, "/transparency/tenders/?q=sexual")


def test_an_edit_waits_for_its_own_approval_and_the_reviewer_may_edit(client, tender, head):
    commission = tender.procurement.commission
    approve("services", commission, head)
    Commission.objects.filter(pk=commission.pk).update(summary="Counselling; ask for Jane Doe at the refuge")
    detail = page(client, f"/transparency/tenders/{tender.pk}/")
    assert D in detail and "Jane Doe" not in detail
    assert "Jane" not in page(client, "/transparency/tenders/?q=jane")
    assert commission in texts.awaiting(texts.SERVICES)

    approve("services", commission, head, summary="Counselling for survivors, at the refuge")
    detail = page(client, f"/transparency/tenders/{tender.pk}/")
    assert "Counselling for survivors, at the refuge" in detail and "Jane Doe" not in detail
    assert commission not in texts.awaiting(texts.SERVICES)  # reviewed, as edited: off the list
    snapshot = PublicText.objects.get(object_id=commission.pk, field="summary")
    assert snapshot.reviewed == "Counselling; ask for Jane Doe at the refuge" and snapshot.approved_by == head


def test_script_in_a_service_is_shown_as_text(client, tender, head):
    commission = tender.procurement.commission
    Commission.objects.filter(pk=commission.pk).update(title=f"Counselling {SCRIPT}", summary=SCRIPT)
    reviewer = verified_client(head)
    assert SCRIPT not in page(reviewer, "/transparency-review/descriptions/")
    assert "&lt;script&gt;" in page(reviewer, f"/transparency-review/texts/services/{commission.pk}/")
    approve("services", commission, head)
    for url in ("/transparency/tenders/", f"/transparency/tenders/{tender.pk}/"):
        public = page(client, url)
        assert SCRIPT not in public and "&lt;script&gt;alert" in public
    assert (
        json.loads(client.get("/open-data/contracts.ocds.json").content)["releases"][0]["tender"][
            "description"
        ]
        == SCRIPT
    )  # JSON carries the text itself; whoever shows it escapes it


def test_the_lead_officer_cannot_approve_through_the_page_and_a_colleague_can(
    client, world, tender, officer, head
):
    commission = tender.procurement.commission
    lead = verified_client(officer)
    listing = page(lead, "/transparency-review/descriptions/")
    assert "Sexual violence counselling" in listing and "You wrote this text or lead this work" in listing
    url = f"/transparency-review/texts/services/{commission.pk}/"
    form = {"title": "Sexual violence counselling", "summary": D, "seen_title": "x", "seen_summary": "x"}
    form.update(seen_title=fingerprint("Sexual violence counselling"), seen_summary=fingerprint(D))
    refused = lead.post(url, form).content.decode()
    assert "someone else must approve" in refused
    assert not PublicText.objects.filter(object_id=commission.pk).exists()

    reviewer = verified_client(head)
    assert "Approve for publication" in page(reviewer, url)
    assert (
        reviewer.post(url, {**form, "summary": ""}).status_code == 200
    )  # nothing to publish: an error, not saved
    assert not PublicText.objects.filter(object_id=commission.pk).exists()
    assert reviewer.post(url, form).status_code == 302
    assert "Sexual violence counselling" in page(client, "/transparency/tenders/")


def test_a_text_edited_after_the_reviewer_read_it_is_not_approved_unread(tender, head):
    commission = tender.procurement.commission
    seen = {"title": fingerprint("Sexual violence counselling"), "summary": fingerprint(D)}
    Commission.objects.filter(pk=commission.pk).update(summary="Changed meanwhile")
    with pytest.raises(ValidationError, match="changed since you opened"):
        public_texts.approve_texts(
            source=texts.SERVICES, pk=commission.pk, texts={"title": "T", "summary": D}, seen=seen, by=head
        )


# ---- A grant's reasons ----------------------------------------------------------------------------------------------


@pytest.fixture
def made_grant(world, officer):
    from reporting.services import descriptions

    provider = world.users[Role.PROVIDER]
    pot = PotFactory(year=approved_year(2026), key="cgs", stream="cgs", allocated="500000")
    application = grants.offered(
        grants.cgs_round(pot=pot), provider, officer, title="Safe at home", amount="12000"
    )
    from grants.services import offers

    accepted = offers.accept_offer(
        application=application, by=provider, name="Lucy", role="Manager", confirmed=True
    )
    descriptions.approve_all_as_they_are()  # its title and purpose are not what this tests
    return accepted


def test_a_grants_reasons_are_public_only_once_someone_other_than_the_decision_maker_approves_them(
    client, made_grant, officer, head
):
    url = f"/transparency/grants/{made_grant.award.reference}/"
    detail = page(client, url)
    assert "Strong bid" not in detail and texts.REASONS_AWAITING in detail
    with pytest.raises(PermissionDenied, match="someone else must approve"):
        approve("grants", made_grant, officer)
    approve("grants", made_grant, head)
    detail = page(client, url)
    assert "Strong bid" in detail and texts.REASONS_AWAITING not in detail


def test_reasons_through_the_review_page_with_script_escaped(client, made_grant, officer, head):
    TransitionLog.objects.filter(
        content_type=ContentType.objects.get_for_model(Application),
        object_id=made_grant.pk,
        transition="approve",
    ).update(note=f"Strong bid {SCRIPT}")
    decider = verified_client(officer)
    assert "You wrote this text" in page(decider, "/transparency-review/descriptions/")
    reviewer = verified_client(head)
    listing = page(reviewer, "/transparency-review/descriptions/")
    assert "Strong bid &lt;script&gt;" in listing and SCRIPT not in listing
    url = f"/transparency-review/texts/grants/{made_grant.pk}/"
    note, conditions = f"Strong bid {SCRIPT}", "Attend the annual providers' forum"
    form = {"reasons": note, "seen_reasons": fingerprint(note), "conditions": conditions}
    assert reviewer.post(url, {**form, "seen_conditions": fingerprint(conditions)}).status_code == 302
    detail = page(client, f"/transparency/grants/{made_grant.award.reference}/")
    assert "Strong bid &lt;script&gt;alert" in detail and SCRIPT not in detail


def test_a_grant_whose_approval_recorded_no_reasons_says_so(client, made_grant, head):
    TransitionLog.objects.filter(object_id=made_grant.pk, transition="approve").update(note="")
    detail = page(client, f"/transparency/grants/{made_grant.award.reference}/")
    assert "not recorded in this system" in detail and texts.REASONS_AWAITING not in detail
    approve("grants", made_grant, head)
    assert made_grant not in texts.awaiting(texts.GRANTS)  # nothing written: nothing to review
    assert not PublicText.objects.filter(object_id=made_grant.pk, field="reasons").exists()


def test_a_grants_own_conditions_wait_for_review_beside_the_schemes(client, made_grant, officer, head):
    url = f"/transparency/grants/{made_grant.award.reference}/"
    detail = page(client, url)
    assert "providers&#x27; forum" not in detail and texts.CONDITIONS_AWAITING in detail
    assert (
        "Spend the grant only on the purpose it was awarded for." in detail
    )  # the scheme's: office settings
    approve("grants", made_grant, head, conditions="Attend the annual providers' forum\nSend photographs")
    detail = page(client, url)
    assert "Attend the annual providers&#x27; forum" in detail and "Send photographs" in detail
    assert texts.CONDITIONS_AWAITING not in detail and "Strong bid" in detail


# ---- Who reaches the review; fixed queries; the texts already public stay public ------------------------------------


@pytest.mark.parametrize("role", [Role.PROVIDER, Role.FINANCE_OFFICER])
def test_only_officers_reach_the_review(world, tender, role):
    other = verified_client(world.users[role])
    commission = tender.procurement.commission
    for url in (
        "/transparency-review/descriptions/",
        f"/transparency-review/texts/services/{commission.pk}/",
    ):
        assert other.get(url).status_code == 403


def test_signed_out_people_are_sent_to_sign_in(client, tender):
    response = client.get(f"/transparency-review/texts/services/{tender.procurement.commission.pk}/")
    assert response.status_code == 302 and "/sign-in/" in response["Location"]
    response = client.post(f"/transparency-review/texts/services/{tender.procurement.commission.pk}/", {})
    assert response.status_code == 302 and not PublicText.objects.exists()


def test_something_not_public_has_no_review_page(world, head):
    from tests.commissioning.factories import new_commission

    unpublished = new_commission(world)
    assert (
        verified_client(head).get(f"/transparency-review/texts/services/{unpublished.pk}/").status_code == 404
    )
    assert verified_client(head).get("/transparency-review/texts/nonsense/1/").status_code == 404


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_tender_list_and_the_review_page_run_a_fixed_number_of_queries(client, world, head):
    open_tender(world, title="First")
    reviewer = verified_client(head)
    few = count(client, "/transparency/tenders/"), count(reviewer, "/transparency-review/descriptions/")
    for n in range(4):
        open_tender(world, title=f"More {n}")
    public_texts.approve_all_as_they_are(texts.SERVICES)
    for n in range(3):
        open_tender(world, title=f"Awaiting {n}")
    assert (
        count(client, "/transparency/tenders/"),
        count(reviewer, "/transparency-review/descriptions/"),
    ) == few
    assert page(client, "/transparency/tenders/").count(TITLE_AWAITING_REVIEW) == 3  # the three added since


def test_the_migration_keeps_what_was_already_public_as_it_was(world, tender, made_grant):
    from django.apps import apps

    migration = importlib.import_module("reporting.migrations.0015_public_texts_as_they_are")
    migration.approve_public_texts_as_they_are(apps, None)
    commission = tender.procurement.commission
    assert texts.public_texts(texts.SERVICES, [commission])[commission.pk] == {
        "title": "Sexual violence counselling",
        "summary": D,
    }
    assert texts.public_record(texts.GRANTS, made_grant.pk) == {
        "reasons": "Strong bid",
        "conditions": "Attend the annual providers' forum",
    }
    assert (
        texts.public_texts(texts.ROUNDS, [made_grant.round])[made_grant.round_id]["name"]
        == made_grant.round.name
    )
    for source in texts.SOURCES.values():
        assert not texts.awaiting(source).exists(), source.key
    kept = PublicText.objects.count()
    assert PublicText.objects.filter(approved_by__isnull=True).count() == kept
    migration.approve_public_texts_as_they_are(apps, None)  # twice changes nothing
    assert PublicText.objects.count() == kept


# ---- Grant rounds: their pages, their search, and the grant pages naming them ---------------------------------------


@pytest.fixture
def open_round(world, officer):
    from django.utils import timezone

    pot = PotFactory(year=approved_year(2026), key="cgs", stream="cgs", allocated="500000")
    found = grants.cgs_round(pot=pot)
    found.name, found.summary = "Safer streets 2026", "Lighting and CCTV for <b>high streets</b>"
    found.opens_at = timezone.now() - timezone.timedelta(days=1)
    found.closes_at = timezone.now() + timezone.timedelta(days=20)
    found._history_user = officer  # written by the officer, as the round form records it
    found.save()
    return found


def test_a_round_is_public_only_once_someone_other_than_its_writer_approves_it(
    client, open_round, officer, head
):
    listing, detail = (
        page(client, "/transparency/grant-rounds/"),
        page(client, f"/transparency/grant-rounds/{open_round.pk}/"),
    )
    for public in (listing, detail):
        assert "Safer streets 2026" not in public and TITLE_AWAITING_REVIEW in public
        assert "high streets" not in public and texts.ROUND_AWAITING in public
    assert "Safer streets" not in page(client, "/transparency/grant-rounds/?q=lighting")
    with pytest.raises(PermissionDenied, match="someone else must approve"):
        approve("rounds", open_round, officer)
    approve("rounds", open_round, head)
    listing, detail = (
        page(client, "/transparency/grant-rounds/"),
        page(client, f"/transparency/grant-rounds/{open_round.pk}/"),
    )
    for public in (listing, detail):
        assert (
            "Safer streets 2026" in public
            and "Lighting and CCTV for &lt;b&gt;high streets&lt;/b&gt;" in public
        )
        assert TITLE_AWAITING_REVIEW not in public and "<b>high" not in public
    assert "Safer streets 2026" in page(client, "/transparency/grant-rounds/?q=lighting")
    assert texts.ROUND_AWAITING not in detail


def test_a_grant_page_names_its_round_as_approved(client, made_grant, head):
    url = f"/transparency/grants/{made_grant.award.reference}/"
    assert TITLE_AWAITING_REVIEW in page(client, url)
    approve("rounds", made_grant.round, head)
    assert made_grant.round.name in page(client, url)


# ---- Criteria: a tender's and a round's ------------------------------------------------------------------------------


def test_a_tenders_criteria_are_public_one_by_one_as_approved(client, tender, officer, head):
    url = f"/transparency/tenders/{tender.pk}/"
    detail = page(client, url)
    assert "Service delivery" not in detail and "trauma-informed" not in detail
    assert detail.count(texts.CRITERION_AWAITING) == 2 and detail.count(texts.GUIDANCE_AWAITING) == 1
    delivery, partnership = tender.criteria.order_by("id")
    with pytest.raises(PermissionDenied, match="someone else must approve"):
        approve("tender-criteria", delivery, officer)
    approve("tender-criteria", delivery, head, guidance=f"A safe service {SCRIPT}")
    detail = page(client, url)
    assert "Service delivery" in detail and "A safe service &lt;script&gt;" in detail and SCRIPT not in detail
    assert (
        detail.count(texts.CRITERION_AWAITING) == 1 and texts.GUIDANCE_AWAITING not in detail
    )  # none written
    assert delivery not in texts.awaiting(texts.TENDER_CRITERIA) and partnership in texts.awaiting(
        texts.TENDER_CRITERIA
    )


def test_a_rounds_criteria_are_public_as_approved(client, open_round, officer, head):
    url = f"/transparency/grant-rounds/{open_round.pk}/"
    names = [c.name for c in open_round.criteria.all()]
    assert names and not any(f"{name}:" in page(client, url) for name in names)
    assert texts.CRITERION_AWAITING in page(client, url)
    reviewer = verified_client(head)
    listing = page(reviewer, "/transparency-review/descriptions/")
    assert "Grant round criteria" in listing and names[0] in listing
    for criterion in open_round.criteria.all():
        with pytest.raises(PermissionDenied):
            approve("round-criteria", criterion, officer)  # the round's writer
        approve("round-criteria", criterion, head)
    detail = page(client, url)
    assert all(f"{name}:" in detail for name in names) and texts.CRITERION_AWAITING not in detail
