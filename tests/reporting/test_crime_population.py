"""Importing ONS's mid-year population estimates: the files the office downloads (the workbook's MYE2 - Persons sheet,
the detailed MYEB1 table, either saved as CSV), a year imported again, and wrong files refused with every reason and
nothing saved."""

import html as html_lib
import io
import re

import pytest
from django.db import IntegrityError
from openpyxl import Workbook

from opcc.models import Document, Role
from reporting.crime import population
from reporting.models import LocalAuthorityPopulation, PopulationImport
from tests.conftest import sign_in
from tests.uploads import upload

HEADER = "Code,Name,Geography,All ages"
HEREFORDSHIRE = 'E06000019,"Herefordshire, County of",Unitary Authority,189900'
SHROPSHIRE = "E06000051,Shropshire,Unitary Authority,329558"


def mye2(*rows, title="Mid-2023 population estimates for local authorities in England and Wales,,,") -> bytes:
    return "\n".join([title, HEADER, *rows]).encode()


def saved() -> dict:
    return dict(LocalAuthorityPopulation.objects.values_list("code", "population"))


def nothing_saved() -> bool:
    return not (
        PopulationImport.objects.exists()
        or LocalAuthorityPopulation.objects.exists()
        or Document.objects.filter(purpose="population_import").exists()
    )


def post(client, data: bytes, name="mye23tablesuk.csv", year="2023", content_type="text/csv"):
    return client.post(
        "/dashboard/crime/population/", {"year": year, "file": upload(name, data, content_type)}
    )


def errors(response) -> list[str]:
    html = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in html, html[:300]
    summary = html.split("govuk-error-summary__list", 1)[1].split("</ul>", 1)[0]
    return [
        " ".join(html_lib.unescape(re.sub(r"<[^>]+>", "", item)).split())
        for item in re.findall(r"<li>(.*?)</li>", summary, re.S)
    ]


def test_the_sample_places_each_authority_in_its_area_and_leaves_the_rest_out(world):
    record = population.import_path(population.SAMPLE, year=population.SAMPLE_YEAR)
    # The test world has two of West Mercia's areas; the other seven authorities and Worcestershire's county row
    # are counted, not stored.
    assert saved() == {"E06000019": 189900, "E06000051": 329558}
    assert (record.year, record.authorities, record.total, record.outside) == (2023, 2, 189900 + 329558, 8)
    rows = {r.code: r for r in LocalAuthorityPopulation.objects.select_related("area")}
    assert (rows["E06000019"].name, rows["E06000019"].area) == ("Herefordshire", world.area)
    assert rows["E06000051"].area == world.other_area and rows["E06000051"].source == record
    assert record.document is None  # read from disk: nothing to keep


def test_an_officer_uploads_the_estimates_and_the_page_lists_them_with_the_file(client, world):
    sign_in(client, world.users[Role.COMMISSIONING_OFFICER])
    page = client.get("/dashboard/crime/population/").content.decode()
    assert (
        "No population estimates have been imported yet" in page
        and "Upload the ONS mid-year population" in page
    )
    response = post(client, population.SAMPLE.read_bytes(), name=population.SAMPLE.name)
    assert response.status_code == 302 and response["Location"] == "/dashboard/crime/population/"
    assert saved() == {"E06000019": 189900, "E06000051": 329558}
    record = PopulationImport.objects.get()
    assert (
        record.by == world.users[Role.COMMISSIONING_OFFICER]
        and record.document.purpose == "population_import"
    )
    page = html_lib.unescape(client.get("/dashboard/crime/population/").content.decode())
    assert (
        "The mid-2023 population estimates are imported: 519,458 residents in West Mercia's 2 local authorities"
        in page
    )
    assert (
        "Residents in mid-2023" in page
        and "329,558" in page
        and f"/documents/{record.document.uuid}/" in page
    )
    assert client.get(f"/documents/{record.document.uuid}/").status_code == 200
    sign_in(client, world.users[Role.AUDITOR])  # the trends are the auditor's to read, the import page is not
    assert client.get(f"/documents/{record.document.uuid}/").status_code == 404


