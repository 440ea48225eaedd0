"""The trends page (the areas side by side: crime types, totals, crimes per 1,000 residents, spend committed and paid;
West Mercia-wide spend on its own; filters; fixed queries) and the Understand panel."""

import html as html_lib
import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from freezegun import freeze_time

from commissioning.models import Commission, Contract, Procurement, Route
from funding.ledger import pots_with_figures
from funding.models import AwardYear, Payment, Pot, Stream
from funding.services import awards as award_services
from grants.models import Application
from opcc.calendar import month_start
from opcc.models import Role
from reporting.crime import population
from reporting.models import CrimeMonthlyCount, CrimeRecord
from reporting.selectors.crime import spend_by_area, split
from tests.conftest import sign_in
from tests.factories import AreaFactory
from tests.funding.factories import PotFactory, approved_year, award
from tests.grants.factories import cgs_round
from tests.reporting.factories import victims_pot

D = Decimal
SAMPLE_PEOPLE = {"Herefordshire": 189900, "Shropshire": 329558}  # the sample file's mid-2023 figures


@pytest.fixture(autouse=True)
def _today():
    with freeze_time("2026-11-25 10:00:00"):
        yield


def counts(area, month, **by_type):
    for kind, n in by_type.items():
        CrimeMonthlyCount.objects.create(area=area, month=month, crime_type=kind.replace("_", " "), count=n)


def months_of_data(world, months=12, last=date(2026, 9, 1)):
    for i in range(months):
        month = month_start(last, -i)
        counts(world.area, month, Burglary=10 + i, Drugs=3)
        counts(world.other_area, month, Robbery=1, Drugs=2)


def page(client, query=""):
    response = client.get(f"/dashboard/crime/{query}")
    assert response.status_code == 200
    return response.content.decode()


