"""The lists behind the dashboard figures, where no list elsewhere in the service shows exactly them.

Each list takes the dashboard's scope (year, stream, pot, area) plus its own few parameters, uses the
same selector as the figure it explains, and renders as a table, a CSV and an XLSX.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone

from commissioning.models import Commission
from funding.models import Award, Payment
from opcc.calendar import Quarter
from opcc.money import ZERO, gbp, pence
from reporting.selectors import dashboards as sel


@dataclass
class Cell:
    text: object
    href: str = ""
    tag: str = ""  # a GOV.UK tag after the text, e.g. "Notice date passed"
    tag_colour: str = ""


@dataclass
class DrillDown:
    slug: str
    title: str
    header: list
    fetch: Callable  # (scope, today, params) -> QuerySet or list
    cells: Callable  # (row, today) -> [Cell]
    export: Callable  # (row, today) -> [plain values]
    export_header: list
    params: dict = field(default_factory=dict)  # name -> {value: label}
    numeric: frozenset = frozenset()  # column indexes shown right-aligned
    per_year: bool = True  # False: as of today, whatever the year
    totals: Callable | None = None  # (rows) -> [(label, text)]
    note: str = ""
    heading: Callable | None = None  # (scope, params) -> str; else the title and the chosen labels
    # A list reading other filters than the Money and Performance pages' scope (the outcomes dashboard's):
    # (GET, today) -> (scope with .query(**params) and .year, the scope in words, the list's own params)
    resolve: Callable | None = None
    back: Callable | None = None  # (scope) -> the page the list explains; else Money or Performance
    totals_for: Callable | None = (
        None  # (scope, params, rows) -> [(label, text)], for totals that need the scope
    )

    def heading_for(self, scope, params: dict) -> str:
        if self.heading is not None:
            return self.heading(scope, params)
        chosen = [self.params[name][value] for name, value in params.items()]
        return self.title + (": " + ", ".join(chosen).lower() if chosen else "")


def _local_date(moment):
    return timezone.localtime(moment).date() if moment else None


def _award_cell(award, url_name="reporting:award"):
    return Cell(award.reference, reverse(url_name, args=[award.pk]))


# ---- Commitments (the money figures) -----------------------------------------------------------


def _commitment_totals(qs):
    committed = qs.filter(~Q(award__status=Award.Status.CANCELLED)).aggregate(t=Sum("amount"))["t"] or ZERO
    paid = Payment.objects.filter(award_year__in=qs.values("pk")).aggregate(t=Sum("amount"))["t"] or ZERO
    return [("Committed", gbp(committed)), ("Paid", gbp(paid))]


COMMITMENTS = DrillDown(
    slug="commitments",
    title="Commitments",
    note="Each award's money in a pot in this year. A cancelled award commits nothing; "
    "what it was paid still counts as paid, as in the funding ledger.",
    header=["Award", "Organisation", "Pot", "Status", "Committed", "Paid"],
    numeric=frozenset({4, 5}),
    fetch=lambda scope, today, p: sel.commitments(scope),
    cells=lambda line, today: [
        Cell(f"{line.award.reference} {line.award.title}", reverse("funding:award", args=[line.award_id])),
        Cell(line.award.organisation.name),
        Cell(line.pot.name, reverse("funding:pot", args=[line.pot.year.start_year, line.pot.key])),
        Cell(line.award.get_status_display()),
        Cell(gbp(sel.commitment_committed(line))),
        Cell(gbp(line.paid)),
    ],
    export_header=[
        "Award reference",
        "Title",
        "Organisation",
        "Stream",
        "Pot",
        "Status",
        "Committed",
        "Paid",
    ],
    export=lambda line, today: [
        line.award.reference,
        line.award.title,
        line.award.organisation.name,
        line.pot.get_stream_display(),
        line.pot.name,
        line.award.get_status_display(),
        pence(sel.commitment_committed(line)),
        pence(line.paid),
    ],
    totals=_commitment_totals,
)


# ---- Returns ---------------------------------------------------------------------------------------


def _return_link(ret):
    """The return's own page: everyone who sees the dashboard may read it, and it offers "Review this
    return" to those who may review (the PCC, finance and the auditor may not)."""
    return reverse("reporting:return", args=[ret.pk])


RETURNS_HEADINGS = {
    "on_time": "Returns submitted on time",
    "late": "Returns submitted late",
    "overdue": "Overdue returns",
    "not_yet_due": "Returns not yet due",
}


