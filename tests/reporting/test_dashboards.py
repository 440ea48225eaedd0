"""The Commissioner's dashboards: each figure equals the sum of the records behind it, each figure links
to a list of exactly those records, the filters narrow every figure, and the exports are safe."""

import csv
import io
import re
from decimal import Decimal
from html import unescape

import pytest
from freezegun import freeze_time
from openpyxl import load_workbook

from funding.models import Stream
from opcc.models import Role
from reporting.selectors import dashboards as sel
from tests.conftest import sign_in
from tests.funding.factories import PotFactory, approved_year
from tests.reporting import test_dashboards_records as rec
from tests.shared_data import built_once_per_module

D = Decimal


@pytest.fixture(autouse=True)
def _today():
    with freeze_time("2026-11-25 12:00:00"):
        yield


# The records, and the world they stand in, built once: every test reads them (tests/shared_data.py).
_built_once, world, records = built_once_per_module(rec.build, name="records", frozen="2026-11-25 12:00:00")


@pytest.fixture
def pcc(client, world):
    return sign_in(client, world.users[Role.PCC])


def _links(html: str, prefix="/dashboard/lists/"):
    """(url, figure) for every link on the page whose text is a number and that points at a dashboard list."""
    found = re.findall(
        r'<a class="govuk-link" href="('
        + re.escape(prefix)
        + r'[^"]*)">(?:<strong>)?([\d,]+)(?:</strong>)?<span',
        html,
    )
    return [(unescape(url), int(n.replace(",", ""))) for url, n in found]


# ---- Money ---------------------------------------------------------------------------------------


def test_money_figures_equal_the_sums_of_the_commitments_and_payments(pcc, records):
    response = pcc.get("/dashboard/")
    assert response.status_code == 200
    money = response.context["money"]
    expected = rec.money_of(rec.pots_of())
    assert {pot.pk for row in money.streams for pot in row.pots} == set(expected)
    for row in money.streams:
        for pot in row.pots:
            assert (pot.allocated, pot.committed, pot.paid) == expected[pot.pk], pot.name
            assert pot.remaining == expected[pot.pk][0] - expected[pot.pk][1]
        in_stream = [expected[p.pk] for p in row.pots]
        assert row.figures.allocated == sum(e[0] for e in in_stream)
        assert row.figures.committed == sum(e[1] for e in in_stream)
        assert row.figures.paid == sum(e[2] for e in in_stream)
    assert (
        money.totals.committed == sum(e[1] for e in expected.values()) == D("95000")
    )  # 40k + 20k + 5k + the 30k contract; the cancelled 1k holds nothing
    assert money.totals.paid == sum(e[2] for e in expected.values()) == D("7500")
    html = response.content.decode()
    assert "£95,000.00" in html and "£7,500.00" in html


def test_the_money_figures_are_the_funding_overviews(pcc, records):
    """The same ledger: the dashboard's totals match the funding overview for the year."""
    dashboard = pcc.get("/dashboard/").context["money"].totals
    overview = pcc.get("/funding/2026/").context["summary"].totals
    assert (dashboard.allocated, dashboard.committed, dashboard.paid) == (
        overview.allocated,
        overview.committed,
        overview.paid,
    )


def test_each_streams_committed_figure_links_to_its_commitments(pcc, records):
    money = pcc.get("/dashboard/").context["money"]
    for row in money.streams:
        listing = pcc.get(row.links["committed"])
        lines = list(listing.context["page"].object_list)
        assert sum(sel.commitment_committed(line) for line in lines) == row.figures.committed
        assert sum(line.paid for line in lines) == row.figures.paid
        assert dict(listing.context["totals"])["Committed"] == f"£{row.figures.committed:,.2f}"


def test_contracts_ending_or_reaching_their_notice_date(pcc, records):
    response = pcc.get("/dashboard/")
    # The one-year contract ends 31 March 2027; its last notice date (3 months) is 31 December 2026. The three
    # contract-kind awards recorded in funding only (no commissioning record) end then too.
    assert response.context["contracts"] == rec.contracts_ahead() == {"expiring": 4, "notice": 1, "all": 4}
    for url, figure in _links(response.content.decode()):
        assert pcc.get(url).context["page"].paginator.count == figure, url


# ---- Performance ---------------------------------------------------------------------------------


