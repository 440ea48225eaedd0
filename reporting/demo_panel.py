"""Demo Police and Crime Panel reports: last financial year's report, made, with two case studies an officer took
from accepted returns and rewrote; and this year's first half set up and waiting for its case studies, for someone to
try. Idempotent: each report is looked for by its period first, and a made report is never made again."""

from datetime import date

from opcc.calendar import financial_year_of
from reporting.models import PanelReport
from reporting.selectors import panel_report as selectors
from reporting.services import panel_report as service

CASE_STUDIES = [
    (
        "Feeling safe at home again",
        "Someone referred after a burglary was too anxious to stay at home. Over six weeks their caseworker arranged a "
        "home security visit and practical support. At the end they said they felt safe in their own home again.",
    ),
    (
        "Believed, and back at work",
        "A victim of stalking had stopped going to work. Their advocate helped them report each incident, plan safer "
        "journeys and talk to their employer. By the time support ended they were back at work and sleeping again.",
    ),
]


def _report(officer, start_year: int, first: int, last: int, today: date) -> PanelReport | None:
    report = PanelReport.objects.filter(start_year=start_year, first_quarter=first, last_quarter=last).first()
    if report is not None:
        return report
    if service.period_problems(start_year=start_year, first_quarter=first, last_quarter=last, today=today):
        return None  # no such year in the demo, or the period has not ended
    return service.create_report(
        by=officer, start_year=start_year, first_quarter=first, last_quarter=last, today=today
    )


def load(officer, today: date) -> str:
    year = financial_year_of(today)
    last_year = _report(officer, year - 1, 1, 4, today)
    if last_year is not None and last_year.status == PanelReport.Status.DRAFT:
        for (heading, text), ret in zip(
            CASE_STUDIES, selectors.case_study_candidates(last_year)[:2], strict=False
        ):
            service.add_case_study(
                report=last_year, quarterly_return=ret, heading=heading, text=text, by=officer
            )
        # Made in the background once the demo is saved (in-process without a broker).
        service.request_generation(report=last_year, by=officer)
    first_half = _report(officer, year, 1, 2, today)
    return (
        f"{PanelReport.objects.count()} Police and Crime Panel reports" if (last_year or first_half) else ""
    )