def test_importing_a_year_again_replaces_it_and_leaves_other_years_alone(world):
    population.import_path(population.SAMPLE, year=2023)
    population.import_estimates(
        data=mye2(
            HEREFORDSHIRE.replace("189900", "180000"), SHROPSHIRE, title="Mid-2022 population estimates,,,"
        ),
        name="mid-2022.csv",
        year=2022,
    )
    population.import_estimates(
        data=mye2(HEREFORDSHIRE.replace("189900", "190100"), SHROPSHIRE),
        name="again.csv",
        year=2023,
        keep_file=False,
    )
    by_year = {
        (y, c): n for y, c, n in LocalAuthorityPopulation.objects.values_list("year", "code", "population")
    }
    assert by_year == {
        (2022, "E06000019"): 180000,
        (2022, "E06000051"): 329558,
        (2023, "E06000019"): 190100,
        (2023, "E06000051"): 329558,
    }
    assert PopulationImport.objects.count() == 3


def test_the_detailed_table_by_sex_and_age_is_added_up_for_the_year_chosen(world):
    title = "Annual mid-year population estimates for local authorities in England and Wales, by sex and single year of age"
    rows = [f'"{title}",,,,,,', "ladcode23,laname23,country,sex,age,population_2022,population_2023"]
    expected = {"E06000019": 0, "E06000051": 0}
    for code, name in (
        ("E06000019", "Herefordshire, County of"),
        ("E06000051", "Shropshire"),
        ("E08000025", "Birmingham"),
    ):
        for sex in (1, 2):
            for age in range(91):
                figure = 1000 + age + sex * 7
                rows.append(f'{code},"{name}",E,{sex},{age},{figure - 5},"{figure:,}"')
                expected[code] = expected.get(code, 0) + figure
    record = population.import_estimates(
        data="\n".join(rows).encode(), name="myeb1.csv", year=2023, keep_file=False
    )
    assert saved() == {"E06000019": expected["E06000019"], "E06000051": expected["E06000051"]}
    assert record.outside == 1  # Birmingham
    with pytest.raises(population.NotAPopulationFileError) as refused:
        population.import_estimates(data="\n".join(rows).encode(), name="myeb1.csv", year=2024)
    assert refused.value.problems == [
        "The file has no population column for mid-2024: it holds mid-2022 to mid-2023"
    ]


def test_the_ons_workbook_is_read_from_its_mye2_persons_sheet(world):
    book = Workbook()
    book.active.title = "Cover sheet"
    book.active.append(
        ["Population estimates for the UK, England, Wales, Scotland and Northern Ireland: mid-2023"]
    )
    sheet = book.create_sheet("MYE2 - Persons")
    sheet.append(
        ["MYE2: Population estimates: Persons by single year of age, local authorities in the UK, mid-2023"]
    )
    sheet.append(["This worksheet contains one table."])
    sheet.append(["Code", "Name", "Geography", "All ages", 0, 1])
    sheet.append(["K02000001", "UNITED KINGDOM", "Country", 68265209, 660000, 670000])
    sheet.append(["E06000019", "Herefordshire, County of", "Unitary Authority", 189900, 1500, 1600])
    sheet.append(["E06000051", "Shropshire", "Unitary Authority", 329558.0, 2900, 3000])
    book.create_sheet("MYE2 - Males").append(["Code", "Name", "Geography", "All ages"])
    buffer = io.BytesIO()
    book.save(buffer)
    record = population.import_estimates(data=buffer.getvalue(), name="mye23tablesuk.xlsx", year=2023)
    assert saved() == {"E06000019": 189900, "E06000051": 329558} and record.outside == 1
    assert record.document.extension == "xlsx"


