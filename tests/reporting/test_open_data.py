"""The open-data files: valid against the standards' schemas, safe in a spreadsheet, and rate-limited."""

import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from jsonschema import Draft4Validator, Draft202012Validator
from openpyxl import load_workbook
from referencing import Registry
from referencing.jsonschema import DRAFT4, DRAFT202012

from commissioning.models import Route
from commissioning.services import decisions as decision_services
from commissioning.services import procurement as procurement_services
from commissioning.services import single_tender as single_tender_services
from opcc.models import Role
from reporting.opendata import schemas
from tests.commissioning.factories import contract_for, in_do, officer_of
from tests.reporting.transparency_factories import FORMULA, published_world

D = Decimal
SHARED = Path("/work/shared/schemas")
VENDORED = Path(schemas.__file__).resolve().parent / "schemas"


def schema_file(folder: str, name: str) -> dict:
    """The shared copy of the standard where this machine has it, else the copy kept in the app."""
    path = SHARED / folder / name
    return json.loads((path if path.exists() else VENDORED / name).read_text(encoding="utf-8"))


def validate_grants(document):
    package = schema_file("360giving-1.4.3", "360-giving-package-schema.json")
    item = schema_file("360giving-1.4.3", "360-giving-schema.json")
    registry = Registry().with_resource(
        "https://raw.githubusercontent.com/ThreeSixtyGiving/standard/1.4.2/schema/360-giving-schema.json",
        DRAFT202012.create_resource(item),
    )
    errors = list(Draft202012Validator(package, registry=registry).iter_errors(document))
    errors += list(schemas.grants_validator().iter_errors(document))  # and with date-time formats checked
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]


def validate_contracts(document):
    package = schema_file("ocds-1.1.5", "release-package-schema.json")
    release = schema_file("ocds-1.1.5", "release-schema.json")
    registry = Registry().with_resource(
        "https://standard.open-contracting.org/schema/1__1__5/release-schema.json",
        DRAFT4.create_resource(release),
    )
    errors = list(Draft4Validator(package, registry=registry).iter_errors(document))
    errors += list(schemas.contracts_validator().iter_errors(document))
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]


@pytest.fixture
def pub(world, settings):
    settings.CSP_GEOCODES = {world.area.slug: "E22000001"}
    return published_world(world)


def served_json(client, url) -> dict:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    return json.loads(response.content)


def test_the_vendored_schemas_are_the_standards_unchanged():
    for folder in ("360giving-1.4.3", "ocds-1.1.5"):
        if not (SHARED / folder).exists():
            pytest.skip("the shared schemas are not on this machine")
        for path in (SHARED / folder).glob("*.json"):
            assert (VENDORED / path.name).read_bytes() == path.read_bytes(), path.name


def test_grants_are_a_valid_360giving_package_of_only_the_grants_made(client, pub, world, settings):
    document = served_json(client, "/open-data/grants.360giving.json")
    validate_grants(document)
    by_id = {g["id"]: g for g in document["grants"]}
    assert set(by_id) == {f"360G-wmpcc-{pub.grant.reference}", f"360G-wmpcc-{pub.group_grant.reference}"}
    grant = by_id[f"360G-wmpcc-{pub.grant.reference}"]
    assert grant["amountAwarded"] == 12000 and grant["currency"] == "GBP"
    assert grant["recipientOrganization"][0]["id"] == world.organisation.org_id
    assert grant["recipientOrganization"][0]["id"].startswith("GB-CHC-")
    assert grant["fundingOrganization"] == [{"id": settings.FUNDER_ORG_ID, "name": settings.OFFICE_NAME}]
    assert grant["grantProgramme"][0]["title"] == "Commissioner's Grant Scheme"
    assert grant["beneficiaryLocation"][0] == {
        "name": "West Mercia",
        "countryCode": "GB",
        "geoCode": "E23000016",
        "geoCodeType": "PFA",
    }
    assert grant["plannedDates"][0]["startDate"].startswith("2027-01-01")
    assert grant["fromOpenCall"] == "Yes"
    group = by_id[f"360G-wmpcc-{pub.group_grant.reference}"]
    assert group["beneficiaryLocation"][0]["geoCodeType"] == "CSP"
    assert group["beneficiaryLocation"][0]["geoCode"] == "E22000001"
    # An unregistered group: name and town, nothing else about it.
    assert group["recipientOrganization"][0] == {
        "id": pub.group.org_id,
        "name": "Kington Village Watch",
        "addressLocality": "Kington",
        "addressCountry": "United Kingdom",
    }
    assert document["license"].startswith(
        "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3"
    )


def test_the_spreadsheet_has_the_360giving_columns_and_no_live_formulae(client, pub):
    response = client.get("/open-data/grants.360giving.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    for title in (
        "Identifier",
        "Title",
        "Description",
        "Currency",
        "Amount Awarded",
        "Award Date",
        "Recipient Org:Identifier",
        "Recipient Org:Name",
        "Recipient Org:Charity Number",
        "Recipient Org:Company Number",
        "Funding Org:Identifier",
        "Funding Org:Name",
        "Grant Programme:Title",
        "Beneficiary Location:Name",
        "Beneficiary Location:Geographic Code",
        "Beneficiary Location:Geographic Code Type",
        "Planned Dates:Start Date",
        "Planned Dates:End Date",
    ):
        assert title in header, title
    rows = [dict(zip(header, (c.value for c in row), strict=True)) for row in sheet.iter_rows(min_row=2)]
    assert len(rows) == 2
    group = next(r for r in rows if r["Recipient Org:Name"] == "Kington Village Watch")
    assert group["Description"] == "'" + FORMULA  # shown as typed, never run
    assert not any(isinstance(v, str) and v.startswith("=") for r in rows for v in r.values())
    assert group["Amount Awarded"] == 900