def table(html, caption_start):
    """The table whose caption starts with the words given, as {row heading: [cell texts]}, and its column heads."""
    found = re.search(
        r"<table[^>]*>\s*<caption[^>]*>\s*" + re.escape(caption_start) + r".*?</table>", html, re.S
    )
    assert found, caption_start
    text = found.group(0)

    def clean(cell):
        return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", cell)).split())

    heads = [clean(h) for h in re.findall(r'<th scope="col"[^>]*>(.*?)</th>', text, re.S)]
    rows = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", text, re.S):
        heading = re.search(r'<th scope="row"[^>]*>(.*?)</th>', row, re.S)
        if heading:
            rows[clean(heading.group(1))] = [clean(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    return heads, rows


def rate(crimes, people):
    return str((D(crimes) * 1000 / D(people)).quantize(D("0.1"), rounding=ROUND_HALF_UP))


def pounds(amount):
    return f"£{D(amount).quantize(D('1'), rounding=ROUND_HALF_UP):,}"


def test_the_areas_stand_side_by_side_by_crime_type_with_totals_and_rates_per_1000_residents(client, world):
    months_of_data(world)
    population.import_path(population.SAMPLE, year=2023)
    sign_in(client, world.users[Role.AUDITOR])
    html = page(client)
    assert html.count("<h1") == 1 and "October 2025 to September 2026" in html
    heads, rows = table(html, "Crimes, residents and spend by local policing area")
    assert heads == ["Figure", "Herefordshire", "Shropshire", "All areas"]
    # Independent sums of what the test stored: Herefordshire's burglaries are 10 + 11 + ... + 21 over the year.
    burglary = sum(10 + i for i in range(12))
    here_total, there_total = burglary + 3 * 12, (1 + 2) * 12
    assert rows["Burglary"] == [str(burglary), "0", str(burglary)]
    assert rows["Drugs"] == ["36", "24", "60"]
    assert rows["Robbery"] == ["0", "12", "12"]
    assert rows["All crime"] == [str(here_total), str(there_total), str(here_total + there_total)]
    people = SAMPLE_PEOPLE["Herefordshire"], SAMPLE_PEOPLE["Shropshire"]
    assert rows["Residents (mid-2023)"] == ["189,900", "329,558", f"{sum(people):,}"]
    # The rate for all the areas is their crimes over their residents, never an average of the areas' rates.
    assert rows["Crimes per 1,000 residents"] == [
        rate(here_total, people[0]),
        rate(there_total, people[1]),
        rate(here_total + there_total, sum(people)),
    ]
    assert "mid-2023 estimates" in html
    assert 'id="crime-chart-areas"' in html and 'id="crime-chart-months"' in html and "js/charts.js" in html
    assert 'class="moj-scrollable-pane" role="region" aria-label="Crimes, residents and spend' in html
    _, by_month = table(html, "Crimes by month in each area")
    assert by_month["September 2026"] == [str(10 + 3), "3", str(10 + 3 + 3)]
    assert "Import police.uk crime data" not in html  # auditors do not import


def test_without_population_estimates_the_page_says_so_and_shows_no_rate(client, world):
    months_of_data(world, months=2)
    sign_in(client, world.users[Role.COMMISSIONING_OFFICER])
    html = page(client)
    assert "No population estimates have been imported, so crimes per 1,000 residents cannot be shown" in html
    assert 'href="/dashboard/crime/population/"' in html
    _, rows = table(html, "Crimes, residents and spend")
    assert rows["Residents"] == ["Not imported"] * 3
    assert rows["Crimes per 1,000 residents"] == ["No rate"] * 3


def estimates(tmp_path, year, herefordshire):
    """The sample file as another year's, with another figure for Herefordshire."""
    path = tmp_path / f"mid-{year}.csv"
    path.write_text(
        population.SAMPLE.read_text().replace("Mid-2023", f"Mid-{year}").replace("189900", str(herefordshire))
    )
    return population.import_path(path, year=year)


def test_the_rate_uses_the_latest_estimates_imported_for_the_months_shown(client, world, tmp_path):
    months_of_data(world, months=3)
    population.import_path(population.SAMPLE, year=2023)
    estimates(tmp_path, 2025, 200000)
    estimates(tmp_path, 2027, 250000)
    sign_in(client, world.users[Role.PCC])
    html = page(client)  # months in 2026: mid-2025 is the latest not after them
    _, rows = table(html, "Crimes, residents and spend")
    here = sum(10 + i for i in range(3)) + 9
    assert rows["Residents (mid-2025)"][0] == "200,000"
    assert rows["Crimes per 1,000 residents"][0] == rate(here, 200000)
    assert "mid-2025 estimates (the latest imported for these months)" in html


def test_an_area_without_population_has_no_rate_and_no_total_rate_is_made_up(client, world):
    months_of_data(world, months=2)
    population.import_path(population.SAMPLE, year=2023)
    AreaFactory(
        name="Telford and Wrekin", slug="telford-and-wrekin", local_authorities=["Telford and Wrekin"]
    )
    counts(world.area.__class__.objects.get(slug="telford-and-wrekin"), date(2026, 9, 1), Drugs=5)
    sign_in(client, world.users[Role.PCC])
    html = page(client)
    heads, rows = table(html, "Crimes, residents and spend")
    assert heads[1:] == ["Herefordshire", "Shropshire", "Telford and Wrekin", "All areas"]
    assert rows["Crimes per 1,000 residents"][2:] == ["No rate", "No rate"]
    assert "There is no mid-2023 population for Telford and Wrekin, so no rate is shown there" in html


def test_filters_narrow_the_areas_types_and_months_and_bad_values_fall_back(client, world):
    months_of_data(world)
    sign_in(client, world.users[Role.FINANCE_OFFICER])
    html = page(client, "?area=shropshire&crime_type=Robbery&months=6")
    heads, rows = table(html, "Crimes, residents and spend")
    assert heads == ["Figure", "Shropshire"] and rows["Robbery"] == ["6"] and rows["All robbery"] == ["6"]
    assert "April 2026 to September 2026, robbery only" in html
    assert '<option value="shropshire" selected>' in html and '<option value="6" selected>' in html
    html = page(client, "?area=nowhere&months=999&crime_type=Jaywalking")
    assert table(html, "Crimes, residents and spend")[0][1:] == ["Herefordshire", "Shropshire", "All areas"]
    assert "October 2025 to September 2026" in html
    # Months before the first data imported are not shown as zeros.
    html = page(client, "?months=24")
    assert (
        "Showing 12 months, October 2025 to September 2026. The data imported starts in October 2025." in html
    )
    html = page(client, "?crime_type=Shoplifting")
    assert table(html, "Crimes, residents and spend")[1]["All shoplifting"] == ["0", "0", "0"]


def test_no_data_yet_says_so(client, world):
    sign_in(client, world.users[Role.COMMISSIONING_OFFICER])
    html = page(client)
    assert "No crime data has been imported yet" in html and "Import a police.uk file" in html
    _, rows = table(html, "Crimes, residents and spend")
    assert "Crimes per 1,000 residents" not in rows and rows["Committed in 2026 to 2027"] == ["£0"] * 3


def served_by(award, areas, *, reference, officer, coverage="pilot"):
    """The award's contract, let for a commission serving these areas (none: West Mercia wide)."""
    c = Commission.objects.create(
        reference=reference,
        title=award.title,
        summary="A service",
        stream=award.pot.stream,
        officer=officer,
        coverage=coverage,
    )
    c.areas.set(areas)
    procurement = Procurement.objects.create(
        commission=c, cycle=1, route=Route.TENDER, required_route=Route.TENDER, value=award.amount
    )
    Contract.objects.create(
        procurement=procurement,
        award=award,
        organisation=award.organisation,
        annual_value=award.amount,
        total_value=award.amount,
        start_date=award.start_date,
        initial_term_years=1,
        extension_pattern="1+1",
        break_notice_months=3,
        signed_on=award.start_date,
    )
    return award


def applied_for(award, area, round_, reference):
    """The grant application the award came from, for a project in this area."""
    Application.objects.create(
        round=round_,
        organisation=award.organisation,
        reference=reference,
        title=award.title,
        area=area,
        award=award,
        status=Application.Status.ACCEPTED,
    )
    return award


class Spending:
    """A year's awards of every kind: in one area (by pot, grant application or commission), shared between two,
    serving every area, and with no area at all."""

    def __init__(self, world, *, extra=0):
        officer = world.users[Role.COMMISSIONING_OFFICER]
        org = world.organisation
        self.telford = AreaFactory(
            name="Telford and Wrekin", slug="telford-and-wrekin", local_authorities=["Telford and Wrekin"]
        )
        here, there, telford = world.area, world.other_area, self.telford
        victims = victims_pot()
        year = victims.year
        lpcaf = PotFactory(
            year=year,
            key="lpcaf-herefordshire",
            stream=Stream.LPCAF,
            name="LPCAF Herefordshire",
            area=here,
            allocated=D("30000"),
        )
        csp = PotFactory(
            year=year,
            key="csp-shropshire",
            stream=Stream.CSP_GRANTS,
            name="Shropshire CSP",
            csp=world.other_csp,
            allocated=D("60000"),
        )  # its area through the partnership
        cgs = PotFactory(
            year=year, key="cgs", stream=Stream.CGS, name="Commissioner's Grant Scheme", allocated=D("100000")
        )
        round_ = cgs_round(pot=cgs)
        self.lpcaf = award(organisation=org, pot=lpcaf, amount="12000")
        self.csp = award(organisation=org, pot=csp, amount="50000")
        self.shared = served_by(
            award(
                organisation=org,
                pot=victims,
                amount="30000.01",
                kind="contract",
                title="Domestic abuse outreach",
            ),
            [here, there],
            reference="C-1",
            officer=officer,
        )
        self.telford_idva = served_by(
            award(organisation=org, pot=victims, amount="20000", kind="contract", title="IDVA in Telford"),
            [telford],
            reference="C-2",
            officer=officer,
        )
        self.advice_line = award(
            organisation=org, pot=victims, amount="100000", kind="contract", title="Advice line"
        )
        self.everywhere = served_by(
            award(organisation=org, pot=victims, amount="40000", kind="contract", title="Stalking advocacy"),
            [here, there, telford],
            reference="C-3",
            officer=officer,
        )
        self.wide_commission = served_by(
            award(
                organisation=org, pot=victims, amount="10000", kind="contract", title="Restorative justice"
            ),
            [],
            reference="C-4",
            officer=officer,
            coverage="west_mercia",
        )
        self.cgs_grant = applied_for(award(organisation=org, pot=cgs, amount="25000"), there, round_, "G-1")
        self.cgs_wide = award(organisation=org, pot=cgs, amount="5000")
        # Last year's money is not this year's.
        award(
            organisation=org,
            pot=PotFactory(
                year=approved_year(2025),
                key="lpcaf-herefordshire",
                stream=Stream.LPCAF,
                area=here,
                allocated=D("9000"),
            ),
            amount="9000",
        )
        for i in range(extra):  # more of every kind, for the query count
            served_by(
                award(organisation=org, pot=victims, amount="100", kind="contract", title=f"Extra {i}"),
                [here, telford],
                reference=f"C-X{i}",
                officer=officer,
            )
            applied_for(award(organisation=org, pot=cgs, amount="100"), here, round_, f"G-X{i}")
            award(organisation=org, pot=lpcaf, amount="10")
        for paid, amount in ((self.lpcaf, "1000"), (self.shared, "5000"), (self.advice_line, "7000")):
            award_services.record_payment(
                award=paid,
                amount=D(amount),
                paid_on=date(2026, 5, 1),
                invoice_received_on=date(2026, 4, 20),
                by=None,
            )


def test_spend_counts_every_award_with_an_area_whatever_its_stream_and_west_mercia_wide_on_its_own(
    client, world
):
    s = Spending(world)
    areas = [world.area, world.other_area, s.telford]
    spend = spend_by_area(2026, areas)
    # Independent sums: the shared award's £30,000.01 is split £15,000.01 and £15,000.00; its £5,000 paid in halves.
    expected = {
        world.area.pk: (D("12000") + D("15000.01"), D("1000") + D("2500")),
        world.other_area.pk: (D("50000") + D("15000.00") + D("25000"), D("2500")),
        s.telford.pk: (D("20000"), D("0")),
    }
    assert {pk: (a.committed, a.paid) for pk, a in spend.by_area.items()} == expected
    wide = D("100000") + D("40000") + D("10000") + D("5000")
    assert (spend.wide.committed, spend.wide.paid) == (wide, D("7000"))
    assert spend.wide.awards == {s.advice_line.pk, s.everywhere.pk, s.wide_commission.pk, s.cgs_wide.pk}
    assert spend.in_areas.shared == {s.shared.pk}
    # Nothing is counted twice: the areas and West Mercia-wide add up to every award's money in the year, which is
    # also what the year's pots hold.
    year_total = AwardYear.objects.filter(pot__year__start_year=2026).aggregate(t=Sum("amount"))["t"]
    paid_total = Payment.objects.filter(award_year__pot__year__start_year=2026).aggregate(t=Sum("amount"))[
        "t"
    ]
    assert (
        spend.total.committed
        == year_total
        == sum(p.committed for p in pots_with_figures(Pot.objects.filter(year__start_year=2026)))
    )
    assert spend.total.paid == paid_total == D("13000")
    assert sum(a.committed for a in spend.by_area.values()) == spend.in_areas.committed

    sign_in(client, world.users[Role.PCC])
    html = page(client, "?year=2026")
    heads, rows = table(html, "Crimes, residents and spend")
    assert heads[1:] == ["Herefordshire", "Shropshire", "Telford and Wrekin", "All areas"]
    in_areas = sum(c for c, _ in expected.values())
    assert rows["Committed in 2026 to 2027"] == [pounds(c) for c, _ in expected.values()] + [pounds(in_areas)]
    assert rows["Paid in 2026 to 2027"] == [pounds(p) for _, p in expected.values()] + [pounds(D("6000"))]
    # The shared award is in both its areas' counts but once in the total.
    assert rows["Awards"] == ["2 1 shared", "3 1 shared", "1", "5 1 shared"]
    _, money = table(html, "Committed and paid in 2026 to 2027")
    assert money["In one or more of the areas"] == ["5", pounds(in_areas), pounds(D("6000"))]
    assert money["West Mercia-wide"] == ["4", pounds(wide), pounds(D("7000"))]
    assert money["All awards"] == ["9", pounds(year_total), pounds(paid_total)]
    assert "An award serving more than one area is split equally between them (1 award this year)" in html
    assert Pot.objects.count() == 5


def test_an_amount_splits_to_the_penny_and_the_shares_add_up():
    assert split(D("30000.01"), 2) == [D("15000.01"), D("15000.00")]
    assert split(D("0.05"), 3) == [D("0.02"), D("0.02"), D("0.01")]
    assert sum(split(D("1234.57"), 4)) == D("1234.57")


def test_the_trends_page_runs_the_same_number_of_queries_with_more_data(client, world, tmp_path):
    sign_in(client, world.users[Role.HEAD_OF_COMMISSIONING])
    months_of_data(world, months=2)
    with CaptureQueriesContext(connection) as few:
        page(client, "?months=36&year=2026")
    CrimeMonthlyCount.objects.all().delete()
    months_of_data(world, months=36, last=date(2026, 10, 1))
    CrimeRecord.objects.bulk_create(
        [CrimeRecord(month=date(2026, 10, 1), area=world.area, crime_type="Drugs")] * 300
    )
    population.import_path(population.SAMPLE, year=2023)
    estimates(tmp_path, 2024, 190500)
    Spending(world, extra=5)
    with CaptureQueriesContext(connection) as many:
        page(client, "?months=36&year=2026")
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def commission(world, areas=(), reference="C-0001"):
    c = Commission.objects.create(
        reference=reference,
        title="Burglary victims' support",
        summary="Support",
        stream=Stream.VICTIM_SERVICES,
        officer=world.users[Role.COMMISSIONING_OFFICER],
    )
    c.areas.set(areas)
    return c


def test_the_understand_stage_shows_the_commissions_areas_last_six_months_against_the_six_before(
    client, world
):
    for i in range(12):
        month = month_start(date(2026, 9, 1), -i)
        counts(
            world.area,
            month,
            Burglary=12 if i < 6 else 10,
            Drugs=2 if i < 6 else 4,
            Robbery=1 if i < 6 else 0,
        )
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
    assert "Crime trends across West Mercia" in wide and ">672<" in re.search(
        r"Burglary</th>(.*?)</tr>", wide, re.S
    ).group(1)


def commission_wide(world):
    return commission(world, reference="C-0002")


def test_the_understand_panel_runs_a_fixed_number_of_queries_and_says_when_there_is_no_data(client, world):
    c = commission(world, [world.area, world.other_area])
    sign_in(client, world.users[Role.COMMISSIONING_OFFICER])
    html = client.get(f"/commissioning/{c.pk}/understand/").content.decode()
    assert (
        "Crime trends in Herefordshire and Shropshire" in html
        and "No police.uk crime data has been imported yet" in html
    )
    counts(world.area, date(2026, 9, 1), Burglary=3)
    with CaptureQueriesContext(connection) as few:
        html = client.get(f"/commissioning/{c.pk}/understand/").content.decode()
    assert (
        "in the month held, September 2026" in html
        and "There is no data for the month before to compare with" in html
    )
    for i in range(24):
        counts(world.area, month_start(date(2026, 8, 1), -i), Drugs=1, Robbery=2)
        counts(world.other_area, month_start(date(2026, 8, 1), -i), Drugs=1)
    with CaptureQueriesContext(connection) as many:
        client.get(f"/commissioning/{c.pk}/understand/")
    assert len(many) == len(few)