WRONG_FILES = [
    (
        "not ONS at all",
        b"Name,Amount\nHousing,100\n",
        [
            "The file is not the ONS mid-year population estimates: no column of ONS area codes (headed Code or ladcode23, "
            "for example) was found in the first 30 rows"
        ],
    ),
    (
        "a missing column",
        b"Code,Name,Geography\nE06000019,Herefordshire,Unitary Authority\n",
        ["The file has no \u201cAll ages\u201d column (the total population of each area)"],
    ),
    (
        "an unknown code",
        mye2("X0600001,Herefordshire,Unitary Authority,189900", HEREFORDSHIRE, SHROPSHIRE),
        ["Row 3: \u201cX0600001\u201d is not an ONS area code (such as E06000019)"],
    ),
    (
        "not a number",
        mye2(HEREFORDSHIRE.replace("189900", "about 190k"), SHROPSHIRE),
        [
            "Row 3: the \u201cAll ages\u201d figure for Herefordshire, County of is \u201cabout 190k\u201d, not a whole number"
        ],
    ),
    (
        "a missing authority",
        mye2(HEREFORDSHIRE),
        ["The file has no mid-2023 figure for Shropshire (E06000051)"],
    ),
    (
        "a code named as another place",
        mye2(HEREFORDSHIRE, "E06000051,Birmingham,Metropolitan District,1150000"),
        ["Row 4: E06000051 is Shropshire, but the file names it \u201cBirmingham\u201d"],
    ),
    (
        "another year's file",
        mye2(HEREFORDSHIRE, SHROPSHIRE, title="Mid-2022 population estimates,,,"),
        [
            "The file says it holds mid-2022 estimates, not mid-2023: choose 2022 as the year, or upload the mid-2023 file"
        ],
    ),
    (
        "every problem at once",
        mye2(HEREFORDSHIRE.replace("189900", "-5"), "Wales,W92000004,Country,3131640", HEREFORDSHIRE),
        [
            "Row 3: the \u201cAll ages\u201d figure for Herefordshire, County of is \u201c-5\u201d, not a whole number",
            "Row 4: \u201cWales\u201d is not an ONS area code (such as E06000019)",
            "Row 5: Herefordshire (E06000019) appears again (first on row 3)",
            "The file has no mid-2023 figure for Shropshire (E06000051)",
        ],
    ),
]


@pytest.mark.parametrize(("case", "data", "problems"), WRONG_FILES, ids=[c for c, _, _ in WRONG_FILES])
def test_a_wrong_file_is_refused_with_every_reason_and_nothing_is_saved(client, world, case, data, problems):
    sign_in(client, world.users[Role.FINANCE_OFFICER])
    assert errors(post(client, data)) == problems
    assert nothing_saved()
    with pytest.raises(population.NotAPopulationFileError) as refused:  # the service refuses it the same way
        population.import_estimates(data=data, name="upload.csv", year=2023)
    assert refused.value.problems == problems
    assert nothing_saved()


def test_the_documents_service_refuses_what_is_not_a_spreadsheet_and_the_year_is_required(client, world):
    sign_in(client, world.users[Role.HEAD_OF_COMMISSIONING])
    page = b"Code,Name\n<html><body><script>fetch('/admin/')</script></body></html>\n"
    assert errors(post(client, page)) == [
        "The selected file must be an Excel or CSV file: its contents are an HTML web page, which cannot be uploaded"
    ]
    assert errors(post(client, b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", name="mye.pdf")) == [
        "The selected file must be an Excel or CSV file: its contents are a PDF"
    ]
    assert errors(post(client, mye2(HEREFORDSHIRE, SHROPSHIRE), year="")) == [
        "Enter the year of the estimates, for example 2023"
    ]
    assert errors(post(client, mye2(HEREFORDSHIRE, SHROPSHIRE), year="23a")) == [
        "The year must be a number, like 2023"
    ]
    assert nothing_saved()


def test_an_area_listing_an_authority_without_a_known_code_stops_the_import(world):
    world.area.local_authorities = ["Herefordshire", "Nowhere Vale"]
    world.area.save()
    with pytest.raises(population.NotAPopulationFileError) as refused:
        population.import_path(population.SAMPLE, year=2023)
    assert refused.value.problems == [
        "Herefordshire's local authority \u201cNowhere Vale\u201d has no ONS code known to "
        "this system, so its population cannot be found"
    ]
    assert nothing_saved()


def test_a_failure_while_saving_leaves_nothing_half_saved(world, monkeypatch):
    population.import_path(population.SAMPLE, year=2023)
    before = saved()

    def broken(*args, **kwargs):
        raise IntegrityError("the database went away")

    monkeypatch.setattr(LocalAuthorityPopulation.objects, "bulk_create", broken)
    with pytest.raises(IntegrityError):
        population.import_estimates(
            data=mye2(HEREFORDSHIRE.replace("189900", "1"), SHROPSHIRE), name="x.csv", year=2023
        )
    # The year's old figures are still there, whole, and the failed import left no record or document.
    assert saved() == before and PopulationImport.objects.count() == 1
    assert not Document.objects.filter(purpose="population_import").exists()