def sta_contract(world):
    officer = officer_of(world)
    commission = in_do(world)
    procurement_services.choose_route(
        commission=commission, route=Route.SINGLE_TENDER, reason="Continuity", by=officer
    )
    single_tender_services.save_single_tender(
        commission=commission,
        organisation=world.other_organisation,
        ground="b",
        justification="Continuity of care for current clients",
        value=D("90000"),
        by=officer,
    )
    single_tender_services.sign_single_tender(
        commission=commission, by=world.users[Role.HEAD_OF_COMMISSIONING]
    )
    decision_services.record_decision(
        commission=commission,
        organisation=world.other_organisation,
        value=D("90000"),
        rationale="Continuity",
        by=officer,
    )
    from funding.models import Pot

    return contract_for(world, commission, Pot.objects.get(year__start_year=2026, key="victim-services"))


def test_contracts_are_a_valid_ocds_release_package(client, pub, world, settings):
    sta = sta_contract(world)
    document = served_json(client, "/open-data/contracts.ocds.json")
    validate_contracts(document)
    releases = {r["ocid"]: r for r in document["releases"]}
    tendered = next(
        r
        for r in document["releases"]
        if r.get("awards") and r["awards"][0]["id"] == pub.big_contract.reference
    )
    assert tendered["ocid"].startswith(f"{settings.OCDS_OCID_PREFIX}-")
    assert tendered["tag"] == ["tender", "award", "contract"]
    assert tendered["tender"]["procurementMethod"] == "open"
    assert tendered["tender"]["value"] == {"amount": 150000, "currency": "GBP"}
    assert tendered["buyer"]["id"] == settings.FUNDER_ORG_ID
    assert tendered["awards"][0]["suppliers"][0]["id"] == pub.supplier.org_id
    assert tendered["contracts"][0]["value"]["amount"] == 90000
    assert tendered["contracts"][0]["period"]["startDate"].startswith("2026-10-01")
    single = next(
        r for r in document["releases"] if r.get("awards") and r["awards"][0]["id"] == sta.award.reference
    )
    assert single["tender"]["procurementMethod"] == "limited"
    assert "(b) Continuity of supply" in single["tender"]["procurementMethodRationale"]
    small = next(
        r
        for r in document["releases"]
        if r.get("awards") and r["awards"][0]["id"] == pub.small_contract.reference
    )
    assert small["contracts"][0]["value"]["amount"] == 8000
    open_tender = next(r for r in releases.values() if r["tag"] == ["tender"])
    assert open_tender["tender"]["status"] == "active" and open_tender["tender"]["tenderPeriod"]["endDate"]
    assert "Lucy Evans" not in json.dumps(document)


def test_the_open_data_files_are_rate_limited(client, pub, settings):
    settings.RATE_LIMIT_OPEN_DATA = 3
    for _ in range(3):
        assert client.get("/open-data/grants.360giving.json").status_code == 200
    refused = client.get("/open-data/contracts.ocds.json")
    assert refused.status_code == 429 and refused["Retry-After"] == "60"
    assert client.get("/open-data/grants.360giving.xlsx").status_code == 429
    # The pages themselves are not limited.
    assert client.get("/open-data/").status_code == 200
    assert client.get("/transparency/grants/").status_code == 200


def test_the_open_data_page_explains_the_files_and_the_licence(client, pub):
    page = client.get("/open-data/").content.decode()
    for link in (
        "/open-data/grants.360giving.json",
        "/open-data/grants.360giving.xlsx",
        "/open-data/contracts.ocds.json",
        "open-government-licence/version/3",
    ):
        assert link in page
    assert "Open Government Licence v3.0" in page


def _urls(text: str) -> list[str]:
    import re

    return re.findall(r"https?://[^\s\"'<>]+", text)


def test_every_link_in_the_open_data_files_is_on_the_configured_site(client, pub, settings):
    settings.SITE_URL = "https://commissioning.westmercia-pcc.example"
    grants = client.get("/open-data/grants.360giving.json").content.decode()
    contracts = client.get("/open-data/contracts.ocds.json").content.decode()
    sheet = load_workbook(io.BytesIO(client.get("/open-data/grants.360giving.xlsx").content)).active
    cells = " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value)
    ours = [
        u
        for u in _urls(grants) + _urls(contracts) + _urls(cells)
        if "nationalarchives.gov.uk" not in u
        and "standard.open-contracting.org" not in u
        and "threesixtygiving.org" not in u
        and "evil.example" not in u
    ]  # the standards', and a purpose typed
    assert ours and all(u.startswith(settings.SITE_URL + "/") for u in ours), ours
    assert f"{settings.SITE_URL}/transparency/grants/{pub.grant.reference}/" in cells

    document = json.loads(contracts)
    validate_contracts(document)
    release = next(
        r
        for r in document["releases"]
        if r.get("awards") and r["awards"][0]["id"] == pub.big_contract.reference
    )
    notice = release["awards"][0]["documents"][0]
    assert notice["documentType"] == "awardNotice"
    assert notice["url"] == f"{settings.SITE_URL}/transparency/contracts/{pub.big_contract.reference}/"
    tender = next(r for r in document["releases"] if r["tag"] == ["tender"])
    assert (
        tender["tender"]["documents"][0]["url"]
        == f"{settings.SITE_URL}/transparency/tenders/{pub.tender.pk}/"
    )
