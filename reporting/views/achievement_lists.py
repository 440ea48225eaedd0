"""The lists behind "What the money achieves": the awards behind a row's money and people, and the returns behind
an outcome or a completeness figure. They are dashboard lists like the others (`/dashboard/lists/<kind>/`, with CSV
and XLSX), but read the outcomes dashboard's filters (`reporting.selectors.achievements`), so a figure and its
list's total cannot disagree.
"""

from decimal import Decimal

from django.urls import reverse

from funding.models import Award
from opcc.aggregates import cached
from opcc.models import Organisation
from opcc.money import gbp, pence
from reporting.selectors import achievements as sel
from reporting.selectors.outcomes import IndicatorTotal
from reporting.views.achievement_figures import COMMITTED, PAID, PackedRows, service_rows
from reporting.views.dashboards_lists import Cell, DrillDown


def _options() -> tuple[sel.FilterChoices, dict[str, str]]:
    return sel.filter_choices(), dict(
        sel.OutcomeIndicator.objects.order_by("position", "name").values_list("key", "name")
    )


def options() -> tuple[sel.FilterChoices, dict[str, str]]:
    """What the filters offer, and every indicator's name by key: kept until the data changes."""
    return cached("achievement-options", "", _options)


def choices() -> sel.FilterChoices:
    return options()[0]


def indicator_names() -> dict[str, str]:
    return options()[1]


def resolve(params, today) -> tuple[sel.AchievementFilters, str, dict]:
    """The outcomes dashboard's filters, the list's own (`indicator`, `which`), and the scope in words (naming the
    provider or service a row narrowed it to). Values not offered are ignored."""
    offered, names = options()
    filters, _ignored = sel.resolve_filters(params, today, offered)
    extra = {}
    indicator = str(params.get("indicator", "")).strip()
    if indicator in names:
        extra["indicator"] = indicator
    which = str(params.get("which", "")).strip()
    if which in sel.RETURN_LISTS:
        extra["which"] = which
    return filters, words(filters, offered), extra


def words(filters: sel.AchievementFilters, offered: sel.FilterChoices) -> str:
    """The filters in words, naming the provider or service a row narrowed them to (a query each, when chosen)."""
    provider = (
        Organisation.objects.filter(pk=filters.provider_id).values_list("name", flat=True).first()
        if filters.provider_id is not None
        else ""
    )
    award = (
        Award.objects.filter(pk=filters.award_id).values_list("reference", flat=True).first()
        if filters.award_id is not None
        else ""
    )
    return sel.describe(filters, offered, provider=provider or "", award=award or "")


def back_url(filters: sel.AchievementFilters) -> str:
    return f"{reverse('reporting:dashboard-outcomes')}?{filters.query()}"


def count(value: Decimal | None) -> str:
    """1,920 or 12.5: a count as the outcomes pages show it."""
    return f"{value.normalize():,f}" if value is not None else ""


def cost(value) -> str:
    return gbp(value) if value is not None else "–"


# ---- The awards behind a row ---------------------------------------------------------------------


def _award_totals(rows: PackedRows) -> list[tuple[str, str]]:
    return [
        ("Committed", gbp(rows.total(COMMITTED))),
        ("Paid", gbp(rows.total(PAID))),
        ("People supported", count(rows.indicator_total(sel.PEOPLE_SUPPORTED))),
    ]


