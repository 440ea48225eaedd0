"""What the money achieves (/dashboard/outcomes/): every figure equals a sum, walked in Python here, over the awards,
payments and returns this test writes; a rate is total achieved over total asked; only accepted returns count; the
filters (area, priority, quarter) narrow every figure and an unknown value is ignored; every figure links to a list
that adds up to it; the downloads hold the page's figures; and the page runs the same queries whatever the volume."""

import csv
import io
import re
from datetime import date
from decimal import Decimal
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from freezegun import freeze_time
from openpyxl import load_workbook

from funding.models import Award, AwardYear, Payment, PaymentScheduleKind, Stream
from funding.services import awards as award_services
from opcc.models import Role
from reporting.models import (
    Measure,
    OutcomeAggregate,
    OutcomeIndicator,
    QuarterlyReturn,
    ReturnAnswer,
    ReturnStatus,
)
from reporting.selectors import achievements as sel
from reporting.services import returns as return_services
from reporting.services.returns import RateAnswer
from tests.conftest import sign_in
from tests.factories import AreaFactory, ObjectiveFactory, PlanFactory, PriorityFactory
from tests.funding.factories import PotFactory
from tests.reporting.factories import accepted, content, monitored_award, submitted, the_return, victims_pot
from tests.reporting.test_crime_trends import page as crime_page
from tests.reporting.test_crime_trends import served_by
from tests.reporting.test_crime_trends import table as crime_table
from tests.shared_data import built_once_per_module

D = Decimal
PEOPLE, COPE = "people-supported", "better-able-to-cope-and-recover"


@pytest.fixture(autouse=True)
def _today():
    with freeze_time("2026-11-25 12:00:00"):
        yield


class Data:
    pass


def build(world):
    """Three awards in 2026/27 and one in 2025/26:
    A (West Mercia wide victims' pot, priority 1): Q1 and Q2 accepted, paid £10,000;
    B (Herefordshire's CSP's pot, priorities 1 and 2): Q1 accepted, Q2 submitted but not accepted, paid £5,000;
    C (Shropshire's LPCAF pot, linked only to an objective of an old plan): Q1 accepted, Q2 open and overdue;
    Old (2025/26, priority 1): Q4 2025/26 accepted."""
    d = Data()
    provider, other = world.users[Role.PROVIDER], world.other_provider
    officer, finance = world.users[Role.COMMISSIONING_OFFICER], world.users[Role.FINANCE_OFFICER]
    d.p1, d.o1 = world.priority, world.objective
    d.o2 = ObjectiveFactory(
        title="Make the roads safer",
        priority=PriorityFactory(plan=world.plan, title="Building a more secure West Mercia"),
    )
    d.p2 = d.o2.priority
    old_plan = PlanFactory(
        title="The last plan", is_current=False, period_start=date(2017, 4, 1), period_end=date(2021, 3, 31)
    )
    d.o_old = ObjectiveFactory(title="An objective of the last plan", priority=PriorityFactory(plan=old_plan))
    wide = victims_pot()
    hereford = PotFactory(
        year=wide.year,
        stream=Stream.VICTIM_SERVICES,
        key="victims-hereford",
        csp=world.csp,
        name="Herefordshire victims",
        allocated=D("100000"),
    )
    shropshire = PotFactory(
        year=wide.year,
        stream=Stream.LPCAF,
        key="lpcaf-shropshire",
        area=world.other_area,
        name="Shropshire LPCAF",
        allocated=D("50000"),
    )
    advance = PaymentScheduleKind.IN_ADVANCE
    d.a = monitored_award(
        world.organisation, pot=wide, amount="40000", title="Outreach", objectives=[d.o1], schedule=advance
    )
    d.b = monitored_award(
        world.other_organisation,
        pot=hereford,
        amount="20000",
        title="Helpline",
        objectives=[d.o1, d.o2],
        schedule=advance,
    )
    d.c = monitored_award(
        world.other_organisation,
        pot=shropshire,
        amount="5000",
        title="Speed watch",
        objectives=[d.o_old],
        schedule=advance,
    )
    d.old = monitored_award(
        world.organisation,
        pot=victims_pot(2025),
        amount="30000",
        title="Outreach 2025",
        objectives=[d.o1],
        schedule=advance,
    )
    award_services.record_payment(
        award=d.a,
        amount=D("10000"),
        paid_on=date(2026, 5, 1),
        invoice_received_on=date(2026, 5, 1),
        by=finance,
    )
    award_services.record_payment(
        award=d.b,
        amount=D("5000"),
        paid_on=date(2026, 5, 1),
        invoice_received_on=date(2026, 5, 1),
        by=finance,
    )
    accepted(the_return(d.a, 1), provider, officer)
    accepted(the_return(d.a, 2), provider, officer, factor=D("0.5"))
    # B's first quarter asks 10 people where A asks 100: a rate averaged over returns would differ from the true one.
    b_q1 = content(d.b, D("0.8"))
    b_q1.answers[Measure.objects.get(framework__award=d.b, indicator__key=COPE).pk] = RateAnswer(
        D("9"), D("10")
    )
    return_services.submit(quarterly_return=the_return(d.b, 1), content=b_q1, by=other, declaration_name="B")
    return_services.accept(quarterly_return=the_return(d.b, 1), by=officer)
    submitted(the_return(d.b, 2), other, factor=D("3"))  # submitted, not accepted: it must not count
    accepted(the_return(d.c, 1), other, officer)
    accepted(the_return(d.old, 4, 2025), provider, officer, factor=D("1.2"))
    return d


