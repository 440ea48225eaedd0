"""The public transparency pages and open-data files: no sign-in, as the Specified Information Order requires.

Every list is a plain GET form (year, stream, area, search), so any filtered page can be linked to or
bookmarked; pages run a fixed number of queries whatever the volume (select_related in the selectors).
"""

import json

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from commissioning.models import Commission, Tender
from funding.models import Award, Stream
from grants.models import Round
from opcc import ratelimit
from opcc.aggregates import cached
from opcc.exports import xlsx_bytes
from reporting.opendata import grants360, ocds
from reporting.selectors import public_texts as texts
from reporting.selectors import transparency as published
from reporting.selectors.contract_copies import published_copy

PER_PAGE = 25


def _filters(request):
    years = published.published_years()
    areas = published.areas()
    filters = published.Filters.from_request(
        request.GET, years=[y.start_year for y in years], areas=[a.slug for a in areas]
    )
    return filters, {"filters": filters, "years": years, "areas": areas, "streams": Stream.choices}


def _page(request, qs):
    return Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))


@require_GET
def index(request):
    now = timezone.now()
    return render(
        request,
        "reporting/transparency/index.html",
        {
            "section": "index",
            "grant_count": published.grants_made().count(),
            "contract_count": published.contracts_awarded()
            .filter(amount__gt=published.CONTRACT_THRESHOLD)
            .count(),
            "small_contract_count": published.contracts_awarded()
            .filter(amount__lte=published.CONTRACT_THRESHOLD)
            .count(),
            "round_count": published.open_rounds(now).count(),
            "tender_count": published.open_tenders(timezone.localdate()).count(),
        },
    )


# ---- Grants made ------------------------------------------------------------------------------


@require_GET
def grant_list(request):
    filters, context = _filters(request)
    page = _page(request, published.filtered_grants(filters))
    scheme_of = published.schemes_by_pot()
    rows = [{"award": a, "scheme": scheme_of(a), "area": published.area_of(a)} for a in page]
    return render(
        request,
        "reporting/transparency/grant_list.html",
        {**context, "section": "grants", "page": page, "rows": rows},
    )


@require_GET
def grant_detail(request, reference):
    try:
        award = published.grant(reference)
    except Award.DoesNotExist:
        raise Http404("No grant with that reference has been published") from None
    scheme = published.schemes_by_pot()(award)
    application = published.application_of(award)
    decided = (texts.public_record(texts.GRANTS, application.pk) if application else None) or {}
    round_name = (
        texts.public_texts(texts.ROUNDS, [application.round])[application.round_id]["name"]
        if application
        else ""
    )
    return render(
        request,
        "reporting/transparency/grant_detail.html",
        {
            "section": "grants",
            "award": award,
            "scheme": scheme,
            "area": published.area_of(award),
            "application": application,
            "round_name": round_name,
            "conditions": published.conditions_for(scheme, decided.get("conditions", "")),
            "reasons": decided.get("reasons", ""),
            "registered": published.is_registered(award.organisation),
            "purpose": published.public_purpose(award),
        },
    )


# ---- Contracts -------------------------------------------------------------------------------


def _contract_list(request, *, over_threshold: bool):
    filters, context = _filters(request)
    page = _page(request, published.filtered_contracts(filters, over_threshold=over_threshold))
    rows = [
        {"award": a, "area": published.area_of(a), "method": published.procurement_method(a)[1]} for a in page
    ]
    return render(
        request,
        "reporting/transparency/contract_list.html",
        {
            **context,
            "section": "contracts" if over_threshold else "small-contracts",
            "page": page,
            "rows": rows,
            "over_threshold": over_threshold,
            "threshold": published.CONTRACT_THRESHOLD,
        },
    )


@require_GET
def contract_list(request):
    return _contract_list(request, over_threshold=True)


@require_GET
def small_contract_list(request):
    return _contract_list(request, over_threshold=False)


@require_GET
def contract_detail(request, reference):
    try:
        award = published.contract(reference)
    except Award.DoesNotExist:
        raise Http404("No contract with that reference has been published") from None
    found = published.contract_of(award)
    return render(
        request,
        "reporting/transparency/contract_detail.html",
        {
            "section": "contracts" if award.amount > published.CONTRACT_THRESHOLD else "small-contracts",
            "award": award,
            "contract": found,
            "area": published.area_of(award),
            "value": published.contract_value(award, found),
            "method": published.procurement_method(award)[1],
            "ground": published.single_tender_ground(award),
            "commission": found.procurement.commission if found else None,
            "registered": published.is_registered(award.organisation),
            "copy": published_copy(reference) if award.amount > published.CONTRACT_THRESHOLD else None,
        },
    )


# ---- Open grant rounds and invitations to tender -----------------------------------------------


@require_GET
def round_list(request):
    filters, context = _filters(request)
    qs = published.open_rounds()
    if filters.year:
        qs = qs.filter(year__start_year=filters.year)
    if filters.stream:
        qs = qs.filter(scheme__stream=filters.stream)
    if filters.area:
        # A round is open to an area when it is West Mercia wide or funds that area's pots.
        qs = qs.filter(
            Q(pot__isnull=True)
            | Q(pot__area__isnull=True, pot__csp__isnull=True)
            | Q(pot__area__slug=filters.area)
            | Q(pot__csp__area__slug=filters.area)
        )
    if filters.query:
        # The approved name and description only: a search must not find words still awaiting review.
        qs = qs.filter(
            Q(texts.matching(texts.ROUNDS, "pk", filters.query)) | Q(scheme__name__icontains=filters.query)
        )
    page = _page(request, qs)
    public = texts.public_texts(texts.ROUNDS, page)
    rows = [{"round": found, **public[found.pk]} for found in page]
    return render(
        request,
        "reporting/transparency/round_list.html",
        {**context, "section": "rounds", "page": page, "rows": rows},
    )