def _returns_heading(scope, params: dict) -> str:
    """For example "Returns submitted late, Q2 2026/27"."""
    heading = RETURNS_HEADINGS.get(params.get("timeliness", ""), "Quarterly returns")
    if params.get("quarter"):
        heading += f", {Quarter(scope.year, int(params['quarter'])).short_label}"
    return heading


RETURNS = DrillDown(
    slug="returns",
    title="Quarterly returns",
    heading=_returns_heading,
    note="On time: submitted by its due date. Late: submitted after it. Overdue: not submitted and past its due date.",
    params={"timeliness": dict(sel.TIMELINESS), "quarter": {str(n): f"Q{n}" for n in (1, 2, 3, 4)}},
    header=["Award", "Organisation", "Quarter", "Due", "Submitted", "Status"],
    fetch=lambda scope, today, p: sel.returns_list(
        scope,
        today,
        timeliness=p.get("timeliness", ""),
        quarter=int(p["quarter"]) if p.get("quarter") else None,
    ),
    cells=lambda r, today: [
        Cell(f"{r.award.reference} {r.award.title}", reverse("reporting:award", args=[r.award_id])),
        Cell(r.award.organisation.name),
        Cell(r.short_label, _return_link(r)),
        Cell(f"{r.due_date:%-d %b %Y}"),
        Cell(f"{_local_date(r.submitted_at):%-d %b %Y}" if r.submitted_at else "Not submitted"),
        Cell(("Overdue: " if r.is_overdue(today) else "") + r.get_status_display()),
    ],
    export_header=[
        "Award reference",
        "Title",
        "Organisation",
        "Stream",
        "Quarter",
        "Due",
        "Submitted",
        "Status",
        "Overdue",
        "RAG",
    ],
    export=lambda r, today: [
        r.award.reference,
        r.award.title,
        r.award.organisation.name,
        r.award.pot.get_stream_display(),
        r.short_label,
        r.due_date,
        _local_date(r.submitted_at),
        r.get_status_display(),
        r.is_overdue(today),
        r.get_rag_display(),
    ],
)


# ---- Outcomes against targets ------------------------------------------------------------------------


def _number(value):
    return f"{value.normalize():f}" if value is not None else ""


OUTCOMES = DrillDown(
    slug="outcomes",
    title="Outcomes against targets",
    note="What providers reported against each measure with a quarterly target, in accepted returns.",
    params={"kind": dict(sel.MEASURE_KINDS), "met": {"yes": "At or above target", "no": "Below target"}},
    header=["Award", "Quarter", "Measure", "Target", "Reported", "Met"],
    numeric=frozenset({3, 4}),
    fetch=lambda scope, today, p: sel.outcomes_list(scope, kind=p.get("kind", ""), met=p.get("met", "")),
    cells=lambda a, today: [
        Cell(
            f"{a.quarterly_return.award.reference} {a.quarterly_return.award.title}",
            reverse("reporting:award", args=[a.quarterly_return.award_id]),
        ),
        Cell(a.quarterly_return.short_label, reverse("reporting:return", args=[a.quarterly_return_id])),
        Cell(str(a.measure)),
        Cell(_number(a.measure.quarterly_target)),
        Cell(_number(a.value)),
        Cell("Yes" if a.value >= a.measure.quarterly_target else "No"),
    ],
    export_header=[
        "Award reference",
        "Title",
        "Organisation",
        "Quarter",
        "Measure",
        "Kind",
        "Target",
        "Reported",
        "At or above target",
    ],
    export=lambda a, today: [
        a.quarterly_return.award.reference,
        a.quarterly_return.award.title,
        a.quarterly_return.award.organisation.name,
        a.quarterly_return.short_label,
        str(a.measure),
        a.measure.get_kind_display(),
        a.measure.quarterly_target,
        a.value,
        a.value >= a.measure.quarterly_target,
    ],
)


# ---- Awards by RAG -----------------------------------------------------------------------------------


def _rag_label(value):
    return dict(sel.RAG_BUCKETS).get(value, value)


AWARDS = DrillDown(
    slug="awards",
    title="Awards by RAG",
    note="Each award's RAG at its latest accepted return of the year.",
    params={"rag": dict(sel.RAG_BUCKETS)},
    header=["Award", "Organisation", "Pot", "Status", "RAG"],
    fetch=lambda scope, today, p: sel.awards_list(scope, rag=p.get("rag", "")),
    cells=lambda a, today: [
        Cell(f"{a.reference} {a.title}", reverse("reporting:award", args=[a.pk])),
        Cell(a.organisation.name),
        Cell(a.pot.name),
        Cell(a.get_status_display()),
        Cell(_rag_label(a.latest_rag)),
    ],
    export_header=["Award reference", "Title", "Organisation", "Stream", "Pot", "Status", "Amount", "RAG"],
    export=lambda a, today: [
        a.reference,
        a.title,
        a.organisation.name,
        a.pot.get_stream_display(),
        a.pot.name,
        a.get_status_display(),
        pence(a.amount),
        _rag_label(a.latest_rag),
    ],
)


