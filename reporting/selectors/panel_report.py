"""Reads for the Police and Crime Panel report: the reports themselves, the returns an officer may take case
studies from, and the awards flagged red with what is being done about them.

The money and outcome figures come from `reporting.selectors.achievements` (the outcomes dashboard's own
figures), so the report and the dashboard never disagree."""

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery

from commissioning.models import ReviewDecision
from funding.models import Award
from opcc.money import ZERO
from reporting.models import (
    RAG,
    GrantVisit,
    MonitoringSettings,
    OutcomeIndicator,
    PanelCaseStudy,
    PanelReport,
    QuarterlyReturn,
    ReturnStatus,
)
from reporting.selectors import achievements
from reporting.services.performance import is_persistently_red


def reports() -> QuerySet:
    return PanelReport.objects.select_related("created_by", "requested_by", "document").order_by(
        "-created_at", "-id"
    )


def _in_period(report: PanelReport, prefix: str = "") -> Q:
    return Q(
        **{
            f"{prefix}quarter_start_year": report.start_year,
            f"{prefix}quarter__gte": report.first_quarter,
            f"{prefix}quarter__lte": report.last_quarter,
        }
    )


def _up_to_period_end(report: PanelReport) -> Q:
    return Q(quarter_start_year__lt=report.start_year) | Q(
        quarter_start_year=report.start_year, quarter__lte=report.last_quarter
    )


def accepted_returns(report: PanelReport) -> QuerySet:
    """Returns of the report's period that the office accepted: the only ones whose words the report may use."""
    return QuarterlyReturn.objects.filter(_in_period(report), status=ReturnStatus.ACCEPTED)


def case_study_candidates(report: PanelReport) -> QuerySet:
    """Accepted returns of the period with case studies, not already in the report: provider, service, quarter."""
    chosen = PanelCaseStudy.objects.filter(report=report, quarterly_return=OuterRef("pk"))
    return (
        accepted_returns(report)
        .exclude(case_studies="")
        .exclude(Exists(chosen))
        .select_related("award__organisation")
        .order_by("-quarter", "award__organisation__name", "award__reference", "pk")
    )


def case_studies(report: PanelReport) -> QuerySet:
    return report.case_studies.select_related("quarterly_return__award__organisation", "added_by").order_by(
        "position", "pk"
    )


# ---- Awards flagged red, and what is being done -------------------------------------------------------------


@dataclass
class RedAward:
    award: Award
    red_quarters: list  # [QuarterlyReturn] rated red in the period, newest first, with the officer's comments
    persistently_red: bool
    visits: list  # [GrantVisit] recorded since the period began, and any planned, newest first
    reviews: list = field(default_factory=list)  # commissioning review decisions since the period began

    @property
    def latest_red(self) -> QuarterlyReturn:
        return self.red_quarters[0]


def red_awards(report: PanelReport, today: date) -> list[RedAward]:
    """Awards whose latest accepted, rated return in the period is red, with the officer's comments on the red
    returns, the monitoring visits since the period began (findings and actions agreed) and those planned, and
    any contract review decision taken since. A fixed number of queries (five) whatever the number of awards."""
    latest = (
        QuarterlyReturn.objects.filter(_in_period(report), award=OuterRef("pk"), status=ReturnStatus.ACCEPTED)
        .exclude(rag="")
        .order_by("-quarter")
        .values("rag")[:1]
    )
    period_start = report.first.start
    rated = (
        QuarterlyReturn.objects.filter(_up_to_period_end(report), status=ReturnStatus.ACCEPTED)
        .exclude(rag="")
        .order_by("-quarter_start_year", "-quarter")
    )
    visits = (
        GrantVisit.objects.filter(
            Q(visited_on__gte=period_start) | Q(visited_on__isnull=True, scheduled_for__gte=today)
        )
        .select_related("officer")
        .order_by("-scheduled_for", "-pk")
    )
    awards = (
        Award.objects.annotate(latest_rag=Subquery(latest))
        .filter(latest_rag=RAG.RED)
        .select_related("organisation", "pot", "contract")
        .prefetch_related(
            Prefetch("quarterly_returns", rated, to_attr="rated_returns"),
            Prefetch("visits", visits, to_attr="recent_visits"),
        )
        .order_by("organisation__name", "reference")
    )
    awards = list(awards)
    reviews = _reviews_since(awards, period_start)
    settings = MonitoringSettings.current()
    rows = []
    for award in awards:
        in_period = [
            r
            for r in award.rated_returns
            if r.quarter_start_year == report.start_year
            and report.first_quarter <= r.quarter <= report.last_quarter
        ]
        rows.append(
            RedAward(
                award=award,
                red_quarters=[r for r in in_period if r.rag == RAG.RED],
                persistently_red=is_persistently_red([r.rag for r in award.rated_returns], settings),
                visits=award.recent_visits,
                reviews=reviews.get(award.pk, []),
            )
        )
    return rows


