"""Performance against targets: RAG per measure, per return and per award. The thresholds are data
(MonitoringSettings: green at or above 100% of target, amber at or above 80%, else red).

A return's overall figure is the average achievement across measures that have a target, each capped
at 100% so that beating one target never hides missing another.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from funding.hooks import AwardPerformance
from funding.models import Award
from opcc.calendar import Quarter
from reporting import calendar
from reporting.models import (
    RAG,
    Measure,
    MeasureKind,
    MonitoringSettings,
    QuarterlyReturn,
    ReturnAnswer,
    ReturnStatus,
)

HUNDRED = Decimal("100")


@dataclass
class MeasureResult:
    measure: Measure
    value: Decimal | None
    text: str
    percent: Decimal | None
    rag: str | None
    # A rate's two numbers, when it was answered with them (older answers hold only the percentage).
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    # The target the value is judged against: the quarterly target, or for a count in an end-of-project report
    # (which covers every quarter of the award) the quarterly target times the quarters.
    target: Decimal | None = None


def rate(percent: Decimal | None, settings: MonitoringSettings) -> str | None:
    if percent is None:
        return None
    if percent >= settings.green_at_percent:
        return RAG.GREEN
    if percent >= settings.amber_at_percent:
        return RAG.AMBER
    return RAG.RED


def target_for(measure: Measure, quarters: int = 1) -> Decimal | None:
    """The target for a return covering `quarters` quarters (an end-of-project report covers them all). A count that
    adds up (mapped to a shared indicator, which sums) has the quarterly target times the quarters; a percentage or a
    star reading keeps its own; any other count (a level such as volunteers in post, or the service's own measure)
    has none, since neither its quarterly target nor a multiple of it would judge it fairly."""
    if not measure.has_target:
        return None
    if quarters == 1 or measure.kind != MeasureKind.COUNT:
        return measure.quarterly_target
    return measure.quarterly_target * quarters if measure.indicator_id is not None else None


def percent_of_target(measure: Measure, value: Decimal | None, quarters: int = 1) -> Decimal | None:
    target = target_for(measure, quarters)
    if value is None or target is None:
        return None
    return (Decimal(value) / target * HUNDRED).quantize(Decimal("0.1"))


def quarters_covered(quarterly_return: QuarterlyReturn) -> int:
    """How many quarters a return reports on: one, or every quarter of the award for an end-of-project report."""
    if not quarterly_return.is_end_of_project:
        return 1
    award = quarterly_return.award
    return calendar.quarters_in(award.start_date, award.end_date)


def measure_results(measures, answers, settings=None, *, quarters: int = 1) -> list[MeasureResult]:
    settings = settings or MonitoringSettings.current()
    by_measure = {a.measure_id: a for a in answers}
    results = []
    for m in measures:
        answer = by_measure.get(m.pk)
        value = answer.value if answer else None
        percent = percent_of_target(m, value, quarters)
        results.append(
            MeasureResult(
                m,
                value,
                answer.text if answer else "",
                percent,
                rate(percent, settings),
                answer.numerator if answer else None,
                answer.denominator if answer else None,
                target_for(m, quarters),
            )
        )
    return results


def overall(results: list[MeasureResult], settings=None) -> tuple[Decimal | None, str | None]:
    settings = settings or MonitoringSettings.current()
    rated = [min(r.percent, HUNDRED) for r in results if r.percent is not None]
    if not rated:
        return None, None
    average = (sum(rated) / len(rated)).quantize(Decimal("0.1"))
    return average, rate(average, settings)


def results_for_return(quarterly_return: QuarterlyReturn, settings=None):
    measures = list(Measure.objects.filter(framework__award_id=quarterly_return.award_id))
    answers = list(ReturnAnswer.objects.filter(quarterly_return=quarterly_return))
    results = measure_results(measures, answers, settings, quarters=quarters_covered(quarterly_return))
    return results, overall(results, settings)


def return_rag(quarterly_return: QuarterlyReturn) -> str | None:
    _results, (_percent, rag) = results_for_return(quarterly_return)
    return rag


def is_persistently_red(accepted_rags_newest_first: list[str], settings=None) -> bool:
    settings = settings or MonitoringSettings.current()
    n = settings.persistent_red_quarters
    return len(accepted_rags_newest_first) >= n and all(r == RAG.RED for r in accepted_rags_newest_first[:n])


def award_performance(award: Award) -> AwardPerformance | None:
    """What monitoring knows about an award, for pages higher up (commissioning's Review stage).
    None when the award has no returns yet (the caller says so honestly)."""
    returns = list(
        QuarterlyReturn.objects.filter(award_id=award.pk)
        .order_by("-quarter_start_year", "-quarter")
        .values("pk", "quarter_start_year", "quarter", "status", "rag", "due_date")
    )
    if not returns:
        return None
    settings = MonitoringSettings.current()
    today = timezone.localdate()
    accepted = [r for r in returns if r["status"] == ReturnStatus.ACCEPTED]
    rags = [r["rag"] for r in accepted if r["rag"]]
    latest = rags[0] if rags else None
    red = is_persistently_red(rags, settings)

    if latest is None:
        summary = "No quarterly return has been accepted yet."
    else:
        # Pages show the rating as a tag just before this sentence, so it does not repeat it.
        summary = (
            f"Rated at the latest accepted return; {len(accepted)} of {len(returns)} "
            f"return{'s' if len(returns) != 1 else ''} accepted."
        )
        if red:
            summary += (
                f" Persistently red: red in the last {settings.persistent_red_quarters} accepted quarters."
            )
    return {
        "rag": latest,
        "persistently_red": red,
        "summary": summary,
        "returns": [
            {
                "quarter": Quarter(r["quarter_start_year"], r["quarter"]).short_label,
                "status": r["status"],
                "rag": r["rag"] or None,
                "due_date": r["due_date"],
                "id": r["pk"],
                # Overdue is QuarterlyReturn.is_overdue's rule: not sent, and past its due date.
                "overdue": r["status"] in QuarterlyReturn.NOT_SENT and r["due_date"] < today,
                "days_overdue": (today - r["due_date"]).days
                if r["status"] in QuarterlyReturn.NOT_SENT and r["due_date"] < today
                else 0,
            }
            for r in returns
        ],
        "url": f"/monitoring/awards/{award.pk}/",
    }