# The awards and their returns, built once: every test reads them (tests/shared_data.py).
_built_once, world, data = built_once_per_module(build, name="data", frozen="2026-11-25 12:00:00")


@pytest.fixture
def pcc(client, world):
    return sign_in(client, world.users[Role.PCC])


# ---- Independent sums, walked in Python over what the test wrote ---------------------------------------


def reported(awards, key, *, year=2026, quarter=None):
    """(count, achieved, asked) that accepted returns of these awards reported against an indicator."""
    is_rate = OutcomeIndicator.objects.get(key=key).aggregation != "sum"
    count = achieved = asked = None
    for answer in ReturnAnswer.objects.select_related("quarterly_return", "measure__indicator"):
        ret = answer.quarterly_return
        if (
            ret.award_id not in {a.pk for a in awards}
            or ret.status != ReturnStatus.ACCEPTED
            or ret.quarter_start_year != year
            or (quarter and ret.quarter != quarter)
            or answer.measure.indicator is None
            or answer.measure.indicator.key != key
        ):
            continue
        if is_rate and answer.numerator is not None and answer.denominator is not None:
            achieved, asked = (achieved or 0) + answer.numerator, (asked or 0) + answer.denominator
        elif not is_rate and answer.value is not None:
            count = (count or 0) + answer.value
    return count, achieved, asked


def people(awards, **kw):
    return reported(awards, PEOPLE, **kw)[0] or 0


def money(awards, year=2026):
    """(committed, paid) in the year: the awards' profile lines in the year's pots and the payments drawn on them."""
    committed = sum(
        (
            line.amount
            for line in AwardYear.objects.select_related("pot__year", "award")
            if line.award in awards
            and line.pot.year.start_year == year
            and line.award.status != Award.Status.CANCELLED
        ),
        D(0),
    )
    paid = sum(
        (
            p.amount
            for p in Payment.objects.select_related("award_year__pot__year")
            if p.award in awards and p.award_year.pot.year.start_year == year
        ),
        D(0),
    )
    return committed, paid


def returns_of(awards, *, year=2026, quarter=None):
    """(accepted, due) among the awards' returns of the year (a return not yet due is not expected)."""
    rets = [
        r
        for r in QuarterlyReturn.objects.all()
        if r.award in awards
        and r.quarter_start_year == year
        and (not quarter or r.quarter == quarter)
        and r.status != ReturnStatus.NOT_YET_DUE
    ]
    return sum(r.status == ReturnStatus.ACCEPTED for r in rets), len(rets)


def check_row(row, awards, *, quarter=None):
    committed, paid = money(awards)
    assert (row.committed, row.paid) == (committed, paid), row.label
    assert row.awards == len(awards), row.label
    assert row.people_supported == people(awards, quarter=quarter), row.label
    cope = row.outcome(COPE)
    expected = reported(awards, COPE, quarter=quarter)
    assert ((cope.numerator, cope.denominator) if cope else (None, None)) == expected[1:], row.label
    assert (row.returns_accepted, row.returns_expected) == returns_of(awards, quarter=quarter), row.label