# ---- Contracts ending or reaching their notice date --------------------------------------------------


def _years(n: int) -> str:
    return f"{n} year{'' if n == 1 else 's'}"


def _service_cell(r):
    if r.contract is None:
        return Cell(r.award.title)
    return Cell(
        r.contract.procurement.commission.title,
        reverse("commissioning:review", args=[r.contract.procurement.commission_id]),
    )


def _notice_cell(r):
    if r.notice is None:
        return Cell("Not recorded")
    if r.notice_passed:
        return Cell(f"{r.notice:%-d %b %Y}", tag="Notice date passed", tag_colour="red")
    return Cell(f"{r.notice:%-d %b %Y}")


def _extension_cell(r):
    if r.contract is None:
        return Cell("Not recorded")
    years = r.contract.next_extension_years
    return Cell(f"{_years(years)} ({r.contract.extension_pattern})" if years else "None")


CONTRACTS = DrillDown(
    slug="contracts",
    title="Contracts ending or reaching their notice date",
    per_year=False,
    note="Live contracts that end between today and six months from now, or whose last date to give notice "
    "falls in that time. A contract ending in that time whose last date to give notice has already gone "
    "is marked 'Notice date passed'. A contract recorded in funding only, with no contract record in "
    "commissioning, has no notice date or extensions on record.",
    params={
        "which": {
            "expiring": "Ending in the next six months",
            "notice": "Last date to give notice in the next six months",
        }
    },
    header=["Contract", "Provider", "Service", "Ends", "Last date to give notice", "Extension left"],
    fetch=lambda scope, today, p: sel.contracts_ahead(scope, today, which=p.get("which", "")),
    cells=lambda r, today: [
        Cell(r.award.reference, reverse("funding:award", args=[r.award.pk])),
        Cell(r.award.organisation.name),
        _service_cell(r),
        Cell(f"{r.end:%-d %b %Y}"),
        _notice_cell(r),
        _extension_cell(r),
    ],
    export_header=[
        "Award reference",
        "Provider",
        "Service",
        "Stream",
        "Ends",
        "Last date to give notice",
        "Ending within six months",
        "Notice date within six months",
        "Notice date passed",
        "Term and extensions",
        "Extensions used",
    ],
    export=lambda r, today: [
        r.award.reference,
        r.award.organisation.name,
        r.contract.procurement.commission.title if r.contract else r.award.title,
        r.award.pot.get_stream_display(),
        r.end,
        r.notice,
        r.expiring,
        r.notice_due,
        r.notice_passed,
        r.contract.extension_pattern if r.contract else None,
        r.contract.extensions_used if r.contract else None,
    ],
)


# ---- Commissions by stage -----------------------------------------------------------------------------

COMMISSIONS = DrillDown(
    slug="commissions",
    title="Commissions by stage",
    per_year=False,
    note="Commissions as they stand today, whatever the year chosen.",
    params={"stage": dict(Commission.Status.choices)},
    header=["Commission", "Stream", "Stage", "Lead officer", "Areas"],
    fetch=lambda scope, today, p: sel.commissions_list(scope, stage=p.get("stage", "")),
    cells=lambda c, today: [
        Cell(f"{c.reference} {c.title}", reverse("commissioning:detail", args=[c.pk])),
        Cell(c.get_stream_display()),
        Cell(c.get_status_display()),
        Cell(c.officer.full_name),
        Cell(", ".join(a.name for a in c.areas.all()) or "West Mercia wide"),
    ],
    export_header=["Reference", "Service", "Stream", "Stage", "Cycle", "Lead officer", "Areas"],
    export=lambda c, today: [
        c.reference,
        c.title,
        c.get_stream_display(),
        c.get_status_display(),
        c.cycle,
        c.officer.full_name,
        ", ".join(a.name for a in c.areas.all()),
    ],
)


LISTS = {d.slug: d for d in (COMMITMENTS, RETURNS, OUTCOMES, AWARDS, CONTRACTS, COMMISSIONS)}
