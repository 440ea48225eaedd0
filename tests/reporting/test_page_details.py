"""Details a person notices on reporting's pages and exports: error order, demo answers, the crime panel's months, contract lists, headings, pence in exports, home panels and chart steps."""

import csv
import io
import re
from datetime import date
from decimal import Decimal

import pytest
from freezegun import freeze_time

from funding.models import PaymentScheduleKind
from opcc.models import Role
from opcc.views.home import HOME_LIST_LENGTH
from reporting import demo
from reporting.framework_templates import DEFAULT_TEMPLATES
from reporting.models import Measure, MeasureKind
from tests.conftest import sign_in
from tests.funding.factories import award
from tests.reporting import test_dashboards_records as rec
from tests.reporting.factories import monitored_award, the_return, victims_pot
from tests.reporting.test_crime_trends import commission, counts

D = Decimal


@pytest.fixture(autouse=True)
def _today():
    with freeze_time("2026-11-25 10:00:00"):
        yield


# ---- The outcome return's error summary follows the page ------------------------------------------


def test_the_return_forms_error_summary_lists_errors_in_the_order_of_the_page(client, world):
    a = monitored_award(world.organisation)
    ret = the_return(a, 2)
    sign_in(client, world.users[Role.PROVIDER])
    page = client.get(f"/monitoring/returns/{ret.pk}/").content.decode()
    field_order = re.findall(
        r'<(?:input|textarea)[^>]*\bname="((?:m_\d+(?:_denominator|_numerator)?)|activity|spend_to_date|declaration)"',
        page,
    )
    page = client.post(
        f"/monitoring/returns/{ret.pk}/", {"action": "submit", "activity": ""}
    ).content.decode()
    summary = re.search(r'<div class="govuk-error-summary".*?</ul>', page, re.S).group(0)
    linked = [name for name in re.findall(r'href="#id_([a-z_0-9]+)"', summary)]
    assert linked[0] == "activity" and linked[-2:] == ["spend_to_date", "declaration"]
    assert len(linked) > 4
    assert linked == [name for name in field_order if name in linked]  # the order the fields are on the page


# ---- The demo's narrative answers fit their questions ---------------------------------------------


@pytest.mark.parametrize(
    "template", [t[-1] for t in DEFAULT_TEMPLATES], ids=[t[0] for t in DEFAULT_TEMPLATES]
)
def test_the_demos_narrative_answers_fit_their_questions(template):
    narrative = [
        Measure(name=m["name"], kind=m["kind"]) for m in template if m["kind"] == MeasureKind.NARRATIVE
    ]
    assert narrative
    for m in narrative:
        asks_what_went_wrong = "got in the way" in m.name or "not gone to plan" in m.name
        assert demo.narrative_answers(m) == (
            demo.GOT_IN_THE_WAY if asks_what_went_wrong else demo.WENT_WELL
        ), m.name


def test_the_demo_answers_what_got_in_the_way_with_what_got_in_the_way():
    import random

    made = Measure(
        name="What made the most difference for service users this quarter?", kind=MeasureKind.NARRATIVE
    )
    hindered = Measure(
        name="What got in the way, and what are you doing about it?", kind=MeasureKind.NARRATIVE
    )
    made.pk, hindered.pk = 1, 2
    for seed in range(20):
        answers = {
            a.measure.name: a.text for a in demo._answers([made, hindered], 1.0, random.Random(seed), None)
        }
        assert answers[made.name] in demo.WENT_WELL and answers[hindered.name] in demo.GOT_IN_THE_WAY
    assert "Recruitment of a part-time caseworker" not in " ".join(demo.WENT_WELL)


# ---- The Understand stage's crime panel says which months it holds ---------------------------------


def test_the_crime_panel_names_the_months_held_not_six_it_does_not_have(client, world):
    for month in (date(2026, 7, 1), date(2026, 8, 1), date(2026, 9, 1)):
        counts(world.area, month, Burglary=5)
    c = commission(world, [world.area])
    sign_in(client, world.users[Role.COMMISSIONING_OFFICER])
    html = client.get(f"/commissioning/{c.pk}/understand/").content.decode()
    assert "last six months" not in html and "April 2026" not in html
    assert "in the three months held, July 2026 to September 2026" in html
    assert "The crime data imported starts in July 2026" in html
    assert "There is no data for the three months before to compare with" in html
    assert ">15<" in re.search(r"Burglary</th>(.*?)</tr>", html, re.S).group(1)


# ---- Contracts ending or reaching their notice date -------------------------------------------------


@pytest.fixture
def records(world):
    return rec.build(world)


