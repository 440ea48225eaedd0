"""The trends page (per area and crime type by month, filters, spend per area, fixed queries) and the Understand panel."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from freezegun import freeze_time

from commissioning.models import Commission
from funding.models import Pot, Stream
from opcc.models import Role
from reporting.crime.trends import add_months
from reporting.models import CrimeMonthlyCount, CrimeRecord
from tests.conftest import sign_in
from tests.funding.factories import PotFactory, approved_year, award
from tests.reporting.factories import victims_pot


@pytest.fixture(autouse=True)
def _today():
    with freeze_time("2026-11-25 10:00:00"):
        yield


def counts(area, month, **by_type):
    for kind, n in by_type.items():
        CrimeMonthlyCount.objects.create(area=area, month=month, crime_type=kind.replace("_", " "), count=n)


def months_of_data(world, months=12, last=date(2026, 9, 1)):
    for i in range(months):
        month = add_months(last, -i)
        counts(world.area, month, Burglary=10 + i, Drugs=3)
        counts(world.other_area, month, Robbery=1)


def test_the_page_shows_each_area_by_type_and_month_with_a_chart_and_an_accessible_table(client, world):
    months_of_data(world)
    sign_in(client, world.users[Role.AUDITOR])
    html = client.get("/dashboard/crime/").content.decode()
    assert html.count("<h1") == 1
    assert "October 2025 to September 2026" in html
    assert 'id="crime-chart-herefordshire"' in html and 'type="application/json"' in html
    assert "Crimes by type and month in Herefordshire" in html and "Crimes by type and month in Shropshire" in html
    # September's burglaries in Herefordshire: 10; the year's: 10 + 11 + ... + 21.
    herefordshire = html.split('id="area-herefordshire"')[1].split('id="area-shropshire"')[0]
    burglary = re.search(r"Burglary</th>(.*?)</tr>", herefordshire, re.S).group(1)
    cells = re.findall(r">(?:<strong>)?(\d+)(?:</strong>)?</td>", burglary)
    assert cells[-2:] == ["10", str(sum(range(10, 22)))]
    assert "js/charts.js" in html and "Import police.uk crime data" not in html  # auditors do not import


def test_filters_narrow_the_areas_types_and_months_and_bad_values_fall_back(client, world):
    months_of_data(world)
    sign_in(client, world.users[Role.FINANCE_OFFICER])
    html = client.get("/dashboard/crime/?area=shropshire&crime_type=Robbery&months=6").content.decode()
    assert 'id="area-herefordshire"' not in html and 'id="area-shropshire"' in html
    assert "April 2026 to September 2026, robbery only" in html
    assert '<option value="shropshire" selected>' in html and '<option value="6" selected>' in html
    html = client.get("/dashboard/crime/?area=nowhere&months=999&crime_type=Jaywalking").content.decode()
    assert 'id="area-herefordshire"' in html and "October 2025 to September 2026" in html
    html = client.get("/dashboard/crime/?months=24").content.decode()
    # Months before the first data imported are not shown as zeros.
    assert "Showing 12 months, October 2025 to September 2026. The data imported starts in October 2025." in html
    html = client.get("/dashboard/crime/?crime_type=Shoplifting").content.decode()
    assert "No crimes recorded in these months of this type" in html


def test_spend_per_area_comes_from_the_areas_pots_and_west_mercia_wide_pots_are_said_not_to_be_split(client, world):
    months_of_data(world, months=2)
    year = approved_year(2026, income="10000000", police="5000000")
    lpcaf = PotFactory(year=year, key="lpcaf-herefordshire", stream=Stream.LPCAF, name="LPCAF Herefordshire",
                       area=world.area, allocated=Decimal("30000"))
    award(organisation=world.organisation, pot=lpcaf, amount="12000")
    award(organisation=world.organisation, pot=victims_pot(), amount="50000")
    sign_in(client, world.users[Role.PCC])
    html = client.get("/dashboard/crime/?year=2026").content.decode()
    herefordshire = html.split('id="area-herefordshire"')[1].split('id="area-shropshire"')[0]
    assert "Committed in 2026 to 2027" in herefordshire and "£12,000" in herefordshire and "LPCAF Herefordshire" in herefordshire
    assert "No pot for this area in 2026 to 2027" in html.split('id="area-shropshire"')[1]
    assert "are not split by area" in html and "£50,000 committed" in html
    assert Pot.objects.count() == 2


def test_no_data_yet_says_so(client, world):
    sign_in(client, world.users[Role.COMMISSIONING_OFFICER])
    html = client.get("/dashboard/crime/").content.decode()
    assert "No crime data has been imported yet" in html and "Import a police.uk file" in html


def test_the_trends_page_runs_the_same_number_of_queries_with_more_data(client, world):
    sign_in(client, world.users[Role.HEAD_OF_COMMISSIONING])
    months_of_data(world, months=2)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/dashboard/crime/?months=36").status_code == 200
    CrimeMonthlyCount.objects.all().delete()
    months_of_data(world, months=36, last=date(2026, 10, 1))
    CrimeRecord.objects.bulk_create([CrimeRecord(month=date(2026, 10, 1), area=world.area, crime_type="Drugs")] * 300)
    year = approved_year(2026, income="10000000", police="5000000")
    for area in (world.area, world.other_area):
        PotFactory(year=year, key=f"csp-{area.slug}", stream=Stream.CSP_GRANTS, name=f"CSP {area}", area=area,
                   allocated=Decimal("100000"))
    with CaptureQueriesContext(connection) as many:
        assert client.get("/dashboard/crime/?months=36").status_code == 200
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def commission(world, areas=(), reference="C-0001"):
    c = Commission.objects.create(reference=reference, title="Burglary victims' support", summary="Support",
                                  stream=Stream.VICTIM_SERVICES, officer=world.users[Role.COMMISSIONING_OFFICER])
    c.areas.set(areas)
    return c


def test_the_understand_stage_shows_the_commissions_areas_last_six_months_against_the_six_before(client, world):
    for i in range(12):
        month = add_months(date(2026, 9, 1), -i)
        counts(world.area, month, Burglary=12 if i < 6 else 10, Drugs=2 if i < 6 else 4, Robbery=1 if i < 6 else 0)
        counts(world.other_area, month, Burglary=100)
    c = commission(world, [world.area])
    sign_in(client, world.users[Role.COMMISSIONING_OFFICER])
    html = client.get(f"/commissioning/{c.pk}/understand/").content.decode()
    assert "Crime trends in Herefordshire" in html
    assert "April 2026 to September 2026" in html and "October 2025 to March 2026" in html
    burglary = re.search(r"Burglary</th>(.*?)</tr>", html, re.S).group(1)
    assert ">72<" in burglary and ">60<" in burglary and "up 20%" in burglary
    assert "down 50%" in re.search(r"Drugs</th>(.*?)</tr>", html, re.S).group(1)
    assert "new" in re.search(r"Robbery</th>(.*?)</tr>", html, re.S).group(1)
    assert 'href="/dashboard/crime/?area=herefordshire"' in html
    # A commission with no areas recorded sees West Mercia-wide figures.
    wide = client.get(f"/commissioning/{commission_wide(world).pk}/understand/").content.decode()
    assert "Crime trends across West Mercia" in wide and ">672<" in re.search(r"Burglary</th>(.*?)</tr>", wide, re.S).group(1)


def commission_wide(world):
    return commission(world, reference="C-0002")


def test_the_understand_panel_runs_a_fixed_number_of_queries_and_says_when_there_is_no_data(client, world):
    c = commission(world, [world.area, world.other_area])
    sign_in(client, world.users[Role.COMMISSIONING_OFFICER])
    html = client.get(f"/commissioning/{c.pk}/understand/").content.decode()
    assert "Crime trends in Herefordshire and Shropshire" in html and "No police.uk crime data has been imported yet" in html
    counts(world.area, date(2026, 9, 1), Burglary=3)
    with CaptureQueriesContext(connection) as few:
        html = client.get(f"/commissioning/{c.pk}/understand/").content.decode()
    assert "in the month held, September 2026" in html and "There is no data for the month before to compare with" in html
    for i in range(24):
        counts(world.area, add_months(date(2026, 8, 1), -i), Drugs=1, Robbery=2)
        counts(world.other_area, add_months(date(2026, 8, 1), -i), Drugs=1)
    with CaptureQueriesContext(connection) as many:
        client.get(f"/commissioning/{c.pk}/understand/")
    assert len(many) == len(few)
