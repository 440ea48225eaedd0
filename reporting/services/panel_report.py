"""The Police and Crime Panel report: setting one up for a period, choosing its case studies from accepted returns,
and making it (figures frozen into the report, then the PDF) in the background with its progress recorded.

Making the report is idempotent: the Celery task does its work only for a report waiting to start (the row is
locked while it checks), so a task delivered twice makes one report. A run that dies half way is taken over by
the next request after `STALE_AFTER`."""

import logging
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from funding.models import FinancialYear
from opcc.calendar import Quarter
from opcc.permissions import require_perm
from opcc.services import documents
from opcc.types import Actor
from reporting.models import PanelCaseStudy, PanelReport, QuarterlyReturn, ReturnStatus
from reporting.models.panel import period_label
from reporting.selectors import panel_report as selectors
from reporting.services import panel_pdf

logger = logging.getLogger(__name__)

# What making a report does, in order: the page shows the step and how many are done.
STEPS = [
    "Adding up the money by Plan priority and stream",
    "Adding up the outcomes",
    "Finding the awards flagged red",
    "Gathering the case studies",
    "Laying out the PDF",
    "Storing the PDF",
]
STALE_AFTER = timedelta(minutes=15)
MAX_CASE_STUDIES = 8
MAX_CASE_STUDY_WORDS = 400
PURPOSE = "panel_report"


def default_title(start_year: int, first: int, last: int) -> str:
    return f"Commissioning report to the Police and Crime Panel: {period_label(start_year, first, last)}"


def period_problems(
    *, start_year: int | None, first_quarter: int | None, last_quarter: int | None, today: date
) -> dict:
    """Every problem with a period at once: a year the office has no figures for, an end before its start, or a
    period that has not ended yet (its returns are not even due)."""
    errors = {}
    if start_year is None:
        errors["start_year"] = "Select the financial year"
    elif not FinancialYear.objects.filter(start_year=start_year).exists():
        errors["start_year"] = (
            f"There are no figures for {start_year}/{str(start_year + 1)[-2:]}: select another year"
        )
    for name, value, words in (
        ("first_quarter", first_quarter, "first"),
        ("last_quarter", last_quarter, "last"),
    ):
        if value not in (1, 2, 3, 4):
            errors.setdefault(name, f"Select the {words} quarter of the period")
    if errors:
        return errors
    if last_quarter < first_quarter:
        errors["last_quarter"] = "The last quarter must be the same as or after the first quarter"
        return errors
    end = Quarter(start_year, last_quarter)
    if end.end >= today:
        latest = Quarter(start_year, last_quarter)
        while latest.end >= today:
            latest = latest.previous()
        errors["last_quarter"] = (
            f"The period must have ended: {end.short_label} ends on {end.end:%-d %B %Y}. "
            f"The latest quarter that has ended is {latest.label}"
        )
    return errors


@transaction.atomic
def create_report(
    *,
    by: Actor,
    start_year: int,
    first_quarter: int,
    last_quarter: int,
    title: str = "",
    today: date | None = None,
) -> PanelReport:
    require_perm(by, "reporting.add_panelreport")
    today = today or timezone.localdate()
    errors = period_problems(
        start_year=start_year, first_quarter=first_quarter, last_quarter=last_quarter, today=today
    )
    if errors:
        raise ValidationError(errors)
    report = PanelReport(
        start_year=start_year,
        first_quarter=first_quarter,
        last_quarter=last_quarter,
        title=(title or "").strip() or default_title(start_year, first_quarter, last_quarter),
        created_by=by,
    )
    report.full_clean()
    report.save()
    return report


# ---- Case studies ---------------------------------------------------------------------------------------------


def _words(text: str) -> int:
    return len(text.split())


def case_study_problems(*, heading: str, text: str) -> dict:
    errors = {}
    if not heading.strip():
        errors["heading"] = "Enter a heading for the case study"
    elif len(heading.strip()) > 120:
        errors["heading"] = "The heading must be 120 characters or fewer"
    if not text.strip():
        errors["text"] = "Enter the case study as it should appear in the report"
    elif _words(text) > MAX_CASE_STUDY_WORDS:
        errors["text"] = (
            f"The case study must be {MAX_CASE_STUDY_WORDS} words or fewer: it is {_words(text)} words"
        )
    return errors


