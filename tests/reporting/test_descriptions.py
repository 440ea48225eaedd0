"""The publication review of award purposes: public only as someone other than the award's creator approved them."""

import json

import pytest
from django.core.exceptions import PermissionDenied

from funding.models import Award
from opcc.models import Role
from opcc.testing import verified_client
from reporting.selectors.transparency import AWAITING_REVIEW
from reporting.services import descriptions
from tests.funding.factories import PotFactory, approved_year, award

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
