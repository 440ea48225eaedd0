"""Reads behind the public transparency pages and the open-data files.

Only what the Elected Local Policing Bodies (Specified Information) Order 2011 asks the office to publish,
and only once it is decided: awards that were made (active, completed, ended early), never one that is
pending, cancelled, declined, in draft or withdrawn. Nothing here returns a person: organisations only.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from commissioning.models import Commission, Route, Tender
from funding import ledger
from funding.models import Award, AwardKind, FinancialYear, Stream
from grants.models import Application, Round, Scheme, SchemeKind
from opcc.models import LocalPolicingArea, OrganisationType
from reporting.models import PublicDescription

PUBLISHED = (
    Award.Status.ACTIVE,
    Award.Status.COMPLETED,
    Award.Status.TERMINATED,
    Award.Status.DECOMMISSIONED,
)
# The Order: contracts (and tenders) with a value exceeding £10,000 are published one by one.
CONTRACT_THRESHOLD = Decimal("10000")
ROAD_SAFETY_POT = "lpcaf-road-safety"


@dataclass(frozen=True)
class Filters:
    year: int | None = None
    stream: str = ""
    area: str = ""
    query: str = ""

    @classmethod
    def from_request(cls, params, *, years: list[int], areas: list[str]) -> "Filters":
        """Unknown values are ignored rather than answered with an error: these are public, linkable URLs."""
        raw_year = (params.get("year") or "").strip()
        year = int(raw_year) if raw_year.isdigit() and int(raw_year) in years else None
        stream = params.get("stream") or ""
        area = params.get("area") or ""
        return cls(
            year=year,
            stream=stream if stream in Stream.values else "",
            area=area if area in areas else "",
            query=(params.get("q") or "").strip()[:100],
        )

    @property
    def active(self) -> bool:
        return bool(self.year or self.stream or self.area or self.query)


def published_years() -> list[FinancialYear]:
    return list(FinancialYear.objects.filter(status=FinancialYear.Status.APPROVED).order_by("-start_year"))


def areas() -> list[LocalPolicingArea]:
    return list(LocalPolicingArea.objects.order_by("name"))


def _award_filters(qs: QuerySet, filters: Filters) -> QuerySet:
    if filters.year:
        qs = qs.filter(pot__year__start_year=filters.year)
    if filters.stream:
        qs = qs.filter(pot__stream=filters.stream)
    if filters.query:
        q = filters.query
        qs = qs.filter(
            # The approved text only: a search must not reveal words of an edit still awaiting review.
            Q(public_description__title__icontains=q)
            | Q(public_description__text__icontains=q)
            | Q(organisation__name__icontains=q)
            | Q(reference__iexact=q)
        )
    return qs


def _area_q(slug: str) -> Q:
    return Q(pot__area__slug=slug) | Q(pot__csp__area__slug=slug)


# ---- Grants made ------------------------------------------------------------------------------

GRANT_RELATED = (
    "organisation",
    "public_description",
    "pot__year",
    "pot__area__csp",
    "pot__csp__area",
    "grant_application__round__scheme",
    "grant_application__area__csp",
    "grant_application__offer",
)


def grants_made() -> QuerySet:
    return (
        Award.objects.filter(kind=AwardKind.GRANT, status__in=PUBLISHED)
        .select_related(*GRANT_RELATED)
        .order_by("-awarded_on", "-start_date", "reference")
    )


def filtered_grants(filters: Filters) -> QuerySet:
    qs = _award_filters(grants_made(), filters)
    if filters.area:
        qs = qs.filter(_area_q(filters.area) | Q(grant_application__area__slug=filters.area))
    return qs


def grant(reference: str) -> Award:
    return grants_made().get(reference=reference)


def schemes_by_pot() -> "SchemeLookup":
    return SchemeLookup(list(Scheme.objects.all()))


class SchemeLookup:
    """The grant scheme an award belongs to: its application's round's scheme, else the one its pot's stream runs."""

    def __init__(self, schemes: list[Scheme]):
        self.by_kind = {s.kind: s for s in schemes}

    def __call__(self, award: Award) -> Scheme | None:
        application = application_of(award)
        if application is not None:
            return application.round.scheme
        if award.pot.key == ROAD_SAFETY_POT:
            return self.by_kind.get(SchemeKind.LPCAF_ROAD_SAFETY)
        kind = {
            Stream.CGS: SchemeKind.CGS,
            Stream.CSP_GRANTS: SchemeKind.CSP,
            Stream.LPCAF: SchemeKind.LPCAF,
        }.get(award.pot.stream)
        return self.by_kind.get(kind)