def _lock_for_editing(report: PanelReport) -> PanelReport:
    locked = PanelReport.objects.select_for_update().get(pk=report.pk)
    if locked.is_running and not _is_stale(locked):
        raise ValidationError(
            "The report is being made: wait until it is ready, then change its case studies and make it again"
        )
    return locked


@transaction.atomic
def add_case_study(
    *, report: PanelReport, quarterly_return: QuarterlyReturn, heading: str, text: str, by: Actor
) -> PanelCaseStudy:
    """Take a case study from an accepted return of the report's period, in the officer's edited words."""
    require_perm(by, "reporting.change_panelreport", report)
    locked = _lock_for_editing(report)
    ret = QuarterlyReturn.objects.select_for_update().get(pk=quarterly_return.pk)
    in_period = (
        ret.quarter_start_year == locked.start_year
        and locked.first_quarter <= ret.quarter <= locked.last_quarter
    )
    # Only an accepted return's words may reach the Panel; one sent back or not yet reviewed never does.
    if ret.status != ReturnStatus.ACCEPTED or not in_period:
        raise ValidationError(
            "Case studies can only come from returns of the report's period that have been accepted"
        )
    if locked.case_studies.filter(quarterly_return=ret).exists():
        raise ValidationError("This return's case study is already in the report: change it there")
    if locked.case_studies.count() >= MAX_CASE_STUDIES:
        raise ValidationError(f"A report can have up to {MAX_CASE_STUDIES} case studies: remove one first")
    errors = case_study_problems(heading=heading, text=text)
    if errors:
        raise ValidationError(errors)
    position = (locked.case_studies.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    study = PanelCaseStudy(
        report=locked,
        quarterly_return=ret,
        heading=heading.strip(),
        text=text.strip(),
        position=position,
        added_by=by,
    )
    study.full_clean()
    study.save()
    _edited(locked)
    return study


@transaction.atomic
def change_case_study(*, study: PanelCaseStudy, heading: str, text: str, by: Actor) -> PanelCaseStudy:
    require_perm(by, "reporting.change_panelreport", study.report)
    locked = _lock_for_editing(study.report)
    errors = case_study_problems(heading=heading, text=text)
    if errors:
        raise ValidationError(errors)
    study = PanelCaseStudy.objects.select_for_update().get(pk=study.pk, report=locked)
    study.heading, study.text = heading.strip(), text.strip()
    study.full_clean()
    study.save()
    _edited(locked)
    return study


@transaction.atomic
def remove_case_study(*, study: PanelCaseStudy, by: Actor) -> None:
    require_perm(by, "reporting.change_panelreport", study.report)
    locked = _lock_for_editing(study.report)
    PanelCaseStudy.objects.filter(pk=study.pk, report=locked).delete()
    _edited(locked)


def _edited(report: PanelReport) -> None:
    report.edited_at = timezone.now()
    report.save(update_fields=["edited_at"])


# ---- Making the report -------------------------------------------------------------------------------------------


def _is_stale(report: PanelReport) -> bool:
    """A run that began (or was asked for) long ago and never finished: its worker died."""
    since = report.started_at if report.status == PanelReport.Status.GENERATING else report.requested_at
    return since is not None and timezone.now() - since > STALE_AFTER


@transaction.atomic
def request_generation(*, report: PanelReport, by: Actor) -> PanelReport:
    """Queue the report to be made (again) in the background, after this transaction commits."""
    require_perm(by, "reporting.change_panelreport", report)
    locked = PanelReport.objects.select_for_update().get(pk=report.pk)
    if locked.is_running and not _is_stale(locked):
        raise ValidationError("The report is already being made: its progress is shown on its page")
    locked.status, locked.step, locked.problem = PanelReport.Status.QUEUED, "Waiting to start", ""
    locked.steps_done, locked.steps_total = 0, len(STEPS)
    locked.requested_by, locked.requested_at, locked.started_at, locked.finished_at = (
        by,
        timezone.now(),
        None,
        None,
    )
    locked.save(
        update_fields=[
            "status",
            "step",
            "problem",
            "steps_done",
            "steps_total",
            "requested_by",
            "requested_at",
            "started_at",
            "finished_at",
        ]
    )
    from reporting.tasks import generate_panel_report  # noqa: PLC0415 - the tasks module imports this one

    transaction.on_commit(lambda: generate_panel_report.delay(locked.pk))
    return locked


def _claim(report_id: int) -> PanelReport | None:
    """Take the report for this run: only one waiting to start (or a run that died), so a repeat does nothing."""
    with transaction.atomic():
        report = PanelReport.objects.select_for_update().filter(pk=report_id).first()
        if report is None:
            return None
        waiting = report.status == PanelReport.Status.QUEUED
        if not waiting and not (report.status == PanelReport.Status.GENERATING and _is_stale(report)):
            return None
        report.status, report.started_at, report.steps_done = PanelReport.Status.GENERATING, timezone.now(), 0
        report.steps_total, report.step = len(STEPS), STEPS[0]
        report.save(update_fields=["status", "started_at", "steps_done", "steps_total", "step"])
        return report


def _progress(report: PanelReport, done: int) -> None:
    report.steps_done = done
    report.step = STEPS[done] if done < len(STEPS) else "Finishing"
    PanelReport.objects.filter(pk=report.pk).update(steps_done=done, step=report.step)


def run_generation(report_id: int, *, today: date | None = None) -> PanelReport | None:
    """The Celery task's work: freeze the figures into the report, lay out the PDF and store it, recording each
    step. A failure is recorded on the report with its reason; the officer can make it again."""

    report = _claim(report_id)
    if report is None:
        return PanelReport.objects.filter(pk=report_id).first()
    today = today or timezone.localdate()
    try:
        content = {
            "made_on": today.isoformat(),
            "period": report.period_label,
            "period_dates": report.period_dates,
        }
        figures = selectors.period_figures(report)
        content["money"] = selectors.money_section(figures)
        _progress(report, 1)
        content.update(selectors.outcomes_section(figures))
        _progress(report, 2)
        content["red_awards"] = selectors.red_awards_section(report, today)
        _progress(report, 3)
        content["case_studies"] = selectors.case_studies_section(report)
        _progress(report, 4)
        pdf = panel_pdf.render_pdf(report=report, content=content)
        _progress(report, 5)
        with transaction.atomic():
            locked = PanelReport.objects.select_for_update().get(pk=report.pk)
            previous = locked.document
            locked.document = documents.store_bytes(
                data=pdf,
                kind=documents.PDF,
                original_name=f"panel-report-{_slug(report)}.pdf",
                attached_to=locked,
                by=locked.requested_by,
                purpose=PURPOSE,
                title=report.title,
            )
            locked.content, locked.status, locked.finished_at = (
                content,
                PanelReport.Status.READY,
                timezone.now(),
            )
            locked.steps_done, locked.step = len(STEPS), "Ready"
            locked.save(update_fields=["document", "content", "status", "finished_at", "steps_done", "step"])
            if previous is not None:
                # One PDF per report: the one that matches what the page shows.
                transaction.on_commit(lambda: documents.delete_document(previous))
        return locked
    except Exception as exc:  # noqa: BLE001 - recorded on the report for the officer; they can make it again
        logger.exception("Panel report %s could not be made", report_id)
        PanelReport.objects.filter(pk=report_id).update(
            status=PanelReport.Status.FAILED,
            problem=f"The report could not be made: {exc}"[:2000],
            finished_at=timezone.now(),
            step="Stopped",
        )
        return PanelReport.objects.get(pk=report_id)


def _slug(report: PanelReport) -> str:
    first, last = report.first_quarter, report.last_quarter
    quarters = f"q{first}" if first == last else f"q{first}-q{last}"
    return f"{report.start_year}-{str(report.start_year + 1)[-2:]}-{quarters}"
