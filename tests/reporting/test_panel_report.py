"""The Police and Crime Panel report: its figures are independent sums of what the test wrote (and the outcomes
dashboard's own), only accepted returns give case studies, it is made in the background with its progress recorded,
and the PDF says what the page says (its text read with pypdf, its pages drawn with pdftoppm)."""

import hashlib
import io
import shutil
import subprocess
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from freezegun import freeze_time
from pypdf import PdfReader

from funding.services import awards as award_services
from opcc.models import Document, Role
from reporting.models import GrantVisit, Measure, PanelCaseStudy, PanelReport, QuarterlyReturn
from reporting.selectors import achievements
from reporting.selectors import panel_report as selectors
from reporting.services import panel_report as service
from reporting.services import returns
from reporting.services.returns import RateAnswer, ReturnContent
from tests.conftest import sign_in
from tests.factories import ObjectiveFactory, OrganisationFactory, PriorityFactory
from tests.reporting.factories import full_answers, monitored_award, the_return

D = Decimal
TODAY = date(2027, 5, 10)  # 2026/27 has ended: every quarter's return has been due
COPE = "Service users better able to cope and recover"
PNG_FOLDER = Path(__file__).resolve().parents[2] / "test-results" / "panel-report"


@pytest.fixture(autouse=True)
def _today():
    with freeze_time(f"{TODAY:%Y-%m-%d} 10:00:00", tick=True):
        yield


def _write(ret, provider, officer, *, supported, cope, factor="1", accept=True, case_study="", comments=""):
    """Send a return with these figures (every other measure at its target times `factor`), and accept it."""
    answers = full_answers(ret.award, D(factor))
    answers[Measure.objects.get(framework__award=ret.award, name="People supported").pk] = D(supported)
    answers[Measure.objects.get(framework__award=ret.award, name=COPE).pk] = RateAnswer(
        numerator=D(cope[0]), denominator=D(cope[1])
    )
    returns.submit(
        quarterly_return=ret,
        by=provider,
        declaration_name="A Provider",
        content=ReturnContent(
            activity="Outreach.", case_studies=case_study, spend_to_date=D("1000"), answers=answers
        ),
    )
    if accept:
        ret = returns.accept(quarterly_return=ret, by=officer, comments=comments)
    ret.refresh_from_db()
    return ret


class Data:
    pass


@pytest.fixture
def data(world):
    """Two priorities; award A serves the first, B both, C none. A: Q1 and Q2 accepted, Q3 sent but not accepted.
    B: Q1 accepted, Q4 accepted and red. C: nothing accepted. A is paid £10,000 and B £5,000."""
    d = Data()
    provider, other, officer = (
        world.users[Role.PROVIDER],
        world.other_provider,
        world.users[Role.COMMISSIONING_OFFICER],
    )
    d.officer, d.head, d.finance = (
        officer,
        world.users[Role.HEAD_OF_COMMISSIONING],
        world.users[Role.FINANCE_OFFICER],
    )
    d.victims, first = world.priority, world.objective  # "Putting victims and survivors first"
    d.secure = PriorityFactory(
        plan=world.plan, title="Building a more secure West Mercia", position=world.priority.position + 1
    )
    second = ObjectiveFactory(priority=d.secure)
    d.a = monitored_award(
        world.organisation, amount="40000", title="Outreach A", today=TODAY, schedule="in_advance"
    )
    d.b = monitored_award(
        world.other_organisation, amount="20000", title="Helpline B", today=TODAY, schedule="in_advance"
    )
    d.c = monitored_award(
        OrganisationFactory(name="Third Way"),
        amount="10000",
        title="Mentoring C",
        today=TODAY,
        schedule="in_advance",
    )
    d.a.objectives.set([first])
    d.b.objectives.set([first, second])
    d.written = [  # (award, quarter, people supported, cope (numerator, denominator), accepted?)
        (d.a, 1, 200, (15, 20), True),
        (d.a, 2, 210, (8, 10), True),
        (d.a, 3, 999, (999, 999), False),
        (d.b, 1, 180, (90, 100), True),
        (d.b, 4, 7, (2, 9), True),
    ]
    who = {d.a.pk: provider, d.b.pk: other}
    d.returns = {}
    for award, quarter, supported, cope, accepted in d.written:
        red = award == d.b and quarter == 4
        d.returns[(award.pk, quarter)] = _write(
            the_return(award, quarter, 2026),
            who[award.pk],
            officer,
            supported=supported,
            cope=cope,
            factor="0.4" if red else "1",
            accept=accepted,
            case_study=f"Case study of {award.title} in Q{quarter}: a person felt safe again.",
            comments="Below target: improvement plan agreed with the provider." if red else "",
        )
    assert d.returns[(d.b.pk, 4)].rag == "red" and d.returns[(d.a.pk, 2)].rag != "red"
    d.paid = {d.a.pk: D("10000"), d.b.pk: D("5000"), d.c.pk: D("0")}
    for award in (d.a, d.b):
        award_services.record_payment(
            award=award,
            amount=d.paid[award.pk],
            paid_on=date(2026, 6, 1),
            invoice_received_on=date(2026, 6, 1),
            by=d.finance,
        )
    d.visit = GrantVisit.objects.create(
        award=d.b,
        scheduled_for=date(2027, 4, 20),
        visited_on=date(2027, 4, 20),
        officer=officer,
        attendees="Service manager",
        findings="A vacancy left one adviser covering the area.",
        actions="Monthly check-ins until the next return.",
        recorded_by=officer,
        recorded_at=timezone.now(),
    )
    return d