def test_returns_on_time_late_and_overdue_equal_the_returns(pcc, records):
    response = pcc.get("/dashboard/performance/")
    expected = rec.timeliness_counts(rec.returns_of(rec.pots_of()))
    for q in response.context["quarters"]:
        for kind, _label in sel.TIMELINESS:
            assert q.counts[kind] == expected[(q.quarter.number, kind)], (q.quarter.number, kind)
    totals = {k: n for k, _l, n, _u in response.context["returns_totals"]}
    # Q1: outreach and night safe on time, speed watch late; Q2: outreach late, night and speed overdue.
    assert totals["on_time"] == sum(n for (_q, k), n in expected.items() if k == "on_time") == 2
    assert totals["late"] == 2
    assert totals["overdue"] == sum(n for (_q, k), n in expected.items() if k == "overdue") >= 2


def test_outcomes_against_targets_equal_the_answers(pcc, records):
    rows = pcc.get("/dashboard/performance/").context["outcomes"]
    expected = rec.outcome_counts(rec.returns_of(rec.pots_of()))
    assert {r.kind: (r.measured, r.met) for r in rows} == expected
    assert sum(r.measured for r in rows) > 0
    assert 0 < sum(r.met for r in rows) < sum(r.measured for r in rows)


def test_awards_by_rag_equal_each_awards_latest_rating(pcc, records):
    rag = pcc.get("/dashboard/performance/").context["rag"]
    expected = rec.rag_counts(rec.awards_of(rec.pots_of()))
    assert {value: n for value, _l, n, _u in rag} == {v: expected.get(v, 0) for v, _l in sel.RAG_BUCKETS}
    assert (
        expected["red"] == 1 and expected["amber"] == 1
    )  # outreach red at Q2 (green at Q1); night safe amber


def test_commissions_by_stage_equal_the_commissions(pcc, records):
    stages = pcc.get("/dashboard/performance/").context["stages"]
    expected = rec.stage_counts()
    assert {value: n for value, _l, n, _u in stages} == {
        v: expected.get(v, 0) for v in dict(stages_choices())
    }
    assert expected["understand"] == 1 and expected["plan"] == 1 and expected["do"] == 1
    # Without a stream or area filter each stage links to the commissioning list's own stage filter.
    assert [url for value, _l, _n, url in stages][0] == "/commissioning/?status=understand"


def stages_choices():
    from commissioning.models import Commission

    return Commission.Status.choices


def test_every_performance_figure_links_to_a_list_of_that_length(pcc, records):
    html = pcc.get("/dashboard/performance/?stream=victim_services").content.decode()
    links = _links(html)
    assert len(links) >= 4 * 4 + 4 + 3 * 3 + 4 + 7  # returns grid and totals, outcomes, RAG, stages
    for url, figure in links:
        assert pcc.get(url).context["page"].paginator.count == figure, url


# ---- Filters -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params, pots",
    [
        ({"stream": Stream.CSP_GRANTS}, {"csp-herefordshire"}),
        ({"area": "herefordshire"}, {"csp-herefordshire"}),
        ({"area": "shropshire"}, {"lpcaf-shropshire"}),
        ({"pot": "victim-services"}, {"victim-services"}),
        ({"stream": Stream.LPCAF, "area": "herefordshire"}, set()),
    ],
)
def test_filters_narrow_every_figure(pcc, records, params, pots):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    money = pcc.get(f"/dashboard/?year=2026&{query}").context["money"]
    assert {p.key for row in money.streams for p in row.pots} == pots
    scope_pots = rec.pots_of(
        stream=params.get("stream", ""), key=params.get("pot", ""), area=params.get("area", "")
    )
    assert {p.key for p in scope_pots} == pots
    expected_money = rec.money_of(scope_pots)
    assert money.totals.committed == sum((e[1] for e in expected_money.values()), D("0"))

    ctx = pcc.get(f"/dashboard/performance/?year=2026&{query}").context
    expected = rec.timeliness_counts(rec.returns_of(scope_pots))
    assert {k: n for k, _l, n, _u in ctx["returns_totals"]} == {
        k: sum(n for (_q, kind), n in expected.items() if kind == k) for k, _l in sel.TIMELINESS
    }
    assert {r.kind: (r.measured, r.met) for r in ctx["outcomes"]} == rec.outcome_counts(
        rec.returns_of(scope_pots)
    )
    rag = rec.rag_counts(rec.awards_of(scope_pots))
    assert {v: n for v, _l, n, _u in ctx["rag"]} == {v: rag.get(v, 0) for v, _l in sel.RAG_BUCKETS}
    stages = rec.stage_counts(stream=params.get("stream", ""), area=params.get("area", ""))
    assert {v: n for v, _l, n, _u in ctx["stages"]} == {v: stages.get(v, 0) for v, _l in stages_choices()}