def application_of(award: Award) -> Application | None:
    try:
        return award.grant_application
    except Application.DoesNotExist:
        return None


def offer_of(application: Application | None):
    if application is None:
        return None
    try:
        return application.offer
    except Application.offer.RelatedObjectDoesNotExist:
        return None


def area_of(award: Award) -> LocalPolicingArea | None:
    """The local policing area an award serves, where it is one area (else West Mercia wide)."""
    if award.pot.area_id:
        return award.pot.area
    if award.pot.csp_id:
        return award.pot.csp.area
    application = application_of(award) if award.kind == AwardKind.GRANT else None
    if application is not None and application.area_id:
        return application.area
    return None


def conditions_for(scheme: Scheme | None, own: str) -> list[str]:
    """The scheme's standard conditions, then the grant's own as approved for publication (`own`: public_texts)."""
    lines = scheme.condition_lines() if scheme else []
    return lines + [line.strip() for line in own.splitlines() if line.strip()]


def public_location(organisation) -> str:
    """Registered bodies are published with their town; an unregistered group with its town only too."""
    return organisation.town


def is_registered(organisation) -> bool:
    return organisation.org_type != OrganisationType.UNREGISTERED


# ---- Contracts -------------------------------------------------------------------------------

CONTRACT_RELATED = (
    "organisation",
    "public_description",
    "pot__year",
    "pot__area",
    "pot__csp__area",
    "contract__procurement__commission",
    "contract__procurement__sta",
    "contract__procurement__tender",
)


def contracts_awarded() -> QuerySet:
    return (
        Award.objects.filter(kind=AwardKind.CONTRACT, status__in=PUBLISHED)
        .select_related(*CONTRACT_RELATED)
        .order_by("-awarded_on", "-start_date", "reference")
    )


def filtered_contracts(filters: Filters, *, over_threshold: bool) -> QuerySet:
    qs = contracts_awarded()
    qs = (
        qs.filter(amount__gt=CONTRACT_THRESHOLD)
        if over_threshold
        else qs.filter(amount__lte=CONTRACT_THRESHOLD)
    )
    qs = _award_filters(qs, filters)
    if filters.area:
        served = Commission.objects.filter(areas__slug=filters.area).values(
            "procurements__contract__award_id"
        )
        qs = qs.filter(_area_q(filters.area) | Q(pk__in=served))
    return qs


def contract(reference: str) -> Award:
    return contracts_awarded().get(reference=reference)


def contract_of(award: Award):
    try:
        return award.contract
    except Award.contract.RelatedObjectDoesNotExist:
        return None


@dataclass(frozen=True)
class ContractValue:
    """A published contract's money: what is committed now, the most it can come to, and what has been paid."""

    total: Decimal  # the initial term and every extension exercised
    annual: Decimal | None
    extensions_exercised: int
    exercised_amount: Decimal
    remaining_years: list[int]  # extension options still open
    had_extensions: bool
    maximum: Decimal  # the total plus each open extension year at the annual value
    paid: Decimal


