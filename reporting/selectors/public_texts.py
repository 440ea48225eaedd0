"""Reads of the publication review beyond award titles and purposes (reporting.PublicText).

Each `Source` is one kind of record whose officer-written text the public reads: which records are public (or about
to be), the live text of each field (annotated as `live_<field>`), who wrote it (never its reviewer), and what the
public reads until a snapshot is approved. Public pages ask `public_texts(source, records)` for a page of records in
one query; the review page asks `awaiting(source)`.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, F, Model, OuterRef, Q, QuerySet, Subquery

from commissioning.models import Commission, Tender
from grants.models import Application
from opcc.models import TransitionLog
from reporting.models import PublicText
from reporting.selectors.transparency import PUBLISHED, TITLE_AWAITING_REVIEW


@dataclass(frozen=True)
class TextField:
    name: str
    label: str  # what the review page calls it
    awaiting: Callable[[Any], str]  # what the public reads until it is approved (given the record)
    rows: int = 5  # the review form's textarea


@dataclass(frozen=True)
class Source:
    key: str  # in the review page's URLs
    heading: str
    model: type[Model]
    fields: tuple[TextField, ...]
    records: Callable[[], QuerySet]  # annotated with live_<field>, in the review page's order
    writer: str  # the annotation naming who wrote the live text, for the review page's "you wrote this"
    authors: Callable[[Any], set[int]]  # everyone who may not approve it (the service's check)
    name: Callable[[Any], str]  # the card's heading on the review page

    def content_type(self) -> ContentType:
        return ContentType.objects.get_for_model(self.model)

    def snapshots(self) -> QuerySet:
        """Its approved texts, through a join rather than a content-type lookup: a page's query count stays the
        same whether or not the content-type cache is warm."""
        meta = self.model._meta
        return PublicText.objects.filter(
            content_type__app_label=meta.app_label, content_type__model=meta.model_name
        )

    def field(self, name: str) -> TextField:
        return next(f for f in self.fields if f.name == name)


# ---- Services tendered for and contracted: the commission's title and description ---------------------------------

SERVICE_AWAITING = "A description of this service will be published once it has been reviewed."


def public_commissions() -> QuerySet:
    """Commissions the public reads about: a tender saved (public once it opens, so reviewed before), or a contract let
    and published (the contracts' open data carries the tender's title and description)."""
    tendered = Tender.objects.filter(procurement__commission=OuterRef("pk"))
    let = Commission.objects.filter(pk=OuterRef("pk"), procurements__contract__award__status__in=PUBLISHED)
    return (
        Commission.objects.filter(Exists(tendered) | Exists(let))
        .annotate(live_title=F("title"), live_summary=F("summary"))
        .select_related("officer")
        .order_by("-created_at", "reference")
    )


def service_authors(commission: Commission) -> set[int]:
    """The lead officer, and whoever wrote the title and description as they read now (from the history)."""
    authors = {commission.officer_id}
    history = commission.history.order_by("-history_date", "-history_id").values_list(  # type: ignore[attr-defined]
        "title", "summary", "history_user_id"
    )
    for title, summary, user_id in history:
        if (title, summary) != (commission.title, commission.summary):
            break
        if user_id is not None:
            authors.add(user_id)
    return authors


SERVICES = Source(
    key="services",
    heading="Services tendered for and contracted",
    model=Commission,
    fields=(
        TextField("title", "Service title", lambda c: f"{c.reference}: {TITLE_AWAITING_REVIEW}", rows=2),
        TextField("summary", "What the service is for", lambda c: SERVICE_AWAITING),
    ),
    records=public_commissions,
    writer="officer_id",
    authors=service_authors,
    name=lambda c: f"{c.reference}, lead officer {c.officer}",
)


# ---- The reasons recorded with a grant's approval ---------------------------------------------------------------

REASONS_AWAITING = "The reasons for this grant will be published once they have been reviewed."


def _approval(column: str) -> Subquery:
    return Subquery(
        TransitionLog.objects.filter(
            content_type__app_label="grants",
            content_type__model="application",
            object_id=OuterRef("pk"),
            transition="approve",
        )
        .order_by("-at", "-id")
        .values(column)[:1]
    )


def public_applications() -> QuerySet:
    """Applications whose grant is published and whose approval recorded reasons."""
    return (
        Application.objects.filter(award__status__in=PUBLISHED)
        .annotate(live_reasons=_approval("note"), reasons_by=_approval("by"))
        .exclude(live_reasons="")
        .exclude(live_reasons__isnull=True)
        .select_related("award", "organisation")
        .order_by("-award__awarded_on", "award__reference")
    )


GRANT_REASONS = Source(
    key="grant-reasons",
    heading="Reasons for grants",
    model=Application,
    fields=(TextField("reasons", "Reasons for the award", lambda a: REASONS_AWAITING),),
    records=public_applications,
    writer="reasons_by",
    authors=lambda a: {a.reasons_by} - {None},
    name=lambda a: f"Grant {a.award.reference} to {a.organisation.name}",
)

SOURCES = {source.key: source for source in (SERVICES, GRANT_REASONS)}


# ---- What the public reads ------------------------------------------------------------------------------------------


def approved(source: Source, ids: Iterable[int]) -> dict[tuple[int, str], PublicText]:
    """The approved snapshots of these records, in one query."""
    found = source.snapshots().filter(object_id__in=list(ids))
    return {(t.object_id, t.field): t for t in found}


def public_texts(source: Source, records: Iterable[Model]) -> dict[int, dict[str, str]]:
    """For each record, each field as approved, or what the public reads while it awaits review: one query."""
    records = list(records)
    snapshots = approved(source, (r.pk for r in records))
    return {
        r.pk: {
            f.name: snapshots[(r.pk, f.name)].text if (r.pk, f.name) in snapshots else f.awaiting(r)
            for f in source.fields
        }
        for r in records
    }


def public_text(source: Source, record: Model, field: str) -> str:
    return public_texts(source, [record])[record.pk][field]


@dataclass(frozen=True)
class Reasons:
    text: str  # as approved, or the awaiting-review sentence
    recorded: bool  # False when the approval recorded none


def approved_reasons(application: Application | None) -> Reasons:
    """A grant's published reasons: the approved text, or the awaiting-review sentence while the recorded reasons
    wait; nothing when the approval recorded none (a grant recorded only in funding has no application)."""
    if application is None:
        return Reasons("", False)
    snapshots = approved(GRANT_REASONS, [application.pk])
    if (application.pk, "reasons") in snapshots:
        return Reasons(snapshots[(application.pk, "reasons")].text, True)
    return Reasons(REASONS_AWAITING, public_applications().filter(pk=application.pk).exists())


def matching(source: Source, path: str, query: str) -> Exists:
    """Records (reached from the list's rows by `path`) whose approved text contains the query: a public search must
    not find words that still await review."""
    return Exists(source.snapshots().filter(object_id=OuterRef(path), text__icontains=query))


# ---- The review page -------------------------------------------------------------------------------------------------


def awaiting(source: Source) -> QuerySet:
    """The source's public records with a field whose live text is not the one last approved (or never approved)."""
    qs = source.records()
    current = Q()
    for f in source.fields:
        current &= Q(
            Exists(
                source.snapshots().filter(
                    object_id=OuterRef("pk"), field=f.name, reviewed=OuterRef(f"live_{f.name}")
                )
            )
        )
    return qs.exclude(current)


def review_rows(source: Source, page) -> list[dict]:
    """Each record on a page of `awaiting(source)`, its fields as written and as public now (one query for all)."""
    snapshots = approved(source, (r.pk for r in page))
    rows = []
    for record in page:
        fields = []
        for f in source.fields:
            snapshot = snapshots.get((record.pk, f.name))
            live = getattr(record, f"live_{f.name}")
            fields.append(
                {
                    "field": f,
                    "live": live,
                    "public": snapshot.text if snapshot else "",
                    "changed": snapshot is not None and snapshot.reviewed != live,
                }
            )
        rows.append(
            {
                "record": record,
                "name": source.name(record),
                "writer": getattr(record, source.writer),
                "fields": fields,
            }
        )
    return rows
