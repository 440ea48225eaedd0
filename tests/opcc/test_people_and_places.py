import pytest
from django.core.exceptions import ValidationError

from opcc.models import Organisation, OrganisationType, Role
from tests.conftest import sign_in
from tests.factories import OrganisationFactory


@pytest.mark.parametrize(
    "charity,company,expected",
    [
        ("1234567", "", "GB-CHC-1234567"),
        ("1234567", "01234567", "GB-CHC-1234567"),
        ("", "01234567", "GB-COH-01234567"),
        ("SC012345", "", "GB-SC-SC012345"),
        ("NIC100123", "", "GB-NIC-100123"),
    ],
)
def test_org_id_is_derived_from_the_registered_numbers(db, charity, company, expected):
    assert OrganisationFactory(charity_number=charity, company_number=company).org_id == expected


def test_an_unregistered_group_gets_an_internal_identifier(db, settings):
    org = OrganisationFactory(org_type=OrganisationType.UNREGISTERED, charity_number="")
    assert org.org_id == f"360G-{settings.GRANT_ID_PREFIX}-org-{org.pk}"


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("charity_number", "12AB", "Enter a charity number in the correct format"),
        ("company_number", "123", "Enter a company number in the correct format"),
        ("postcode", "NOT A CODE", "Enter a real postcode"),
    ],
)
def test_registered_numbers_and_postcodes_are_validated(db, field, value, message):
    org = Organisation(
        name="X",
        org_type=OrganisationType.COMPANY,
        company_number="01234567",
        address_line_1="1 Road",
        town="Town",
        postcode="WR1 2HG",
    )
    setattr(org, field, value)
    with pytest.raises(ValidationError) as error:
        org.full_clean()
    assert message in str(error.value)


def test_a_charity_needs_its_number(db):
    org = Organisation(
        name="X",
        org_type=OrganisationType.REGISTERED_CHARITY,
        address_line_1="1",
        town="T",
        postcode="WR1 2HG",
    )
    with pytest.raises(ValidationError) as error:
        org.full_clean()
    assert "Enter the charity number" in str(error.value)


def test_an_officer_adds_an_organisation_and_bad_input_loses_nothing(client, world):
    sign_in(client, world.users[Role.COMMISSIONING_OFFICER])
    data = {
        "name": "New Hope Trust",
        "org_type": "registered_charity",
        "charity_number": "12",
        "address_line_1": "2 Foregate Street",
        "town": "Worcester",
        "postcode": "wr11dl",
    }
    response = client.post("/organisations/new/", data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in body and "Enter a charity number in the correct format" in body
    assert 'value="New Hope Trust"' in body and 'value="2 Foregate Street"' in body
    assert not Organisation.objects.filter(name="New Hope Trust").exists()
    data["charity_number"] = "1187654"
    response = client.post("/organisations/new/", data)
    org = Organisation.objects.get(name="New Hope Trust")
    assert response.status_code == 302
    assert org.postcode == "WR1 1DL" and org.org_id == "GB-CHC-1187654"
    assert org.history.count() == 1  # the change is audited


def test_a_provider_sees_only_its_own_organisation(client, world):
    sign_in(client, world.users[Role.PROVIDER])
    assert client.get(f"/organisations/{world.organisation.pk}/").status_code == 200
    assert client.get(f"/organisations/{world.other_organisation.pk}/").status_code == 404
    assert client.get("/organisations/").status_code == 403


def test_an_ambassador_sees_only_their_own_area(client, world):
    sign_in(client, world.users[Role.COMMUNITY_AMBASSADOR])
    listing = client.get("/areas/").content.decode()
    assert "Herefordshire" in listing and "Shropshire" not in listing
    assert client.get("/areas/herefordshire/").status_code == 200
    assert client.get("/areas/shropshire/").status_code == 404


def test_the_organisation_search_filters_by_name_and_area(client, world):
    sign_in(client, world.users[Role.AUDITOR])
    body = client.get("/organisations/?q=marches").content.decode()
    assert "Marches Support" in body and "Shropshire Help" not in body
    body = client.get("/organisations/?area=shropshire").content.decode()
    assert "Shropshire Help" in body and "Marches Support" not in body