def test_the_year_defaults_to_the_current_one_and_another_year_can_be_chosen(pcc, records):
    response = pcc.get("/dashboard/")
    assert response.context["scope"].year == 2026
    assert '<h1 class="govuk-heading-l">Money in 2026 to 2027</h1>' in response.content.decode()
    earlier = approved_year(2025, income="500000", police="400000")
    PotFactory(year=earlier, stream=Stream.CGS, key="cgs", name="CGS 2025", allocated=D("12345"))
    response = pcc.get("/dashboard/?year=2025")
    assert response.context["scope"].year == 2025
    assert [p.key for row in response.context["money"].streams for p in row.pots] == ["cgs"]
    assert response.context["money"].totals.allocated == D("12345")
    # A pot chosen in one year that does not exist in another is dropped, not an error.
    assert pcc.get("/dashboard/?year=2025&pot=victim-services").context["scope"] == sel.Scope(2025)
    # A year with no records falls back to the current one.
    assert pcc.get("/dashboard/performance/?year=2019").context["scope"].year == 2026


def test_unknown_filter_values_are_ignored(pcc, records):
    response = pcc.get("/dashboard/?year=abc&stream=nonsense&pot=<script>&area=atlantis")
    assert response.status_code == 200
    assert response.context["scope"] == sel.Scope(2026)


def test_filtered_stages_link_to_the_dashboards_own_list(pcc, records, world):
    stages = pcc.get("/dashboard/performance/?area=herefordshire").context["stages"]
    do = next(row for row in stages if row[0] == "do")
    assert do[2] == 1 and do[3].startswith("/dashboard/lists/commissions/?")
    assert pcc.get(do[3]).context["page"].paginator.count == 1


def test_the_sub_navigation_keeps_the_filters_and_links_to_crime_trends(pcc, records):
    html = pcc.get("/dashboard/?stream=cgs").content.decode()
    assert 'href="/dashboard/performance/?year=2026&amp;stream=cgs"' in html
    assert 'href="/dashboard/crime/"' in html
    assert 'aria-current="page" href="/dashboard/?year=2026&amp;stream=cgs"' in html


def test_an_unknown_list_is_not_found(pcc, records):
    assert pcc.get("/dashboard/lists/nothing/").status_code == 404
    assert pcc.get("/dashboard/lists/returns/export.pdf").status_code == 404


# ---- Exports -------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["commitments", "returns", "outcomes", "awards", "contracts", "commissions"])
def test_every_list_downloads_as_csv_and_xlsx_with_the_same_rows(pcc, records, kind):
    listing = pcc.get(f"/dashboard/lists/{kind}/")
    count = listing.context["page"].paginator.count
    assert count > 0
    csv_response = pcc.get(f"/dashboard/lists/{kind}/export.csv")
    assert csv_response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig"))))
    assert len(rows) == count + 1
    xlsx_response = pcc.get(f"/dashboard/lists/{kind}/export.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx_response.content)).active
    assert sheet.max_row == count + 1


def test_exports_are_safe_against_formula_injection(pcc, records, world):
    world.other_organisation.name = '=HYPERLINK("http://evil.example","Click")'
    world.other_organisation.save()
    records.night.title = "+SUM(A1:A9)"
    records.night.save()
    for kind in ("commitments", "returns", "awards"):
        text = pcc.get(f"/dashboard/lists/{kind}/export.csv").content.decode("utf-8-sig")
        cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
        assert '\'=HYPERLINK("http://evil.example","Click")' in cells, kind
        assert not any(cell.startswith(("=", "+", "@")) for cell in cells), kind
        sheet = load_workbook(io.BytesIO(pcc.get(f"/dashboard/lists/{kind}/export.xlsx").content)).active
        values = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
        assert "'+SUM(A1:A9)" in values, kind
        assert not any(v.startswith(("=", "+", "@")) for v in values), kind


@pytest.mark.parametrize("role", [Role.PCC, Role.FINANCE_OFFICER, Role.AUDITOR, Role.COMMISSIONING_OFFICER])
def test_every_return_in_the_returns_lists_opens_for_everyone_who_sees_the_list(client, world, records, role):
    """Submitted returns link to the return's own page, not to the review form only officers may use."""
    sign_in(client, world.users[role])
    seen = 0
    for timeliness in ("on_time", "late", "overdue", "not_yet_due"):
        html = client.get(f"/dashboard/lists/returns/?year=2026&timeliness={timeliness}").content.decode()
        for url in set(re.findall(r'href="(/monitoring/returns/\d+/[^"]*)"', html)):
            assert client.get(url).status_code == 200, (role, url)
            seen += 1
    assert seen >= 3
