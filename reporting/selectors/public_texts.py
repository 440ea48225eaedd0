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
from django.db import models
from django.db.models import Exists, F, Model, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from commissioning.models import Commission, Tender
from commissioning.models import Criterion as TenderCriterion
from grants.models import Application, Round
from grants.models import Criterion as RoundCriterion
from opcc.models import TransitionLog
from reporting.models import PublicText
from reporting.selectors.transparency import PUBLISHED, TITLE_AWAITING_REVIEW


@dataclass(frozen=True)
class PublicField:
    name: str
    label: str  # what the review page calls it
    awaiting: Callable[[Any], str]  # what the public reads until it is approved (given the record)
    rows: int = 5  # the review form's textarea
    optional: bool = False  # may be empty: then nothing is published and nothing awaits review


@dataclass(frozen=True)
class Source:
    key: str  # in the review page's URLs
    heading: str
    explanation: str  # where the public reads it, and what they read meanwhile (the review page says)
    model: type[Model]
    fields: tuple[PublicField, ...]
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

    def field(self, name: str) -> PublicField:
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
    return {commission.officer_id} | history_authors(commission, ("title", "summary"))


SERVICES = Source(
    key="services",
    heading="Services tendered for and contracted",
    explanation="A service's title and description are published on its invitation to tender and in the contracts' "
    "open data. Until someone other than its lead officer and whoever wrote them approves them, the public reads the "
    "commission's reference with “title awaiting review”.",
    model=Commission,
    fields=(
        PublicField("title", "Service title", lambda c: f"{c.reference}: {TITLE_AWAITING_REVIEW}", rows=2),
        PublicField("summary", "What the service is for", lambda c: SERVICE_AWAITING),
    ),
    records=public_commissions,
    writer="officer_id",
    authors=service_authors,
    name=lambda c: f"{c.reference}, lead officer {c.officer}",
)


def history_authors(record, fields: tuple[str, ...]) -> set[int]:
    """Whoever saved the record while these fields read as they do now (from its history): who wrote them, and
    anyone who saved it since without changing them (kept out too: the history cannot tell them apart)."""
    now = tuple(getattr(record, f) for f in fields)
    authors = set()
    for *values, user_id in record.history.order_by("-history_date", "-history_id").values_list(
        *fields, "history_user_id"
    ):
        if tuple(values) != now:
            break
        if user_id is not None:
            authors.add(user_id)
    return authors


# ---- What a grant's decision and offer say: the reasons recorded with its approval, its own conditions ----------------

REASONS_AWAITING = "The reasons for this grant will be published once they have been reviewed."
CONDITIONS_AWAITING = "The conditions specific to this grant will be published once they have been reviewed."


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
    """Applications whose grant is published: the reasons recorded with the approval, the offer's own conditions."""
    return (
        Application.objects.filter(award__status__in=PUBLISHED)
        .annotate(
            live_reasons=Coalesce(_approval("note"), Value(""), output_field=models.TextField()),
            reasons_by=_approval("by"),
            live_conditions=Coalesce(F("offer__conditions"), Value(""), output_field=models.TextField()),
            conditions_by=F("offer__made_by"),
        )
        .select_related("award", "organisation")
        .order_by("-award__awarded_on", "award__reference")
    )


GRANTS = Source(
    key="grants",
    heading="Reasons and conditions of grants",
    explanation="The reasons recorded when a grant was approved, and the conditions its offer added, are published on "
    "the grant's page. Until someone other than the decision maker and the officer who made the offer approves them, "
    "the public reads that they await review.",
    model=Application,
    fields=(
        PublicField("reasons", "Reasons for the award", lambda a: REASONS_AWAITING, optional=True),
        PublicField(
            "conditions", "Conditions specific to the grant", lambda a: CONDITIONS_AWAITING, optional=True
        ),
    ),
    records=public_applications,
    writer="reasons_by",
    authors=lambda a: {a.reasons_by, a.conditions_by} - {None},
    name=lambda a: f"Grant {a.award.reference} to {a.organisation.name}",
)


# ---- Grant rounds: what the invitation to apply says ---------------------------------------------------------------

ROUND_FIELDS = ("name", "summary", "eligibility", "priorities")
ROUND_AWAITING = "This will be published once it has been reviewed."


def public_rounds() -> QuerySet:
    """Rounds open now or still to open (reviewed before they open), and any whose grants are published (the grant's
    page names its round)."""
    funded = Application.objects.filter(round=OuterRef("pk"), award__status__in=PUBLISHED)
    last_editor = (
        Round.history.filter(id=OuterRef("pk")).order_by("-history_date").values("history_user_id")[:1]
    )  # type: ignore[attr-defined]
    return (
        Round.objects.filter(Q(closes_at__gte=timezone.now()) | Exists(funded))
        .annotate(**{f"live_{f}": F(f) for f in ROUND_FIELDS}, last_editor=Subquery(last_editor))
        .select_related("scheme")
        .order_by("-opens_at", "name")
    )