def rows_by_key(response):
    return {row.key: row for row in response.context["rows"]}


def cell(html, key, figure):
    """The text and link of one figure of one row of the table, as the page shows it."""
    row = re.search(rf'<tr class="govuk-table__row" data-{key}>(.*?)</tr>', html, re.S).group(1)
    found = re.search(
        rf'data-figure="{figure}">(?:<strong>)?<a class="govuk-link" href="([^"]*)">(?:<strong>)?([^<]*)', row
    )
    return unescape(found.group(2)).strip(), unescape(found.group(1))


# ---- Figures -------------------------------------------------------------------------------------


def test_by_priority_each_figure_is_the_sum_of_its_awards_and_the_total_counts_an_award_once(pcc, data):
    response = pcc.get("/dashboard/outcomes/")
    assert response.status_code == 200
    rows = rows_by_key(response)
    assert list(rows) == [str(data.p1.pk), str(data.p2.pk), "none"]
    check_row(rows[str(data.p1.pk)], [data.a, data.b])
    check_row(rows[str(data.p2.pk)], [data.b])
    check_row(rows["none"], [data.c])  # linked only to the last plan's objective
    total = response.context["total"]
    check_row(total, [data.a, data.b, data.c])
    # B serves two priorities: in full under each, once in the total.
    assert sum(r.committed for r in rows.values()) == total.committed + money([data.b])[0]
    html = response.content.decode()
    assert cell(html, f'key="{data.p1.pk}"', "people")[0] == f"{people([data.a, data.b]):,.0f}"
    assert cell(html, "total", "committed")[0] == f"£{money([data.a, data.b, data.c])[0]:,.2f}"
    assert "counts in full under each" in html


def test_a_rate_is_the_total_achieved_over_the_total_asked_not_an_average_of_percentages(pcc, data):
    response = pcc.get("/dashboard/outcomes/")
    cope = rows_by_key(response)[str(data.p1.pk)].outcome(COPE)
    parts = [
        reported([data.a], COPE, quarter=1),
        reported([data.a], COPE, quarter=2),
        reported([data.b], COPE),
    ]
    achieved, asked = sum(p[1] for p in parts), sum(p[2] for p in parts)
    assert cope.rate == (achieved / asked * 100).quantize(D("0.1"))
    averaged = (sum(p[1] / p[2] for p in parts) / len(parts) * 100).quantize(D("0.1"))
    assert cope.rate != averaged  # the data is chosen so that the two differ
    html = response.content.decode()
    assert (
        f"{achieved:,.0f} of {asked:,.0f} ({cope.rate}%)" in cell(html, f'key="{data.p1.pk}"', "outcome")[0]
    )


def test_only_accepted_returns_count_until_the_waiting_one_is_accepted(pcc, data, world):
    before = rows_by_key(pcc.get("/dashboard/outcomes/?by=service"))[str(data.b.pk)]
    q1_only = people([data.b], quarter=1)
    assert before.people_supported == q1_only
    ret = the_return(data.b, 2)
    return_services.accept(quarterly_return=ret, by=world.users[Role.COMMISSIONING_OFFICER])
    after = rows_by_key(pcc.get("/dashboard/outcomes/?by=service"))[str(data.b.pk)]
    assert after.people_supported == people([data.b]) > q1_only
    assert (after.returns_accepted, after.returns_expected) == (2, 2)


def test_cost_per_person_is_paid_over_people_supported_in_the_year(pcc, data):
    rows = rows_by_key(pcc.get("/dashboard/outcomes/?by=service"))
    a = rows[str(data.a.pk)]
    assert a.cost_per_person == (D("10000") / people([data.a])).quantize(D("0.01"))
    # A quarter chosen: money stays the year's, people are the quarter's, so no cost per person is given.
    quarter = rows_by_key(pcc.get("/dashboard/outcomes/?by=service&quarter=2"))[str(data.a.pk)]
    assert (quarter.committed, quarter.paid) == money([data.a])
    assert quarter.people_supported == people([data.a], quarter=2)
    assert quarter.cost_per_person is None