def made(report, by) -> PanelReport:
    """Ask for the report and let the (eager) task run, as after the request's commit."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        service.request_generation(report=report, by=by)
    report.refresh_from_db()
    return report


def accepted_rows(d, *, quarters=(1, 2, 3, 4), awards=None):
    return [w for w in d.written if w[4] and w[1] in quarters and (awards is None or w[0] in awards)]


def row(rows, label):
    return next(r for r in rows if r["label"] == label)


# ---- Figures ------------------------------------------------------------------------------------------------------


def test_the_whole_years_figures_are_the_sums_of_what_was_written(data):
    d = data
    report = service.create_report(by=d.officer, start_year=2026, first_quarter=1, last_quarter=4)
    report = made(report, d.officer)
    assert report.status == PanelReport.Status.READY, report.problem
    money, total = report.content["money"], report.content["money"]["total"]

    def people(awards):
        return sum(w[2] for w in accepted_rows(d, awards=awards))

    victims = row(money["by_priority"], "Putting victims and survivors first")
    assert D(victims["committed"]) == d.a.amount + d.b.amount == D("60000")
    assert D(victims["paid"]) == d.paid[d.a.pk] + d.paid[d.b.pk]
    assert D(victims["people_supported"]) == people({d.a, d.b}) == 597
    secure = row(money["by_priority"], "Building a more secure West Mercia")
    assert (D(secure["committed"]), D(secure["paid"]), D(secure["people_supported"])) == (
        d.b.amount,
        D("5000"),
        people({d.b}),
    )
    unlinked = row(money["by_priority"], achievements.NO_PRIORITY_LABEL)
    assert (D(unlinked["committed"]), D(unlinked["paid"]), D(unlinked["people_supported"])) == (
        d.c.amount,
        0,
        0,
    )
    # Every award once: B counts under both priorities above, once here.
    assert D(total["committed"]) == d.a.amount + d.b.amount + d.c.amount
    assert D(total["paid"]) == sum(d.paid.values())
    assert D(total["people_supported"]) == people(None)
    assert [r["label"] for r in money["by_stream"]][0] == "Victim Services"
    assert D(row(money["by_stream"], "Victim Services")["committed"]) == D(total["committed"])

    # Cost per outcome: money paid over the outcome count, never a division by nothing.
    assert D(victims["cost_per_person"]) == (D("15000") / 597).quantize(D("0.01"))
    recovered = sum(w[3][0] for w in accepted_rows(d, awards={d.a, d.b}))
    assert D(victims["recovered"]) == recovered == 115
    assert D(victims["cost_per_recovery"]) == (D("15000") / recovered).quantize(D("0.01"))
    assert unlinked["cost_per_person"] is None and unlinked["cost_per_recovery"] is None

    # Outcomes: a rate is every numerator over every denominator, never an average of percentages.
    outcomes = {o["key"]: o for o in report.content["outcomes"]}
    accepted = accepted_rows(d)
    numerator, denominator = sum(w[3][0] for w in accepted), sum(w[3][1] for w in accepted)
    cope = outcomes["better-able-to-cope-and-recover"]
    assert (D(cope["numerator"]), D(cope["denominator"])) == (numerator, denominator) == (115, 139)
    assert D(cope["rate"]) == (D(numerator) / D(denominator) * 100).quantize(D("0.1"))
    assert D(outcomes["people-supported"]["value"]) == people(None)
    # How complete: A's Q3 was sent but never accepted, C sent nothing.
    assert (report.content["returns_accepted"], report.content["returns_expected"]) == (len(accepted), 12)


def test_the_report_and_the_outcomes_dashboard_agree(data):
    d = data
    report = service.create_report(by=d.officer, start_year=2026, first_quarter=1, last_quarter=4)
    report = made(report, d.officer)
    dashboard, total = achievements.achievements("priority", achievements.AchievementFilters(start_year=2026))
    for shown, counted in zip(report.content["money"]["by_priority"], dashboard, strict=True):
        assert (shown["label"], D(shown["committed"]), D(shown["paid"]), D(shown["people_supported"])) == (
            counted.label,
            counted.committed,
            counted.paid,
            counted.people_supported,
        )
        assert shown["cost_per_person"] == (
            None if counted.cost_per_person is None else str(counted.cost_per_person)
        )
    assert D(report.content["money"]["total"]["paid"]) == total.paid


def test_part_of_a_year_adds_up_its_quarters_and_gives_no_cost_per_outcome(data):
    d = data
    report = service.create_report(by=d.officer, start_year=2026, first_quarter=1, last_quarter=2)
    report = made(report, d.officer)
    assert (
        report.title == "Commissioning report to the Police and Crime Panel: 2026/27 first half (Q1 and Q2)"
    )
    first_half = accepted_rows(d, quarters=(1, 2))
    outcomes = {o["key"]: o for o in report.content["outcomes"]}
    assert D(outcomes["people-supported"]["value"]) == sum(w[2] for w in first_half) == 590
    cope = outcomes["better-able-to-cope-and-recover"]
    assert (D(cope["numerator"]), D(cope["denominator"])) == (
        sum(w[3][0] for w in first_half),
        sum(w[3][1] for w in first_half),
    )
    # Money is the year's, whatever part of it: cost per outcome is for a whole year only.
    total = report.content["money"]["total"]
    assert D(total["paid"]) == sum(d.paid.values())
    assert total["cost_per_person"] is None
    assert [c["quarter"] for c in report.content["completeness"]] == ["Q1 2026/27", "Q2 2026/27"]
    assert (report.content["returns_accepted"], report.content["returns_expected"]) == (len(first_half), 6)
    # B's red return is in Q4: not this period's.
    assert report.content["red_awards"] == []


# ---- Red awards and what is being done ------------------------------------------------------------------------------


def test_awards_flagged_red_come_with_what_is_being_done(data):
    d = data
    report = service.create_report(by=d.officer, start_year=2026, first_quarter=1, last_quarter=4)
    rows = selectors.red_awards_section(report, TODAY)
    assert [r["reference"] for r in rows] == [d.b.reference]
    [b] = rows
    assert b["red_quarters"] == [
        {"quarter": "Q4 2026/27", "comments": "Below target: improvement plan agreed with the provider."}
    ]
    assert b["visits"][0]["actions"] == "Monthly check-ins until the next return."
    assert b["nothing_recorded"] is False


def test_red_awards_take_a_fixed_number_of_queries(data):
    d = data
    report = service.create_report(by=d.officer, start_year=2026, first_quarter=1, last_quarter=4)

    def count():
        with CaptureQueriesContext(connection) as queries:
            rows = selectors.red_awards(report, TODAY)
        return len(queries), len(rows)

    one = count()
    # Make A red too, with a visit: one more award in the list, no more queries.
    QuarterlyReturn.objects.filter(award=d.a, quarter=2).update(rag="red")
    GrantVisit.objects.create(award=d.a, scheduled_for=TODAY + timedelta(days=3), officer=d.officer)
    two = count()
    assert (one[1], two[1]) == (1, 2)
    assert one[0] == two[0]


# ---- Case studies: accepted returns only, in the officer's words ---------------------------------------------------


def test_case_studies_come_only_from_accepted_returns_of_the_period(data, client):
    d = data
    report = service.create_report(by=d.officer, start_year=2026, first_quarter=1, last_quarter=3)
    offered = set(selectors.case_study_candidates(report))
    assert offered == {d.returns[(d.a.pk, 1)], d.returns[(d.a.pk, 2)], d.returns[(d.b.pk, 1)]}
    sent_only = d.returns[(d.a.pk, 3)]  # submitted, never accepted
    with pytest.raises(ValidationError, match="accepted"):
        service.add_case_study(report=report, quarterly_return=sent_only, heading="H", text="T", by=d.officer)
    outside = d.returns[(d.b.pk, 4)]  # accepted, but Q4 is outside the period
    with pytest.raises(ValidationError, match="accepted"):
        service.add_case_study(report=report, quarterly_return=outside, heading="H", text="T", by=d.officer)
    assert not PanelCaseStudy.objects.exists()

    sign_in(client, d.officer)
    page = client.get(f"/dashboard/panel-reports/{report.pk}/case-studies/choose/").content.decode()
    assert "Case study of Outreach A in Q1" in page and "Case study of Outreach A in Q3" not in page
    assert (
        client.get(
            f"/dashboard/panel-reports/{report.pk}/case-studies/from-return/{sent_only.pk}/"
        ).status_code
        == 404
    )


def test_the_officer_edits_the_words_and_bad_ones_are_refused(data, client):
    d = data
    report = service.create_report(by=d.officer, start_year=2026, first_quarter=1, last_quarter=2)
    ret = d.returns[(d.a.pk, 1)]
    sign_in(client, d.officer)
    url = f"/dashboard/panel-reports/{report.pk}/case-studies/from-return/{ret.pk}/"
    form = client.get(url).content.decode()
    assert "Case study of Outreach A in Q1" in form  # the provider's words, to start from
    response = client.post(url, {"heading": "", "text": "word " * (service.MAX_CASE_STUDY_WORDS + 1)})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter a heading for the case study" in page
    assert f"The case study must be {service.MAX_CASE_STUDY_WORDS} words or fewer" in page
    assert page.index("govuk-error-summary") < page.index("Enter a heading")
    assert not PanelCaseStudy.objects.exists()
    response = client.post(url, {"heading": "Safe at home", "text": "Someone felt safe at home again."})
    assert response.status_code == 302
    study = PanelCaseStudy.objects.get()
    assert (study.quarterly_return, study.text) == (ret, "Someone felt safe at home again.")
    # The same return twice is refused; the choice no longer offers it.
    with pytest.raises(ValidationError, match="already in the report"):
        service.add_case_study(
            report=report, quarterly_return=ret, heading="Again", text="Again", by=d.officer
        )
    assert ret not in selectors.case_study_candidates(report)


def test_a_report_holds_a_limited_number_of_case_studies(data):
    d = data
    report = service.create_report(by=d.officer, start_year=2026, first_quarter=1, last_quarter=2)
    with mock.patch.object(service, "MAX_CASE_STUDIES", 1):
        service.add_case_study(
            report=report, quarterly_return=d.returns[(d.a.pk, 1)], heading="One", text="One", by=d.officer
        )
        with pytest.raises(ValidationError, match="up to 1 case studies"):
            service.add_case_study(
                report=report,
                quarterly_return=d.returns[(d.a.pk, 2)],
                heading="Two",
                text="Two",
                by=d.officer,
            )


def test_the_choice_of_case_studies_takes_the_same_queries_for_more_returns(data, client):
    d = data
    report = service.create_report(by=d.officer, start_year=2026, first_quarter=1, last_quarter=4)
    sign_in(client, d.officer)
    url = f"/dashboard/panel-reports/{report.pk}/case-studies/choose/"
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    for title in ("Extra D", "Extra E", "Extra F"):
        extra = monitored_award(
            d.c.organisation, amount="1000", title=title, today=TODAY, schedule="in_advance"
        )
        QuarterlyReturn.objects.filter(pk=the_return(extra, 1, 2026).pk).update(
            status="accepted", case_studies="More words."
        )
    with CaptureQueriesContext(connection) as large:
        page = client.get(url).content.decode()
    assert page.count("More words.") == 3
    assert len(large) == len(small)


# ---- Making the report in the background -------------------------------------------------------------------------


def test_the_background_task_records_its_progress_and_stores_the_pdf(
    data, client, django_capture_on_commit_callbacks
):
    d = data
    report = service.create_report(by=d.officer, start_year=2026, first_quarter=1, last_quarter=4)
    seen = []
    real = service._progress

    def watch(report_, done):
        real(report_, done)
        stored = PanelReport.objects.get(pk=report_.pk)
        seen.append((stored.status, stored.steps_done, stored.steps_total, stored.step))

    sign_in(client, d.officer)
    with mock.patch.object(service, "_progress", watch), django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/dashboard/panel-reports/{report.pk}/make/")
    assert response.status_code == 302
    steps = len(service.STEPS)
    assert [s[1] for s in seen] == list(range(1, steps))
    assert all(s[0] == "generating" and s[2] == steps for s in seen)
    assert seen[0][3] == service.STEPS[1]
    report.refresh_from_db()
    assert (report.status, report.steps_done, report.percent) == ("ready", steps, 100)
    assert report.requested_by == d.officer and report.finished_at is not None
    data_ = _pdf_bytes(report)
    assert report.document.sha256 == hashlib.sha256(data_).hexdigest() and data_.startswith(b"%PDF")

    # The task again (a repeated delivery) makes nothing new: the report is not waiting.
    documents = Document.objects.count()
    service.run_generation(report.pk)
    report.refresh_from_db()
    assert Document.objects.count() == documents and report.status == "ready"

    # Made again: one PDF per report, the new one.
    old = report.document_id
    report = made(report, d.officer)
    assert report.document_id != old and not Document.objects.filter(pk=old).exists()


def test_the_page_reloads_itself_while_the_report_is_being_made(data, client):
    d = data
    report = service.create_report(by=d.officer, start_year=2026, first_quarter=1, last_quarter=4)
    # Queued, with the task not yet run (no commit in the test's transaction).
    service.request_generation(report=report, by=d.officer)
    sign_in(client, d.head)
    response = client.get(f"/dashboard/panel-reports/{report.pk}/")
    assert response["Refresh"] == "3"
    page = response.content.decode()
    assert (
        "Waiting to start" in page and 'aria-live="polite"' in page and "Stop checking automatically" in page
    )
    assert "Make the report again" not in page  # no second run while one is waiting
    assert "Refresh" not in client.get(f"/dashboard/panel-reports/{report.pk}/?watch=off")
    with pytest.raises(ValidationError, match="already being made"):
        service.request_generation(report=report, by=d.officer)
    # A run whose worker died long ago can be asked for again.
    PanelReport.objects.filter(pk=report.pk).update(requested_at=timezone.now() - timedelta(hours=1))
    report.refresh_from_db()
    assert service.request_generation(report=report, by=d.officer).status == "queued"


def test_a_failure_is_recorded_with_its_reason_and_can_be_tried_again(data, client):
    d = data
    report = service.create_report(by=d.officer, start_year=2026, first_quarter=1, last_quarter=4)
    with mock.patch("reporting.services.panel_pdf.render_pdf", side_effect=OSError("the disk is full")):
        report = made(report, d.officer)
    assert report.status == "failed" and "the disk is full" in report.problem
    assert report.document is None
    sign_in(client, d.officer)
    page = client.get(f"/dashboard/panel-reports/{report.pk}/").content.decode()
    assert (
        "The report could not be made" in page
        and "the disk is full" in page
        and "Make the report again" in page
    )
    assert client.get(f"/dashboard/panel-reports/{report.pk}/download/").status_code == 404
    report = made(report, d.officer)
    assert report.status == "ready" and report.problem == ""


# ---- Setting a report up: every problem with the period at once -------------------------------------------------


@pytest.mark.parametrize(
    "posted, errors",
    [
        (
            {"start_year": "2026", "period": "quarters", "first_quarter": "3", "last_quarter": "2"},
            ["The last quarter must be the same as or after the first quarter"],
        ),
        (
            {"start_year": "2027", "period": "h1"},
            [
                "The period must have ended: Q2 2027/28 ends on 30 September 2027. The latest quarter that has ended is "
                "Q4 2026/27 (January to March)"
            ],
        ),
        (
            {"start_year": "", "period": ""},
            ["Select the financial year", "Select the period the report covers"],
        ),
        (
            {"start_year": "2026", "period": "quarters"},
            ["Select the first quarter of the period", "Select the last quarter of the period"],
        ),
    ],
)
def test_a_bad_period_is_refused_with_every_error_and_nothing_saved(world, client, posted, errors):
    from tests.funding.factories import approved_year

    approved_year(2026)
    approved_year(2027)
    sign_in(client, world.users[Role.COMMISSIONING_OFFICER])
    response = client.post("/dashboard/panel-reports/new/", posted)
    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page
    summary = page[page.index("govuk-error-summary") : page.index("</ul>", page.index("govuk-error-summary"))]
    for error in errors:
        assert error in summary
    assert not PanelReport.objects.exists()


def test_an_officer_sets_up_a_whole_year_report(world, client):
    from tests.funding.factories import approved_year

    approved_year(2026)
    sign_in(client, world.users[Role.COMMISSIONING_OFFICER])
    response = client.post(
        "/dashboard/panel-reports/new/", {"start_year": "2026", "period": "fy", "title": ""}
    )
    report = PanelReport.objects.get()
    assert response["Location"] == f"/dashboard/panel-reports/{report.pk}/"
    assert (report.first_quarter, report.last_quarter, report.status) == (1, 4, "draft")
    assert report.title == "Commissioning report to the Police and Crime Panel: 2026/27 (the whole year)"


# ---- The PDF and the page say the same, and the PDF looks right -----------------------------------------------------


@pytest.fixture
def ready_report(data):
    d = data
    report = service.create_report(by=d.officer, start_year=2026, first_quarter=1, last_quarter=4)
    service.add_case_study(
        report=report,
        quarterly_return=d.returns[(d.a.pk, 2)],
        heading="Safe at home again",
        text="After a burglary someone was afraid at home; with practical help they felt safe again.",
        by=d.officer,
    )
    return made(report, d.officer)


def _pdf_bytes(report) -> bytes:
    with report.document.file.open("rb") as handle:
        return handle.read()


def test_the_pdf_has_the_headings_and_figures(ready_report, data):
    report = ready_report
    reader = PdfReader(io.BytesIO(_pdf_bytes(report)))
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    for heading in (
        "Commissioning report to the Police and Crime Panel",
        "Summary",
        "Spend by Plan priority and stream",
        "Outcomes achieved",
        "Cost per outcome",
        "Awards flagged red and what is being done",
        "Case studies",
        "Office of the West Mercia Police and Crime Commissioner",
    ):
        assert heading in text, heading
    assert "£70,000.00" in text and "£15,000.00" in text  # committed and paid, every award once
    assert "£25.13" in text  # cost per person supported, victims first
    assert "115 of 139 service users" in text and "82.7%" in text
    assert "Not available" in text  # the priority nobody was counted for
    assert "Helpline B" in text and "improvement plan agreed with the provider" in text
    assert "Monthly check-ins until the next return" in text
    # The officer's words, not the provider's.
    assert "with practical help they felt safe again" in text and "Case study of Outreach A in Q2" not in text
    assert "1 April 2026 to 31 March 2027" in text


def test_the_page_shows_what_the_pdf_says(ready_report, data, client):
    d, report = data, ready_report
    sign_in(client, d.head)
    page = client.get(f"/dashboard/panel-reports/{report.pk}/").content.decode()
    for shown in (
        "£70,000.00",
        "£15,000.00",
        "£25.13",
        "115 of 139 service users",
        "82.7%",
        "Helpline B",
        "Monthly check-ins until the next return",
        "Safe at home again",
        report.document.sha256,
    ):
        assert shown in page, shown
    download = client.get(f"/dashboard/panel-reports/{report.pk}/download/")
    assert download.status_code == 200 and download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"].startswith("attachment;")
    assert b"".join(download.streaming_content) == _pdf_bytes(report)
    # A change to the case studies after it was made is flagged until it is made again.
    service.change_case_study(
        study=report.case_studies.get(), heading="Safe again", text="Shorter words.", by=d.officer
    )
    page = client.get(f"/dashboard/panel-reports/{report.pk}/").content.decode()
    assert "The case studies changed after this report was made" in page


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) draws the pages")
def test_the_pdf_pages_draw_as_a4_images_with_content(ready_report, tmp_path):
    """Each page drawn as an image, kept in test-results/panel-report/ for a person to look at."""
    from PIL import Image

    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(_pdf_bytes(ready_report))
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(pdf), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == len(PdfReader(str(pdf)).pages) >= 2
    PNG_FOLDER.mkdir(parents=True, exist_ok=True)
    for path in pages:
        image = Image.open(path).convert("L")
        width, height = image.size
        assert abs(height / width - 297 / 210) < 0.01  # A4 portrait
        dark = sum(image.histogram()[:128])
        assert dark > width * height * 0.005, f"{path.name} looks blank"
        shutil.copy(path, PNG_FOLDER / path.name)


def test_the_list_and_a_report_page_take_the_same_queries_for_more_reports_and_case_studies(data, client):
    d = data
    report = service.create_report(by=d.officer, start_year=2026, first_quarter=1, last_quarter=4)
    service.add_case_study(
        report=report, quarterly_return=d.returns[(d.a.pk, 1)], heading="One", text="One.", by=d.officer
    )
    PanelReport.objects.create(
        title="Another", start_year=2026, first_quarter=1, last_quarter=1, created_by=d.officer
    )
    sign_in(client, d.officer)
    pages = ["/dashboard/panel-reports/", f"/dashboard/panel-reports/{report.pk}/"]
    for url in pages:
        client.get(url)

    def queries():
        counts = []
        for url in pages:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            counts.append(len(captured))
        return counts

    small = queries()
    PanelReport.objects.bulk_create(
        [
            PanelReport(
                title=f"Report {i}",
                start_year=2026,
                first_quarter=1,
                last_quarter=2,
                created_by=d.officer,
                requested_by=d.head,
            )
            for i in range(30)
        ]
    )
    for key in ((d.a.pk, 2), (d.b.pk, 1), (d.b.pk, 4)):
        service.add_case_study(
            report=report, quarterly_return=d.returns[key], heading="More", text="More words.", by=d.officer
        )
    assert queries() == small
