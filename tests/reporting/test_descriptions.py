"""The publication review of award titles and purposes: public only as someone other than the award's creator approved them."""

import importlib
import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from funding.models import Award
from opcc.models import Role
from opcc.testing import verified_client
from reporting.models import PublicDescription
from reporting.selectors.transparency import AWAITING_REVIEW, TITLE_AWAITING_REVIEW
from reporting.services import descriptions
from tests.funding.factories import PotFactory, approved_year, award
from tests.reporting.payments_factories import pay

PURPOSE = "Home security visits for repeat victims of burglary in Leominster"


@pytest.fixture
def grant(world):
    made = award(
        organisation=world.organisation,
        pot=PotFactory(year=approved_year(2026)),
        amount="5000",
        title="Safer homes",
        by=world.users[Role.COMMISSIONING_OFFICER],
    )
    Award.objects.filter(pk=made.pk).update(purpose=PURPOSE)
    return Award.objects.get(pk=made.pk)


def public(client, grant) -> str:
    return client.get(f"/transparency/grants/{grant.reference}/").content.decode()


def test_a_purpose_is_public_only_once_someone_else_approves_it(client, world, grant):
    assert PURPOSE not in public(client, grant) and AWAITING_REVIEW in public(client, grant)
    with pytest.raises(PermissionDenied, match="someone else must approve"):
        descriptions.approve_description(award=grant, by=world.users[Role.COMMISSIONING_OFFICER])
    descriptions.approve_description(award=grant, by=world.users[Role.HEAD_OF_COMMISSIONING])
    assert PURPOSE in public(client, grant)
    files = client.get("/open-data/grants.360giving.json").content.decode()
    assert PURPOSE in files


def test_an_edit_waits_for_its_own_approval(client, world, grant):
    descriptions.approve_description(award=grant, by=world.users[Role.HEAD_OF_COMMISSIONING])
    Award.objects.filter(pk=grant.pk).update(purpose="Edited: names Jane Doe, a victim")
    page = public(client, grant)
    assert PURPOSE in page and "Jane Doe" not in page
    assert "Jane Doe" not in json.dumps(client.get("/open-data/grants.360giving.json").json())
    head = verified_client(world.users[Role.HEAD_OF_COMMISSIONING])
    listing = head.get("/transparency-review/descriptions/").content.decode()
    assert "Jane Doe" in listing and "Approve for publication" in listing


def test_officers_approve_through_the_review_page_but_not_their_own(world, grant, client):
    creator = verified_client(world.users[Role.COMMISSIONING_OFFICER])
    assert "You created this award" in creator.get("/transparency-review/descriptions/").content.decode()
    refused = creator.post(
        f"/transparency-review/descriptions/{grant.pk}/approve/", follow=True
    ).content.decode()
    assert "someone else must approve" in refused
    assert AWAITING_REVIEW in public(client, grant)
    head = verified_client(world.users[Role.HEAD_OF_COMMISSIONING])
    assert head.post(f"/transparency-review/descriptions/{grant.pk}/approve/").status_code == 302
    assert PURPOSE in public(client, grant)


# ---- Titles: approved together with the purpose, public everywhere an award is named -----------------------------

EDITED = "Safer homes for Jane Doe of Leominster"


@pytest.fixture
def contract_award(world):
    made = award(
        organisation=world.organisation,
        pot=PotFactory(year=approved_year(2026), allocated=Decimal("100000")),
        amount="25000",
        kind="contract",
        title="Victim advocacy service",
        by=world.users[Role.COMMISSIONING_OFFICER],
    )
    pay(made, date(2026, 6, 4), amount="900.00")
    return made