def test_by_area_west_mercia_wide_awards_have_their_own_row_and_the_area_filter_narrows_everything(
    pcc, data, world
):
    rows = rows_by_key(pcc.get("/dashboard/outcomes/?by=area"))
    assert list(rows) == ["herefordshire", "shropshire", sel.WEST_MERCIA]
    check_row(rows["herefordshire"], [data.b])  # its pot is Herefordshire's CSP's
    check_row(rows["shropshire"], [data.c])  # its pot is Shropshire's LPCAF pot
    check_row(rows[sel.WEST_MERCIA], [data.a])
    response = pcc.get("/dashboard/outcomes/?area=herefordshire")
    check_row(response.context["total"], [data.b])
    assert [c["expected"] for c in response.context["completeness"]] == [1, 1, 0, 0]
    wide = pcc.get(f"/dashboard/outcomes/?area={sel.WEST_MERCIA}&by=provider")
    check_row(wide.context["total"], [data.a])
    assert list(rows_by_key(wide)) == [str(world.organisation.pk)]


def test_by_stream_provider_and_filters_combined(pcc, data, world):
    rows = rows_by_key(pcc.get("/dashboard/outcomes/?by=stream"))
    check_row(rows[Stream.VICTIM_SERVICES], [data.a, data.b])
    check_row(rows[Stream.LPCAF], [data.c])
    check_row(rows[Stream.CGS], [])
    providers = rows_by_key(pcc.get("/dashboard/outcomes/?by=provider"))
    check_row(providers[str(world.other_organisation.pk)], [data.b, data.c])
    narrowed = pcc.get(f"/dashboard/outcomes/?priority={data.p1.pk}&area=herefordshire&quarter=1")
    check_row(narrowed.context["total"], [data.b], quarter=1)
    assert narrowed.context["scope_words"] == f"2026 to 2027, Q1, {data.p1.title}, Herefordshire"


def test_completeness_says_how_many_returns_were_accepted(pcc, data):
    response = pcc.get("/dashboard/outcomes/")
    accepted_q2, due_q2 = returns_of([data.a, data.b, data.c], quarter=2)
    assert (accepted_q2, due_q2) == (1, 3)
    html = response.content.decode()
    assert f"{accepted_q2} of {due_q2} returns accepted for Q2 2026/27" in html
    assert f"{due_q2 - accepted_q2} not yet accepted" in html
    assert "No returns due yet for Q3 2026/27" in html


def test_the_trend_by_quarter_runs_across_years(pcc, data):
    trend = pcc.get("/dashboard/outcomes/").context["trend"]
    assert len(trend) == 12
    assert trend[-1].quarter.short_label == "Q2 2026/27"  # Q3 has not ended on 25 November
    points = {p.quarter.short_label: p for p in trend}
    assert points["Q4 2025/26"].people_supported == people([data.old], year=2025, quarter=4)
    assert points["Q1 2026/27"].people_supported == people([data.a, data.b, data.c], quarter=1)
    assert points["Q2 2026/27"].people_supported == people([data.a, data.b, data.c], quarter=2)
    assert (points["Q2 2026/27"].accepted, points["Q2 2026/27"].expected) == (1, 3)
    # The priority filter applies across the years: the old award serves priority 1, not priority 2.
    trend_p2 = {
        p.quarter.short_label: p
        for p in pcc.get(f"/dashboard/outcomes/?priority={data.p2.pk}").context["trend"]
    }
    assert trend_p2["Q4 2025/26"].people_supported == 0


# ---- Bad input ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "priority=999999",
        "priority=abc",
        "area=atlantis",
        "quarter=7",
        "by=nonsense",
        "outcome=nothing",
        "year=1066",
        "provider=x",
    ],
)
def test_an_unknown_filter_is_ignored_and_the_page_says_so(pcc, data, query):
    plain = pcc.get("/dashboard/outcomes/").context["total"]
    response = pcc.get(f"/dashboard/outcomes/?{query}")
    assert response.status_code == 200
    total = response.context["total"]
    assert (total.committed, total.paid, total.people_supported, total.awards) == (
        plain.committed,
        plain.paid,
        plain.people_supported,
        plain.awards,
    )
    assert "was ignored" in response.content.decode()


def test_a_priority_of_an_old_plan_is_not_offered_and_is_ignored(pcc, data):
    response = pcc.get(f"/dashboard/outcomes/?priority={data.o_old.priority_id}")
    assert response.context["filters"].priority_id is None
    assert "Plan priority asked for is not one this page offers" in response.content.decode()


# ---- Drill-down -----------------------------------------------------------------------------------------