def test_every_live_contract_ending_is_listed_and_a_passed_notice_date_is_marked(client, world, records):
    # A contract agreed before the service: an award of the contract kind with no commissioning record.
    old = monitored_award(
        world.other_organisation, pot=records.victims, amount="9000", title="Older contract"
    )
    with freeze_time("2027-01-15 10:00:00"):
        sign_in(client, world.users[Role.PCC])
        page = client.get("/dashboard/lists/contracts/")
    html = page.content.decode()
    rows = {
        r.contract.award.reference if r.contract else r.award.reference: r
        for r in page.context["page"].object_list
    }
    # Every live contract-kind award ending by 15 July 2027 is there, commissioning record or not.
    assert old.reference in rows and records.contract.award.reference in rows
    assert records.outreach.reference in rows
    # The commissioned contract's last date to give notice (31 Dec 2026) has passed: it says so.
    row = re.search(rf"{records.contract.award.reference}</a>.*?</tr>", html, re.S).group(0)
    assert "31 Dec 2026" in row and 'govuk-tag--red">Notice date passed' in row
    assert "1 year (1+1)" in row and "year(s)" not in html
    older = re.search(rf"{old.reference}</a>.*?</tr>", html, re.S).group(0)
    assert "Not recorded" in older and "Notice date passed" not in older
    assert "has no notice date or extensions on record" in html


def test_the_contracts_figures_count_the_same_contracts_as_the_list(client, world, records):
    sign_in(client, world.users[Role.PCC])
    response = client.get("/dashboard/")
    assert response.context["contracts"] == rec.contracts_ahead()
    # The one commissioned contract plus the three contract-kind awards recorded in funding only.
    assert response.context["contracts"] == {"expiring": 4, "notice": 1, "all": 4}


# ---- Headings, money in exports, the officer's overdue list -----------------------------------------


def test_a_returns_list_heading_reads_as_words(client, world, records):
    sign_in(client, world.users[Role.PCC])
    html = client.get("/dashboard/lists/returns/?year=2026&timeliness=late&quarter=2").content.decode()
    assert "<title>Returns submitted late, Q2 2026/27" in html
    assert re.search(r'<h1 class="govuk-heading-l">Returns submitted late, Q2 2026/27</h1>', html)
    assert "late, q2" not in html
    html = client.get("/dashboard/lists/returns/?year=2026&timeliness=overdue").content.decode()
    assert re.search(r'<h1 class="govuk-heading-l">Overdue returns</h1>', html)


def test_money_in_the_dashboard_exports_always_has_pence(client, world, records):
    sign_in(client, world.users[Role.PCC])
    body = client.get("/dashboard/lists/commitments/export.csv?year=2026").content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert rows and all(re.fullmatch(r"\d+\.\d\d", r[k]) for r in rows for k in ("Committed", "Paid"))
    body = client.get("/dashboard/lists/awards/export.csv?year=2026").content.decode("utf-8-sig")
    assert all(re.fullmatch(r"\d+\.\d\d", r["Amount"]) for r in csv.DictReader(io.StringIO(body)))


def test_the_officers_home_panel_links_to_every_overdue_return_when_it_shows_only_some(client, world):
    pot = victims_pot()
    for i in range(10):
        monitored_award(world.organisation, pot=pot, amount="1000", title=f"Service {i}")
    sign_in(client, world.users[Role.COMMISSIONING_OFFICER])
    html = client.get("/home/").content.decode()
    shown = (
        re.search(r"Overdue returns, longest overdue first.*?</table>", html, re.S)
        .group(0)
        .count('href="/monitoring/returns/')
    )
    overdue = int(
        re.search(
            r'<span class="opcc-figure__value">(\d+)</span><span class="opcc-figure__label">overdue', html
        ).group(1)
    )
    assert shown == HOME_LIST_LENGTH and overdue > HOME_LIST_LENGTH
    link = re.search(r'<a class="govuk-link" id="all-overdue" href="([^"]+)">([^<]+)</a>', html)
    assert (
        link.group(1) == "/monitoring/returns/?overdue=yes"
        and link.group(2) == f"View all {overdue} overdue returns"
    )
    listed = client.get(link.group(1)).context["page"].paginator.count
    assert listed == overdue


def test_no_view_all_link_when_the_panel_shows_every_overdue_return(client, world):
    award(
        organisation=world.organisation,
        pot=victims_pot(),
        amount="1000",
        schedule=PaymentScheduleKind.IN_ADVANCE,
    )
    sign_in(client, world.users[Role.COMMISSIONING_OFFICER])
    assert "View all" not in client.get("/home/").content.decode()


def test_the_count_charts_ask_for_whole_number_steps(client, world, records):
    sign_in(client, world.users[Role.PCC])
    charts = client.get("/dashboard/performance/").context["charts"]
    assert charts["returns"]["counts"] and charts["outcomes"]["counts"] and charts["stages"]["counts"]