def _reviews_since(awards: list[Award], since: date) -> dict[int, list]:
    """Contract review decisions (continue, extend, re-commission, de-commission) taken since `since`, by award."""

    contract_award = {}
    for award in awards:
        contract = getattr(award, "contract", None) if _has_contract(award) else None
        if contract is not None:
            contract_award[contract.pk] = award.pk
    by_award: dict[int, list] = {}
    if not contract_award:
        return by_award
    for review in (
        ReviewDecision.objects.filter(contract_id__in=contract_award, at__date__gte=since)
        .select_related("by")
        .order_by("-at", "-pk")
    ):
        by_award.setdefault(contract_award[review.contract_id], []).append(review)
    return by_award


def _has_contract(award: Award) -> bool:

    try:
        return award.contract is not None
    except ObjectDoesNotExist:
        return False


# ---- The report's frozen content: plain values (money and counts as strings), read by the page and the PDF ---------


def _text(value) -> str | None:
    return None if value is None else str(value)


def red_awards_section(report: PanelReport, today: date) -> list[dict]:
    rows = []
    for row in red_awards(report, today):
        award = row.award
        commented = any(r.review_comments.strip() for r in row.red_quarters)
        rows.append(
            {
                "nothing_recorded": not (commented or row.visits or row.reviews),
                "reference": award.reference,
                "title": award.title,
                "organisation": award.organisation.name,
                "award_id": award.pk,
                "persistently_red": row.persistently_red,
                "red_quarters": [
                    {"quarter": r.short_label, "comments": r.review_comments} for r in row.red_quarters
                ],
                "visits": [
                    {
                        "date": (v.visited_on or v.scheduled_for).isoformat(),
                        "recorded": v.is_recorded,
                        "findings": v.findings,
                        "actions": v.actions,
                        "officer": v.officer.full_name if v.officer else "",
                    }
                    for v in row.visits
                ],
                "reviews": [
                    {
                        "decision": r.get_decision_display(),
                        "reasons": r.reasons,
                        "date": r.at.date().isoformat(),
                    }
                    for r in row.reviews
                ],
            }
        )
    return rows


def case_studies_section(report: PanelReport) -> list[dict]:
    """The officer's words only (never the provider's original text, nor any attachment of the return), from
    accepted returns only."""
    return [
        {
            "heading": s.heading,
            "text": s.text,
            "service": s.quarterly_return.award.title,
            "organisation": s.quarterly_return.award.organisation.name,
            "quarter": s.quarterly_return.short_label,
        }
        for s in case_studies(report).filter(quarterly_return__status=ReturnStatus.ACCEPTED)
    ]


# ---- The figures: the outcomes dashboard's own (reporting.selectors.achievements), over the report's quarters ------

COPE_AND_RECOVER = "better-able-to-cope-and-recover"


@dataclass
class PeriodRow:
    """One priority or stream (or the total) over the report's quarters: the year's money, the period's outcomes."""

    key: str
    label: str
    awards: int
    committed: Decimal
    paid: Decimal
    outcomes: (
        dict  # indicator key -> {"key", "name", "unit", "aggregation", "value", "numerator", "denominator"}
    )
    returns_accepted: int = 0
    returns_expected: int = 0
    cost_per_person: Decimal | None = (
        None  # the dashboard's: paid in the year over people supported in the year
    )

    def total(self, key: str, part: str = "value") -> Decimal:
        found = self.outcomes.get(key)
        return (found or {}).get(part) or ZERO

    @property
    def people_supported(self) -> Decimal:
        return self.total(achievements.PEOPLE_SUPPORTED)


@dataclass
class PeriodFigures:
    whole_year: bool
    priorities: list  # [PeriodRow]
    streams: list  # [PeriodRow]
    total: PeriodRow
    completeness: list  # [Completeness] per quarter of the period


def _add(outcomes: dict, totals: list) -> None:
    for t in totals:
        held = outcomes.setdefault(
            t.key,
            {
                "key": t.key,
                "name": t.name,
                "unit": t.unit,
                "aggregation": t.aggregation,
                "value": None,
                "numerator": None,
                "denominator": None,
            },
        )
        for part in ("value", "numerator", "denominator"):
            if getattr(t, part) is not None:
                held[part] = (held[part] or ZERO) + getattr(t, part)