def test_every_figure_of_a_row_opens_a_list_that_adds_up_to_it(pcc, data):
    response = pcc.get(f"/dashboard/outcomes/?priority={data.p1.pk}")
    html = response.content.decode()
    row = rows_by_key(response)[str(data.p1.pk)]
    text, awards_url = cell(html, f'key="{data.p1.pk}"', "committed")
    awards_list = pcc.get(awards_url)
    assert awards_list.status_code == 200
    assert {r.key for r in awards_list.context["page"]} == {str(data.a.pk), str(data.b.pk)}
    assert dict(awards_list.context["totals"])["Committed"] == text
    _text, people_url = cell(html, f'key="{data.p1.pk}"', "people")
    people_list = pcc.get(people_url)
    listed = list(people_list.context["page"])
    # The accepted returns that reported people supported: B's submitted Q2 is not among them.
    assert {r.pk for r in listed} == {
        the_return(data.a, 1).pk,
        the_return(data.a, 2).pk,
        the_return(data.b, 1).pk,
    }
    assert dict(people_list.context["totals"])["Reported"] == f"{row.people_supported.normalize():,f}"
    # Each return links to its own page.
    assert f'href="/monitoring/returns/{the_return(data.a, 1).pk}/"' in people_list.content.decode()
    _text, cope_url = cell(html, f'key="{data.p1.pk}"', "outcome")
    cope_list = pcc.get(cope_url)
    cope = row.outcome(COPE)
    assert dict(cope_list.context["totals"])["Rate"] == f"{cope.rate}%"
    _text, returns_url = cell(html, f'key="{data.p1.pk}"', "returns")
    due = pcc.get(returns_url)
    assert due.context["page"].paginator.count == row.returns_expected
    back = re.search(r'class="govuk-back-link" href="([^"]*)"', due.content.decode()).group(1)
    assert unescape(back).startswith("/dashboard/outcomes/?year=2026")


def test_the_drill_down_lists_download_as_csv_and_xlsx(pcc, data):
    response = pcc.get(f"/dashboard/lists/outcome-returns/export.csv?year=2026&indicator={PEOPLE}")
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert sum(D(line[6]) for line in lines[1:]) == people([data.a, data.b, data.c])
    response = pcc.get("/dashboard/lists/outcome-awards/export.xlsx?year=2026")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert (
        sum(row[2] for row in sheet.iter_rows(min_row=2, values_only=True))
        == money([data.a, data.b, data.c])[0]
    )


# ---- Downloads -------------------------------------------------------------------------------------------