@require_GET
def round_detail(request, pk):
    try:
        found = published.open_round(pk)
    except Round.DoesNotExist:
        raise Http404("That grant round is not open") from None
    public = texts.public_texts(texts.ROUNDS, [found])[found.pk]
    priorities = [line.strip() for line in public["priorities"].splitlines() if line.strip()]
    return render(
        request,
        "reporting/transparency/round_detail.html",
        {
            "section": "rounds",
            "round": found,
            "public": public,
            "priorities": priorities,
            "criteria": _criteria(texts.ROUND_CRITERIA, found.criteria.all()),
        },
    )


def _criteria(source, criteria) -> list[dict]:
    """Each criterion with its weight and its words as approved for publication (one query for them all)."""
    criteria = list(criteria)
    public = texts.public_texts(source, criteria)
    return [{"weight": c.weight, **public[c.pk]} for c in criteria]


@require_GET
def tender_list(request):
    filters, context = _filters(request)
    qs = published.open_tenders()
    if filters.stream:
        qs = qs.filter(procurement__commission__stream=filters.stream)
    if filters.year:
        qs = qs.filter(
            published_on__gte=f"{filters.year}-04-01", published_on__lte=f"{filters.year + 1}-03-31"
        )
    if filters.area:
        served = Commission.objects.filter(areas__slug=filters.area).values("pk")
        qs = qs.filter(
            Q(procurement__commission__in=served) | Q(procurement__commission__coverage="west_mercia")
        )
    if filters.query:
        # The approved title and description only: a search must not find words still awaiting review.
        qs = qs.filter(
            Q(texts.matching(texts.SERVICES, "procurement__commission_id", filters.query))
            | Q(portal_reference__iexact=filters.query)
        )
    page = _page(request, qs)
    commissions = [tender.procurement.commission for tender in page]
    public = texts.public_texts(texts.SERVICES, commissions)
    rows = [{"tender": tender, "title": public[tender.procurement.commission_id]["title"]} for tender in page]
    return render(
        request,
        "reporting/transparency/tender_list.html",
        {**context, "section": "tenders", "page": page, "rows": rows},
    )


@require_GET
def tender_detail(request, pk):
    try:
        tender = published.open_tender(pk)
    except Tender.DoesNotExist:
        raise Http404("That invitation to tender is not open") from None
    commission = tender.procurement.commission
    return render(
        request,
        "reporting/transparency/tender_detail.html",
        {
            "section": "tenders",
            "tender": tender,
            "commission": commission,
            "public": texts.public_texts(texts.SERVICES, [commission])[commission.pk],
            "criteria": _criteria(texts.TENDER_CRITERIA, tender.criteria.all()),
            "areas": list(commission.areas.all()),
        },
    )


# ---- Open data -------------------------------------------------------------------------------


@require_GET
def open_data(request):
    return render(
        request,
        "reporting/transparency/open_data.html",
        {
            "section": "open-data",
            "licence_url": grants360.OGL,
            "grant_prefix": settings.GRANT_ID_PREFIX,
        },
    )


def rate_limited(view):
    """The open-data files are built on request: a fair-use limit per address (read at request time)."""

    def wrapped(request, *args, **kwargs):
        limited = ratelimit.limit(
            scope="open-data", per_minute=settings.RATE_LIMIT_OPEN_DATA, methods=("GET",)
        )
        return limited(view)(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _built(name: str, build) -> bytes:
    """A file's bytes, built once per version of the data (opcc.aggregates) and per day (which tenders are
    open depends on the date): a write to the domain's tables retires it, so the public get what is
    published now, and a burst of downloads costs one build."""
    return cached("open-data", (name, timezone.localdate().isoformat()), build)


def _json_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "public, max-age=300"
    return response


def _json_bytes(document: dict) -> bytes:
    return json.dumps(document, ensure_ascii=False, indent=2).encode()


@require_GET
@rate_limited
def grants_json(request):
    """Every grant made, as a 360Giving 1.4 package."""
    body = _built("grants.360giving.json", lambda: _json_bytes(grants360.package()))
    return _json_response(body, "grants.360giving.json")


def _grants_workbook() -> bytes:
    records = grants360.package()["grants"]
    return xlsx_bytes([("grants", grants360.SPREADSHEET_HEADER, grants360.spreadsheet_rows(records))])


@require_GET
@rate_limited
def grants_xlsx(request):
    """The same grants in the 360Giving spreadsheet layout; every cell safe against formula injection."""
    response = HttpResponse(
        _built("grants.360giving.xlsx", _grants_workbook),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="grants.360giving.xlsx"'
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_GET
@rate_limited
def contracts_json(request):
    """Contracts and their tenders, and open invitations to tender, as an OCDS 1.1.5 release package."""
    body = _built("contracts.ocds.json", lambda: _json_bytes(ocds.package()))
    return _json_response(body, "contracts.ocds.json")