def everything_public(client, *awards) -> str:
    """What the public reads of these awards: their pages, the lists, spending items, and both open-data files."""
    parts = [client.get("/transparency/grants/").content.decode()]
    parts += [client.get("/transparency/contracts/").content.decode()]
    for made in awards:
        section = "grants" if made.kind == "grant" else "contracts"
        parts.append(client.get(f"/transparency/{section}/{made.reference}/").content.decode())
    parts.append(client.get("/transparency/spend/").content.decode())
    parts.append(b"".join(client.get("/transparency/spend.csv").streaming_content).decode())
    spend = b"".join(client.get("/transparency/spend.json").streaming_content)
    parts.append(json.dumps(json.loads(spend)))
    parts.append(json.dumps(client.get("/open-data/grants.360giving.json").json()))
    parts.append(json.dumps(client.get("/open-data/contracts.ocds.json").json()))
    return "\n".join(parts)


def test_a_title_is_public_only_once_someone_else_approves_it(client, world, grant, contract_award):
    pay(grant, date(2026, 6, 5), amount="700.00")
    before = everything_public(client, grant, contract_award)
    assert "Safer homes" not in before and "Victim advocacy service" not in before
    assert f"{grant.reference}: {TITLE_AWAITING_REVIEW}" in before
    assert f"{contract_award.reference}: {TITLE_AWAITING_REVIEW}" in before
    with pytest.raises(PermissionDenied, match="someone else must approve"):
        descriptions.approve_description(award=contract_award, by=world.users[Role.COMMISSIONING_OFFICER])
    for made in (grant, contract_award):
        descriptions.approve_description(award=made, by=world.users[Role.HEAD_OF_COMMISSIONING])
    after = everything_public(client, grant, contract_award)
    assert after.count("Safer homes") >= 7 and after.count("Victim advocacy service") >= 7
    assert TITLE_AWAITING_REVIEW not in after


def test_an_edited_title_waits_for_its_own_approval_everywhere(client, world, grant, contract_award):
    pay(grant, date(2026, 6, 5), amount="700.00")
    for made in (grant, contract_award):
        descriptions.approve_description(award=made, by=world.users[Role.HEAD_OF_COMMISSIONING])
    Award.objects.filter(pk=grant.pk).update(title=EDITED)
    Award.objects.filter(pk=contract_award.pk).update(title="Advocacy for J. Doe")
    public_now = everything_public(client, grant, contract_award)
    assert "Jane Doe" not in public_now and "J. Doe" not in public_now
    assert "Safer homes" in public_now and "Victim advocacy service" in public_now
    # Nor does a search by the edit's words find the award.
    assert "Safer homes" not in client.get("/transparency/grants/?q=Jane").content.decode()
    head = verified_client(world.users[Role.HEAD_OF_COMMISSIONING])
    listing = head.get("/transparency-review/descriptions/").content.decode()
    assert EDITED in listing and "Title public now" in listing and "Changed" in listing
    assert head.post(f"/transparency-review/descriptions/{grant.pk}/approve/").status_code == 302
    assert EDITED in everything_public(client, grant)
    assert EDITED not in head.get("/transparency-review/descriptions/").content.decode()


def test_an_award_without_a_purpose_can_still_have_its_title_approved(client, world, grant):
    Award.objects.filter(pk=grant.pk).update(purpose="")
    descriptions.approve_description(award=grant, by=world.users[Role.HEAD_OF_COMMISSIONING])
    page = public(client, grant)
    assert "Safer homes" in page and AWAITING_REVIEW in page


def test_the_demo_and_migrated_awards_are_public_as_they_read(client, world, grant):
    assert descriptions.approve_all_as_they_are() == 1
    assert "Safer homes" in public(client, grant) and PURPOSE in public(client, grant)
    assert PublicDescription.objects.get(award=grant).approved_by is None


def test_the_migration_counts_existing_titles_as_approved(world, grant, contract_award):
    from django.apps import apps

    migration = importlib.import_module("reporting.migrations.0013_public_titles")
    PublicDescription.objects.create(award=grant, title="Old title", text=PURPOSE)
    migration.approve_titles_as_they_are(apps, None)
    assert PublicDescription.objects.get(award=grant).title == "Safer homes"
    assert PublicDescription.objects.get(award=grant).text == PURPOSE
    made = PublicDescription.objects.get(award=contract_award)
    assert (made.title, made.text) == ("Victim advocacy service", "To test")