def test_the_downloads_hold_the_page_figures(pcc, data):
    page = pcc.get("/dashboard/outcomes/?by=area")
    rows = page.context["rows"]
    response = pcc.get("/dashboard/outcomes/export.csv?by=area")
    assert response["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header = lines[0]
    assert header[:5] == ["Local policing area", "Awards", "Committed", "Paid", "People supported"]
    by_label = {line[0]: line for line in lines[1:]}
    for row in rows:
        line = by_label[row.label]
        assert (D(line[2]), D(line[3]), D(line[4])) == (row.committed, row.paid, row.people_supported)
    assert D(by_label["Total (each award once)"][2]) == money([data.a, data.b, data.c])[0]
    cope_columns = [i for i, h in enumerate(header) if h.startswith("Service users better able to cope")]
    herefordshire = by_label["Herefordshire"]
    assert [herefordshire[i] for i in cope_columns[:2]] == [f"{v}" for v in reported([data.b], COPE)[1:]]

    workbook = load_workbook(io.BytesIO(pcc.get("/dashboard/outcomes/export.xlsx?by=area").content))
    assert workbook.sheetnames == ["By local policing area", "Outcomes", "Trend by quarter", "Completeness"]
    outcomes = {r[0]: r for r in workbook["Outcomes"].iter_rows(min_row=2, values_only=True)}
    assert outcomes["People supported"][2] == people([data.a, data.b, data.c])
    completeness = {r[0]: r for r in workbook["Completeness"].iter_rows(min_row=2, values_only=True)}
    assert completeness["Q2 2026/27"][1:] == returns_of([data.a, data.b, data.c], quarter=2)


# ---- A fixed number of queries ---------------------------------------------------------------------------

PAGES = [
    "/dashboard/outcomes/",
    "/dashboard/outcomes/?by=service",
    "/dashboard/outcomes/?by=area&priority={p1}",
    "/dashboard/outcomes/?by=provider&quarter=1&area=herefordshire",
    "/dashboard/outcomes/export.xlsx",
    "/dashboard/lists/outcome-awards/?year=2026",
    f"/dashboard/lists/outcome-returns/?year=2026&indicator={PEOPLE}",
    "/dashboard/lists/outcome-returns/?year=2026&which=due&priority={p1}",
]


def bulk(pot, organisation, objective, n):
    """n more awards straight into the tables: each in the pot and serving the objective, paid once, with an
    accepted Q1 return and its people-supported aggregate, and an open Q2."""
    awards = Award.objects.bulk_create(
        [
            Award(
                reference=f"BULK-{i}",
                organisation=organisation,
                pot=pot,
                kind="grant",
                title=f"Bulk {i}",
                purpose="x",
                start_date=date(2026, 4, 1),
                end_date=date(2027, 3, 31),
                amount=D("10"),
                schedule_kind="in_advance",
                status="active",
            )
            for i in range(n)
        ]
    )
    Award.objectives.through.objects.bulk_create(
        [Award.objectives.through(award=a, objective=objective) for a in awards]
    )
    lines = AwardYear.objects.bulk_create([AwardYear(award=a, pot=pot, amount=D("10")) for a in awards])
    Payment.objects.bulk_create(
        [
            Payment(award=a, award_year=y, amount=D("5"), paid_on=date(2026, 5, 1))
            for a, y in zip(awards, lines, strict=True)
        ]
    )
    QuarterlyReturn.objects.bulk_create(
        [
            QuarterlyReturn(
                award=a,
                quarter_start_year=2026,
                quarter=q,
                period_end=date(2026, 3 * q + 3, 30),
                due_date=date(2026, 3 * q + 4, 30),
                status=status,
            )
            for a in awards
            for q, status in ((1, ReturnStatus.ACCEPTED), (2, ReturnStatus.OPEN))
        ]
    )
    indicator = OutcomeIndicator.objects.get(key=PEOPLE)
    OutcomeAggregate.objects.bulk_create(
        [
            OutcomeAggregate(
                award=a,
                quarter_start_year=2026,
                quarter=1,
                indicator=indicator,
                value_sum=D("7"),
                n_measures=1,
            )
            for a in awards
        ]
    )


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", PAGES)
def test_the_same_number_of_queries_with_a_few_or_many_awards_and_returns(pcc, data, world, url):
    url = url.format(p1=data.p1.pk)
    few = count_queries(pcc, url)
    bulk(data.a.pot, world.organisation, data.o1, 80)
    many = count_queries(pcc, url)
    assert few == many, f"{url}: {few} queries with a few records, {many} with many"
    assert many <= 20, f"{url}: {many} queries"


def test_the_figures_follow_the_bulk_awards(pcc, data, world):
    """The awards bulk-written for the query count are counted like any other (so the count test measures real work)."""
    before = pcc.get("/dashboard/outcomes/").context["total"]
    bulk(data.a.pot, world.organisation, data.o1, 30)
    after = pcc.get("/dashboard/outcomes/").context["total"]
    assert after.committed - before.committed == D("300")
    assert after.people_supported - before.people_supported == D("210")
    assert after.awards - before.awards == 30


def test_the_page_is_in_the_dashboard_sub_navigation(pcc, data):
    html = pcc.get("/dashboard/").content.decode()
    assert re.search(r'href="/dashboard/outcomes/[^"]*">What the money achieves</a>', html)


def test_a_return_reopened_by_content_is_not_double_counted(pcc, data, world):
    """A return sent back and submitted again, then accepted, is counted once."""
    ret = the_return(data.c, 2)
    submitted(ret, world.other_provider)
    return_services.request_changes(
        quarterly_return=ret, by=world.users[Role.COMMISSIONING_OFFICER], comments="Please add the sessions."
    )
    return_services.submit(
        quarterly_return=the_return(data.c, 2),
        content=content(data.c),
        by=world.other_provider,
        declaration_name="A Provider",
    )
    return_services.accept(quarterly_return=the_return(data.c, 2), by=world.users[Role.COMMISSIONING_OFFICER])
    rows = rows_by_key(pcc.get("/dashboard/outcomes/?by=service"))
    check_row(rows[str(data.c.pk)], [data.c])


# ---- An award serving several areas ------------------------------------------------------------------------


def test_a_contract_let_for_a_pilot_in_two_areas_counts_in_full_in_each_and_once_in_the_total(
    pcc, data, world
):
    """The crime trends page's rule: a contract without an area of its own serves its commission's areas. Here it
    counts in full under each of them, once in the total, matches both area filters, and sits in the same areas on
    the crime trends page (which splits its money between them). A commission for every area is West Mercia wide."""
    officer = world.users[Role.COMMISSIONING_OFFICER]
    telford = AreaFactory(name="Telford and Wrekin", slug="telford-and-wrekin")
    pilot = served_by(
        monitored_award(
            world.organisation,
            pot=data.a.pot,
            amount="24000.01",
            title="Pilot outreach",
            objectives=[data.o1],
            schedule=PaymentScheduleKind.IN_ADVANCE,
        ),
        [world.area, telford],
        reference="C-P",
        officer=officer,
    )
    everywhere = served_by(
        monitored_award(
            world.organisation,
            pot=data.a.pot,
            amount="3000",
            title="Everywhere",
            objectives=[data.o1],
            schedule=PaymentScheduleKind.IN_ADVANCE,
        ),
        [world.area, world.other_area, telford],
        reference="C-E",
        officer=officer,
    )
    award_services.record_payment(
        award=pilot,
        amount=D("6000"),
        paid_on=date(2026, 5, 1),
        invoice_received_on=date(2026, 5, 1),
        by=world.users[Role.FINANCE_OFFICER],
    )
    accepted(the_return(pilot, 1), world.users[Role.PROVIDER], officer, factor=D("2"))
    assert people([pilot]) > 0 and money([pilot]) == (D("24000.01"), D("6000"))

    response = pcc.get("/dashboard/outcomes/?by=area")
    rows = rows_by_key(response)
    assert list(rows) == ["herefordshire", "shropshire", "telford-and-wrekin", sel.WEST_MERCIA]
    check_row(rows["herefordshire"], [data.b, pilot])
    check_row(rows["telford-and-wrekin"], [pilot])
    check_row(rows["shropshire"], [data.c])
    check_row(rows[sel.WEST_MERCIA], [data.a, everywhere])
    everyone = [data.a, data.b, data.c, pilot, everywhere]
    total = response.context["total"]
    check_row(total, everyone)
    assert sum(r.committed for r in rows.values()) == total.committed + money([pilot])[0]
    html = response.content.decode()
    assert cell(html, 'key="telford-and-wrekin"', "committed")[0] == "£24,000.01"
    assert cell(html, 'key="telford-and-wrekin"', "people")[0] == f"{people([pilot]):,.0f}"
    assert cell(html, "total", "committed")[0] == f"£{money(everyone)[0]:,.2f}"
    assert "An award serving several areas counts in full under each" in html

    for slug, awards in (
        ("herefordshire", [data.b, pilot]),
        ("telford-and-wrekin", [pilot]),
        (sel.WEST_MERCIA, [data.a, everywhere]),
    ):
        narrowed = pcc.get(f"/dashboard/outcomes/?area={slug}&by=service")
        check_row(narrowed.context["total"], awards)
        assert set(rows_by_key(narrowed)) == {str(a.pk) for a in awards}, slug

    # The crime trends page places it in the same two areas, halving its money (to the penny), and the one for
    # every area on its own.
    crime = crime_page(pcc, "?year=2026")
    heads, spend = crime_table(crime, "Crimes, residents and spend")
    assert heads[1:] == ["Herefordshire", "Shropshire", "Telford and Wrekin", "All areas"]
    b, c = money([data.b])[0], money([data.c])[0]
    assert spend["Committed in 2026 to 2027"] == [
        f"£{b + D('12000.01'):,.0f}",
        f"£{c:,.0f}",
        "£12,000",
        f"£{b + c + D('24000.01'):,.0f}",
    ]
    assert spend["Awards"] == ["2 1 shared", "1", "1 1 shared", "3 1 shared"]
    _, wide = crime_table(crime, "Committed and paid in 2026 to 2027")
    assert wide["West Mercia-wide"][:2] == ["2", f"£{money([data.a, everywhere])[0]:,.0f}"]