ROUNDS = Source(
    key="rounds",
    heading="Grant rounds",
    explanation="A round's name, what it funds, who can apply and its priorities are published on the open grant "
    "rounds pages (and its name on the pages of the grants it made). Review them before the round opens: until "
    "someone other than whoever wrote them approves them, the public reads that they await review.",
    model=Round,
    fields=(
        PublicField("name", "Name", lambda r: f"{r.scheme.name} round: {TITLE_AWAITING_REVIEW}", rows=2),
        PublicField("summary", "What the round funds", lambda r: ROUND_AWAITING),
        PublicField("eligibility", "Who can apply", lambda r: ROUND_AWAITING),
        PublicField("priorities", "Priority areas", lambda r: ROUND_AWAITING, optional=True),
    ),
    records=public_rounds,
    writer="last_editor",
    authors=lambda r: history_authors(r, ROUND_FIELDS),
    name=lambda r: f"{r.name} ({r.scheme.name})",
)


# ---- The criteria a tender's bids and a round's applications are scored against --------------------------------------

CRITERION_AWAITING = "Criterion awaiting review"
GUIDANCE_AWAITING = "Guidance awaiting review"


def public_tender_criteria() -> QuerySet:
    """Every tender's criteria (published with its invitation to tender once it opens: reviewed before)."""
    return (
        TenderCriterion.objects.annotate(
            live_name=F("name"),
            live_guidance=F("guidance"),
            lead=F("tender__procurement__commission__officer_id"),
        )
        .select_related("tender__procurement__commission")
        .order_by("-tender_id", "id")
    )


TENDER_CRITERIA = Source(
    key="tender-criteria",
    heading="Tender criteria",
    explanation="Each quality criterion of a tender, and what a good answer shows, is published on the invitation to "
    "tender. Until someone other than the commission's lead officer approves it, the public reads that it awaits "
    "review. Saving a tender's criteria again replaces them: each new one is reviewed.",
    model=TenderCriterion,
    fields=(
        PublicField("name", "Criterion", lambda c: CRITERION_AWAITING, rows=2),
        PublicField(
            "guidance", "What a good answer shows", lambda c: GUIDANCE_AWAITING, rows=3, optional=True
        ),
    ),
    records=public_tender_criteria,
    writer="lead",
    authors=lambda c: {c.lead},
    name=lambda c: f"{c.name} ({c.weight}%), tender for {c.tender.procurement.commission.reference}",
)


def public_round_criteria() -> QuerySet:
    last_editor = (
        Round.history.filter(id=OuterRef("round_id")).order_by("-history_date").values("history_user_id")[:1]
    )  # type: ignore[attr-defined]
    return (
        RoundCriterion.objects.filter(round__in=public_rounds().values("pk"))
        .annotate(live_name=F("name"), last_editor=Subquery(last_editor))
        .select_related("round__scheme")
        .order_by("-round_id", "position", "id")
    )


ROUND_CRITERIA = Source(
    key="round-criteria",
    heading="Grant round criteria",
    explanation="Each criterion a round's applications are assessed against is published on the round's page. Until "
    "someone other than whoever wrote the round approves it, the public reads that it awaits review.",
    model=RoundCriterion,
    fields=(PublicField("name", "Criterion", lambda c: CRITERION_AWAITING, rows=2),),
    records=public_round_criteria,
    writer="last_editor",
    authors=lambda c: history_authors(c.round, ROUND_FIELDS) | ({c.last_editor} - {None}),
    name=lambda c: f"{c.name} ({c.weight}%), {c.round.name}",
)

SOURCES = {source.key: source for source in (SERVICES, TENDER_CRITERIA, GRANTS, ROUNDS, ROUND_CRITERIA)}


# ---- What the public reads ------------------------------------------------------------------------------------------


def approved(source: Source, ids: Iterable[int]) -> dict[tuple[int, str], PublicText]:
    """The approved snapshots of these records, in one query."""
    found = source.snapshots().filter(object_id__in=list(ids))
    return {(t.object_id, t.field): t for t in found}


def _shown(f: PublicField, record, snapshot: PublicText | None) -> str:
    if snapshot is not None:
        return snapshot.text
    if (
        f.optional
        and not (getattr(record, f"live_{f.name}", None) or getattr(record, f.name, "") or "").strip()
    ):
        return ""  # nothing written, so nothing awaits review
    return f.awaiting(record)


def public_texts(source: Source, records: Iterable[Model]) -> dict[int, dict[str, str]]:
    """For each record, each field as approved, or what the public reads while it awaits review ("" for an optional
    field with nothing written): one query."""
    records = list(records)
    snapshots = approved(source, (r.pk for r in records))
    return {
        r.pk: {f.name: _shown(f, r, snapshots.get((r.pk, f.name))) for f in source.fields} for r in records
    }


def public_record(source: Source, pk: int) -> dict[str, str] | None:
    """One record's public texts, its live text read with the source's annotations (None when it is not public)."""
    record = source.records().filter(pk=pk).first()
    return None if record is None else public_texts(source, [record])[record.pk]


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
        snapshot = source.snapshots().filter(object_id=OuterRef("pk"), field=f.name)
        as_written = Q(Exists(snapshot.filter(reviewed=OuterRef(f"live_{f.name}"))))
        if f.optional:  # nothing written and nothing public: nothing to review
            as_written |= Q(**{f"live_{f.name}": ""}) & ~Q(Exists(snapshot))
        current &= as_written
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