OUTCOME_AWARDS = DrillDown(
    slug="outcome-awards",
    title="Awards behind the figures",
    note="Each award in scope with its money in the year (committed: its profile in the year's pots, nothing once "
    "cancelled; paid: the payments drawn on them), the people it supported in accepted returns, and its returns "
    "accepted out of those due. The award's monitoring page lists its returns.",
    header=[
        "Award",
        "Provider",
        "Committed",
        "Paid",
        "People supported",
        "Cost per person supported",
        "Returns accepted",
    ],
    numeric=frozenset({2, 3, 4, 5}),
    resolve=resolve,
    back=back_url,
    heading=lambda filters, params: "Awards behind the figures",
    fetch=lambda filters, today, p: service_rows(filters, choices()),
    cells=lambda r, today: [
        Cell(r.label, reverse("reporting:award", args=[int(r.key)])),
        Cell(r.provider),
        Cell(gbp(r.committed)),
        Cell(gbp(r.paid)),
        Cell(count(r.people_supported)),
        Cell(cost(r.cost_per_person)),
        Cell(f"{r.returns_accepted} of {r.returns_expected}"),
    ],
    export_header=[
        "Award",
        "Provider",
        "Committed",
        "Paid",
        "People supported",
        "Cost per person supported",
        "Returns accepted",
        "Returns due",
    ],
    export=lambda r, today: [
        r.label,
        r.provider,
        pence(r.committed),
        pence(r.paid),
        r.people_supported,
        pence(r.cost_per_person),
        r.returns_accepted,
        r.returns_expected,
    ],
    totals=_award_totals,
)


# ---- The returns behind an outcome or a completeness figure -------------------------------------------


def reported(r) -> str:
    """What one return reported against the list's indicator: a count, or "n of d (r%)"."""
    numerator, denominator = getattr(r, "numerator", None), getattr(r, "denominator", None)
    if numerator is not None and denominator is not None:
        rate = IndicatorTotal("", "", "", "", None, numerator, denominator, 1).rate
        return f"{count(numerator)} of {count(denominator)}" + (f" ({rate}%)" if rate is not None else "")
    return count(getattr(r, "value", None))


def _returns_heading(filters, params) -> str:
    which = params.get("which", "accepted")
    if which == "accepted" and params.get("indicator"):
        return f"Accepted returns reporting {indicator_names()[params['indicator']].lower()}"
    return sel.RETURN_LISTS[which]


def _return_totals(filters, params, rows) -> list[tuple[str, str]]:
    """With an indicator, what the listed returns reported in all (a rate: achieved, out of, and the rate)."""
    if params.get("which", "accepted") != "accepted" or not params.get("indicator"):
        return []
    total = sel.indicator_total(filters, params["indicator"])
    if total is None:
        return []
    if total.aggregation != "sum":
        return [
            ("Achieved", count(total.numerator)),
            ("Out of", count(total.denominator)),
            ("Rate", f"{total.rate}%" if total.rate is not None else "–"),
        ]
    return [("Reported", count(total.value))]


OUTCOME_RETURNS = DrillDown(
    slug="outcome-returns",
    title="Returns behind the figures",
    heading=_returns_heading,
    note="Only accepted returns count in the outcome figures. A rate is the total achieved over the total asked, "
    "never an average of percentages.",
    header=["Award", "Provider", "Quarter", "Status", "Reported"],
    numeric=frozenset({4}),
    resolve=resolve,
    back=back_url,
    fetch=lambda filters, today, p: sel.award_returns(
        filters, indicator_key=p.get("indicator", ""), which=p.get("which", "accepted")
    ),
    cells=lambda r, today: [
        Cell(f"{r.award.reference} {r.award.title}", reverse("reporting:award", args=[r.award_id])),
        Cell(r.award.organisation.name),
        Cell(r.short_label, reverse("reporting:return", args=[r.pk])),
        Cell(r.get_status_display()),
        Cell(reported(r)),
    ],
    export_header=[
        "Award reference",
        "Title",
        "Provider",
        "Stream",
        "Quarter",
        "Status",
        "Reported",
        "Achieved (rate)",
        "Out of (rate)",
    ],
    export=lambda r, today: [
        r.award.reference,
        r.award.title,
        r.award.organisation.name,
        r.award.pot.get_stream_display(),
        r.short_label,
        r.get_status_display(),
        getattr(r, "value", None),
        getattr(r, "numerator", None),
        getattr(r, "denominator", None),
    ],
    totals_for=_return_totals,
)

LISTS = {d.slug: d for d in (OUTCOME_AWARDS, OUTCOME_RETURNS)}