def _combine(by_quarter: list[list]) -> list[PeriodRow]:
    """Rows for the same priority or stream from each quarter's figures, as one: money is the year's (the same in
    each), outcomes and returns add up over the quarters (a rate's numerators and denominators, each summed)."""
    rows: dict[str, PeriodRow] = {}
    for quarter_rows in by_quarter:
        for r in quarter_rows:
            row = rows.setdefault(
                r.key,
                PeriodRow(
                    r.key, r.label, r.awards, r.committed, r.paid, {}, cost_per_person=r.cost_per_person
                ),
            )
            _add(row.outcomes, r.outcomes)
            row.returns_accepted += r.returns_accepted
            row.returns_expected += r.returns_expected
    return list(rows.values())


def period_figures(report: PanelReport) -> PeriodFigures:
    """Money by Plan priority and stream, and the outcomes of the report's quarters, exactly as the outcomes
    dashboard counts them. A whole year is read as the dashboard reads it; part of a year is read quarter by
    quarter and added up (a fixed number of queries per quarter, at most three quarters)."""
    choices = achievements.filter_choices()
    year = achievements.AchievementFilters(start_year=report.start_year)
    whole_year = (report.first_quarter, report.last_quarter) == (1, 4)
    scopes = [year] if whole_year else [replace(year, quarter=q.number) for q in report.quarters]
    priorities, streams, totals = [], [], []
    for scope in scopes:
        by_priority, total = achievements.achievements("priority", scope, choices)
        priorities.append(by_priority)
        totals.append([total])
        streams.append(achievements.achievements_by("stream", scope, choices))
    numbers = {q.number for q in report.quarters}
    completeness = [c for c in achievements.completeness(year, choices) if c.quarter.number in numbers]
    return PeriodFigures(
        whole_year=whole_year,
        priorities=_combine(priorities),
        streams=_combine(streams),
        total=_combine(totals)[0],
        completeness=completeness,
    )


def cost_per(paid: Decimal, base: Decimal, whole_year: bool) -> Decimal | None:
    """Money paid over an outcome count: none for part of a year (money is paid by the year) or a base of 0."""
    if not whole_year or not base:
        return None
    return (paid / base).quantize(Decimal("0.01"))


def _row_content(row: PeriodRow, whole_year: bool) -> dict:
    recovered = row.total(COPE_AND_RECOVER, "numerator")
    return {
        "key": row.key,
        "label": row.label,
        "awards": row.awards,
        "committed": _text(row.committed),
        "paid": _text(row.paid),
        "people_supported": _text(row.people_supported),
        "returns_accepted": row.returns_accepted,
        "returns_expected": row.returns_expected,
        # Whole year: the dashboard's own figure; part of a year: not available, as on the dashboard.
        "cost_per_person": _text(row.cost_per_person if whole_year else None),
        "recovered": _text(recovered),
        "cost_per_recovery": _text(cost_per(row.paid, recovered, whole_year)),
    }


def money_section(figures: PeriodFigures) -> dict:
    return {
        "whole_year": figures.whole_year,
        "by_priority": [_row_content(r, figures.whole_year) for r in figures.priorities],
        "by_stream": [_row_content(r, figures.whole_year) for r in figures.streams],
        "total": _row_content(figures.total, figures.whole_year),
    }


def _outcome_content(found: dict) -> dict:
    numerator, denominator = found["numerator"], found["denominator"]
    rate = (
        (numerator / denominator * 100).quantize(Decimal("0.1"))
        if numerator is not None and denominator
        else None
    )
    return {
        "key": found["key"],
        "name": found["name"],
        "unit": found["unit"],
        "is_rate": found["aggregation"] != "sum",
        "value": _text(found["value"]),
        "numerator": _text(numerator),
        "denominator": _text(denominator),
        "rate": _text(rate),
    }


def outcomes_section(figures: PeriodFigures) -> dict:
    """Every indicator reported in the period, in the catalogue's order, and how complete the returns are."""
    order = {
        key: i
        for i, key in enumerate(
            OutcomeIndicator.objects.order_by("position", "name").values_list("key", flat=True)
        )
    }
    found = sorted(figures.total.outcomes.values(), key=lambda o: order.get(o["key"], len(order)))
    return {
        "outcomes": [_outcome_content(o) for o in found],
        "completeness": [
            {"quarter": c.quarter.short_label, "accepted": c.accepted, "expected": c.expected}
            for c in figures.completeness
        ],
        "returns_accepted": sum(c.accepted for c in figures.completeness),
        "returns_expected": sum(c.expected for c in figures.completeness),
    }