def contract_value(award: Award, found=None) -> ContractValue:
    """`found` is the award's commissioning contract (`contract_of`), or None for a contract recorded in funding."""

    paid = ledger.paid_on_award(award)
    if found is None:
        return ContractValue(
            total=award.amount,
            annual=None,
            extensions_exercised=0,
            exercised_amount=Decimal("0"),
            remaining_years=[],
            had_extensions=False,
            maximum=award.amount,
            paid=paid,
        )
    remaining = found.remaining_extension_years
    exercised = sum((e.additional for e in found.extensions.all()), Decimal("0"))
    return ContractValue(
        total=award.amount,
        annual=found.annual_value,
        extensions_exercised=found.extensions_used,
        exercised_amount=exercised,
        remaining_years=remaining,
        had_extensions=bool(found.extension_options),
        maximum=award.amount + found.annual_value * sum(remaining),
        paid=paid,
    )


def procurement_method_for(procurement) -> tuple[str, str]:
    """OCDS method and the route in words: open (competitive tender), selective (quotes), limited (single tender)."""
    if procurement.route == Route.SINGLE_TENDER:
        return "limited", procurement.get_route_display()
    if procurement.route in (Route.TENDER, Route.REGULATED):
        return "open", procurement.get_route_display()
    return "selective", procurement.get_route_display()


def procurement_method(award: Award) -> tuple[str, str]:
    found = contract_of(award)
    return procurement_method_for(found.procurement) if found is not None else ("", "")


def single_tender_ground_for(procurement) -> str:
    if procurement.route != Route.SINGLE_TENDER:
        return ""
    sta = getattr(procurement, "sta", None)
    return sta.get_ground_display() if sta else ""


def single_tender_ground(award: Award) -> str:
    found = contract_of(award)
    return single_tender_ground_for(found.procurement) if found is not None else ""


# ---- Open grant rounds and invitations to tender -----------------------------------------------


def open_rounds(now=None) -> QuerySet:
    now = now or timezone.now()
    return (
        Round.objects.filter(opens_at__lte=now, closes_at__gte=now)
        .select_related("scheme", "year", "pot")
        .order_by("closes_at", "name")
    )


def open_round(pk: int) -> Round:
    return open_rounds().prefetch_related("criteria").get(pk=pk)


def open_tenders(today: date | None = None) -> QuerySet:
    today = today or timezone.localdate()
    return (
        Tender.objects.filter(
            published_on__lte=today,
            closes_on__gte=today,
            procurement__commission__status=Commission.Status.DO,
        )
        .select_related("procurement__commission")
        .order_by("closes_on", "id")
    )


def open_tender(pk: int) -> Tender:
    return open_tenders().prefetch_related("criteria", "procurement__commission__areas").get(pk=pk)


# ---- The publication review: what the public reads of an award's title and purpose -----------------------------

AWAITING_REVIEW = "A description of this award will be published once it has been reviewed."
TITLE_AWAITING_REVIEW = "title awaiting review"


def _approved(award: Award) -> PublicDescription | None:
    try:
        return award.public_description
    except PublicDescription.DoesNotExist:
        return None


def public_purpose(award: Award) -> str:
    """The purpose as a second person approved it (reporting.PublicDescription), never the live field."""
    description = _approved(award)
    return description.text if description is not None and description.text else AWAITING_REVIEW


def public_title(award: Award) -> str:
    """The title as a second person approved it; until then the award's reference and a neutral note."""
    description = _approved(award)
    return description.title if description is not None else f"{award.reference}: {TITLE_AWAITING_REVIEW}"


def descriptions_to_review() -> QuerySet:
    """Published awards whose title or purpose is not public as it now reads: never approved, or changed since."""
    current = PublicDescription.objects.filter(
        award=OuterRef("pk"), title=OuterRef("title"), text=OuterRef("purpose")
    )
    return (
        Award.objects.filter(status__in=PUBLISHED)
        .exclude(title="")
        .exclude(Exists(current))
        .select_related("organisation", "created_by", "public_description")
        .order_by("-created_at", "reference")
    )
