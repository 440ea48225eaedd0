"""Notices before and at the start of a competition: preliminary market engagement, planned procurement,
tender (above and below threshold) and procurement termination.

Each builder reads what the commission, its procurement and its tender already record. The rows are in the order
Find a Tender's forms ask for them; what the platform asks that the system does not hold (CPV codes, say) is named
in a row for the officer to choose there, and is listed as missing only where the notice cannot be lawful without it.
"""

from datetime import date

from django.conf import settings
from django.urls import reverse

from commissioning.models import Notice, NoticeKind, Procurement, Route, Tender
from commissioning.notice_content import Prepared, builds
from opcc.money import gbp
from opcc.services.transitions import timeline_for

# Minimum tendering periods for an open procedure above threshold, in days from the tender notice (s.54): 25 with
# electronic tendering and the documents published with the notice; 10 after a planned procurement notice published
# between 40 days and a year before the tender notice.
NORMAL_TENDERING_DAYS = 25
SHORTENED_TENDERING_DAYS = 10
PLANNED_NOTICE_WINDOW = (40, 365)


def _date(value: date | None) -> str:
    return f"{value:%-d %B %Y}" if value else "Not recorded"


def _money(value) -> dict:
    return {"amount": float(value), "currency": "GBP"}


def _moment(value: date) -> str:
    return f"{value.isoformat()}T00:00:00Z"


def _url(name: str, procurement: Procurement) -> str:
    return reverse(f"commissioning:{name}", args=[procurement.commission_id])


def _tender(procurement: Procurement | None) -> Tender | None:
    if procurement is None:
        return None
    return Tender.objects.filter(procurement=procurement).first()


def _published(procurement: Procurement, kind: str) -> Notice | None:
    return (
        Notice.objects.filter(procurement=procurement, kind=kind, status=Notice.Status.PUBLISHED)
        .order_by("-published_on", "-pk")
        .first()
    )


def _notice_document(notice: Notice) -> dict | None:
    """The platform's notice as an OCDS document, once published (the way Find a Tender lists earlier notices)."""
    if not notice.platform_identifier or notice.published_on is None:
        return None
    return {
        "id": notice.platform_identifier,
        "documentType": DOCUMENT_TYPES[NoticeKind(notice.kind)],
        "noticeType": notice.form_code,
        "title": f"{notice.get_kind_display()} on Find a Tender",
        "url": f"https://www.find-tender.service.gov.uk/Notice/{notice.platform_identifier}",
        "datePublished": _moment(notice.published_on),
        "format": "text/html",
    }


# OCDS documentType for each kind of notice built here (the OCDS documentType codelist and the UK extension's).
DOCUMENT_TYPES = {
    NoticeKind.PRELIMINARY_MARKET_ENGAGEMENT: "marketEngagementNotice",
    NoticeKind.PLANNED_PROCUREMENT: "plannedProcurementNotice",
    NoticeKind.TENDER: "tenderNotice",
    NoticeKind.BELOW_THRESHOLD_TENDER: "tenderNotice",
    NoticeKind.PROCUREMENT_TERMINATION: "tenderCancellationNotice",
}


def _common(notice: Notice, procurement: Procurement) -> list[tuple[str, str]]:
    commission = procurement.commission
    return [
        ("Notice", f"{notice.form_code} {notice.get_kind_display().lower()}"),
        ("Contracting authority", settings.OFFICE_NAME),
        ("Procurement reference", f"{commission.reference} cycle {procurement.cycle}"),
        ("Title", commission.title),
        ("Description", commission.summary),
    ]


def _no_procurement(notice: Notice) -> Prepared:
    return Prepared(
        rows=[("Notice", f"{notice.form_code} {notice.get_kind_display().lower()}")],
        missing=["This notice is not linked to a procurement: it cannot be prepared"],
    )


def tendering_period_problem(procurement: Procurement, tender: Tender) -> str | None:
    """Whether the tendering period is shorter than the Act allows above threshold (None when it is long enough)."""
    if procurement.route != Route.REGULATED:
        return None
    days = (tender.closes_on - tender.published_on).days
    planned = _published(procurement, NoticeKind.PLANNED_PROCUREMENT)
    shortened = (
        planned is not None
        and planned.published_on is not None
        and PLANNED_NOTICE_WINDOW[0]
        <= (tender.published_on - planned.published_on).days
        <= PLANNED_NOTICE_WINDOW[1]
    )
    minimum = SHORTENED_TENDERING_DAYS if shortened else NORMAL_TENDERING_DAYS
    if days >= minimum:
        return None
    why = (
        "after a planned procurement notice published 40 days to a year before"
        if shortened
        else "(10 only after a planned procurement notice published 40 days to a year before)"
    )
    return (
        f"Set a tendering period of at least {minimum} days {why}: bids close {days} day{'s' if days != 1 else ''} "
        f"after the tender is published"
    )


def _tender_content(notice: Notice, *, below_threshold: bool) -> Prepared:
    procurement = notice.procurement
    if procurement is None:
        return _no_procurement(notice)
    commission = procurement.commission
    tender = _tender(procurement)
    rows = _common(notice, procurement)
    missing: list[str] = []
    links: dict[str, str] = {}
    rows += [
        ("Estimated value (including VAT)", gbp(procurement.value)),
        ("Main category", "Services"),
        (
            "Classification (CPV codes)",
            "Not held in this system: choose the service's CPV codes on Find a Tender",
        ),
        ("Lots", "Not divided into lots"),
        ("Procedure", "Open procedure" if not below_threshold else "Open procedure (below threshold)"),
    ]
    if not below_threshold:
        rows.append(("Light-touch contract", "Yes" if commission.light_touch else "No"))
    release_tender: dict = {
        "id": f"{commission.reference}-{procurement.cycle}",
        "title": commission.title,
        "description": commission.summary,
        "status": "active",
        "value": _money(procurement.value),
        "procurementMethod": "open",
        "procurementMethodDetails": "Below threshold - open competition"
        if below_threshold
        else "Open procedure",
        "mainProcurementCategory": "services",
    }
    if tender is None:
        item = "Record the tender: its dates, funding envelope and quality/price split"
        missing.append(item)
        links[item] = _url("tender", procurement)
        return Prepared(rows=rows, missing=missing, release={"tender": release_tender}, links=links)
    criteria = list(tender.criteria.all())
    rows += [
        ("Funding envelope", gbp(tender.funding_envelope)),
        ("Tenders submitted through", f"The e-tendering portal, reference {tender.portal_reference}"),
        ("Tender notice published", _date(tender.published_on)),
        ("Clarification questions close", _date(tender.clarification_deadline)),
        ("Tendering period ends", _date(tender.closes_on)),
        (
            "Award criteria",
            f"Quality {tender.quality_weight}%, price {tender.price_weight}%"
            + "".join(
                f"; {c.name} {c.weight}% of quality ({c.weight * tender.quality_weight / 100:g}% overall)"
                for c in criteria
            ),
        ),
    ]
    release_tender.update(
        value=_money(tender.funding_envelope),
        tenderPeriod={"startDate": _moment(tender.published_on), "endDate": _moment(tender.closes_on)},
        submissionMethod=["electronicSubmission"],
        submissionMethodDetails=f"E-tendering portal reference {tender.portal_reference}",
        awardCriteria="ratedCriteria",
        awardCriteriaDetails="; ".join(
            [f"Price {tender.price_weight}%"]
            + [f"{c.name} {c.weight * tender.quality_weight / 100:g}%" for c in criteria]
        ),
    )
    if tender.clarification_deadline:
        release_tender["enquiryPeriod"] = {
            "startDate": _moment(tender.published_on),
            "endDate": _moment(tender.clarification_deadline),
        }
    if sum(c.weight for c in criteria) != 100:
        item = "Set the quality criteria, with weights that add up to 100%"
        missing.append(item)
        links[item] = _url("criteria", procurement)
    if not below_threshold:
        _above_threshold(procurement, tender, rows, missing, links)
    documents = [
        doc
        for doc in (
            _notice_document(n)
            for n in Notice.objects.filter(
                procurement=procurement,
                kind__in=[NoticeKind.PRELIMINARY_MARKET_ENGAGEMENT, NoticeKind.PLANNED_PROCUREMENT],
                status=Notice.Status.PUBLISHED,
            )
        )
        if doc
    ]
    release = {"tender": release_tender}
    if documents:
        release["planning"] = {"documents": documents}
    return Prepared(rows=rows, missing=missing, release=release, links=links)


def _above_threshold(procurement, tender, rows, missing, links) -> None:
    """What only a tender notice above threshold says: the minimum tendering period, and the preliminary market
    engagement notice (or why none was published) and any planned procurement notice before it."""
    if problem := tendering_period_problem(procurement, tender):
        missing.append(problem)
        links[problem] = _url("tender", procurement)
    engagement = Notice.objects.filter(
        procurement=procurement, kind=NoticeKind.PRELIMINARY_MARKET_ENGAGEMENT
    ).first()
    if tender.market_engagement_on is None:
        rows.append(("Preliminary market engagement", "None held"))
    elif engagement is not None and engagement.status == Notice.Status.PUBLISHED:
        rows.append(
            (
                "Preliminary market engagement",
                f"Held on {_date(tender.market_engagement_on)}; notice {engagement.platform_identifier}",
            )
        )
    elif engagement is not None and engagement.status == Notice.Status.NOT_NEEDED:
        rows.append(
            (
                "Why no preliminary market engagement notice was published",
                engagement.not_needed_reason,
            )
        )
    else:
        item = (
            "Publish the preliminary market engagement notice before the tender notice, "
            "or record why it is not needed (the tender notice then gives the reason)"
        )
        missing.append(item)
        if engagement is not None:
            links[item] = reverse("commissioning:notice", args=[engagement.pk])
    planned = _published(procurement, NoticeKind.PLANNED_PROCUREMENT)
    if planned is not None:
        rows.append(("Planned procurement notice", f"{planned.platform_identifier}"))


@builds(NoticeKind.TENDER)
def tender_notice(notice: Notice) -> Prepared:
    return _tender_content(notice, below_threshold=False)


@builds(NoticeKind.BELOW_THRESHOLD_TENDER)
def below_threshold_tender_notice(notice: Notice) -> Prepared:
    prepared = _tender_content(notice, below_threshold=True)
    prepared.rows.insert(
        1,
        (
            "Why this notice",
            "A notifiable below-threshold contract (£30,000 or more) the office chooses to advertise: "
            "it goes on Find a Tender before anywhere else",
        ),
    )
    return prepared


@builds(NoticeKind.PRELIMINARY_MARKET_ENGAGEMENT)
def preliminary_market_engagement_notice(notice: Notice) -> Prepared:
    procurement = notice.procurement
    if procurement is None:
        return _no_procurement(notice)
    commission = procurement.commission
    tender = _tender(procurement)
    rows = _common(notice, procurement)
    missing: list[str] = []
    links: dict[str, str] = {}
    engagement_on = tender.market_engagement_on if tender else None
    notes = tender.market_engagement_notes.strip() if tender else ""
    rows += [
        ("Estimated value (including VAT)", gbp(procurement.value)),
        ("Market engagement event", _date(engagement_on)),
        ("What it found", notes or "Not recorded"),
        (
            "Provider Information Notice",
            f"{commission.pin_where}, {_date(commission.pin_published_on)}"
            + (f", reference {commission.pin_reference}" if commission.pin_reference else "")
            if commission.pin_where
            else "Not recorded",
        ),
    ]
    if engagement_on is None:
        item = "Record the date of the market engagement event"
        missing.append(item)
        links[item] = _url("tender", procurement)
    if not notes:
        item = "Record what the market engagement event found"
        missing.append(item)
        links[item] = _url("tender", procurement)
    planning: dict = {"rationale": notes or commission.summary}
    if engagement_on:
        planning["milestones"] = [
            {
                "id": "engagement",
                "title": "Preliminary market engagement",
                "type": "engagement",
                "description": notes or "Market engagement event",
                "dueDate": _moment(engagement_on),
                "status": "met",
            }
        ]
    release = {
        "planning": planning,
        "tender": {
            "id": f"{commission.reference}-{procurement.cycle}",
            "title": commission.title,
            "description": commission.summary,
            "status": "planning",
            "value": _money(procurement.value),
            "mainProcurementCategory": "services",
        },
    }
    return Prepared(rows=rows, missing=missing, release=release, links=links)


@builds(NoticeKind.PLANNED_PROCUREMENT)
def planned_procurement_notice(notice: Notice) -> Prepared:
    procurement = notice.procurement
    if procurement is None:
        return _no_procurement(notice)
    commission = procurement.commission
    tender = _tender(procurement)
    rows = _common(notice, procurement)
    missing: list[str] = []
    links: dict[str, str] = {}
    rows += [
        ("Estimated value (including VAT)", gbp(procurement.value)),
        ("Main category", "Services"),
        ("Procedure", "Open procedure"),
        ("Date the tender notice is expected", _date(tender.published_on if tender else None)),
        (
            "Why publish it",
            "Published between 40 days and a year before the tender notice, it allows a tendering period of "
            "10 days instead of 25",
        ),
    ]
    release_tender: dict = {
        "id": f"{commission.reference}-{procurement.cycle}",
        "title": commission.title,
        "description": commission.summary,
        "status": "planned",
        "value": _money(procurement.value),
        "procurementMethod": "open",
        "mainProcurementCategory": "services",
    }
    if tender is None:
        item = "Record the tender, with the date its notice will be published"
        missing.append(item)
        links[item] = _url("tender", procurement)
    else:
        release_tender["tenderPeriod"] = {
            "startDate": _moment(tender.published_on),
            "endDate": _moment(tender.closes_on),
        }
        rows.append(("Tendering period ends", _date(tender.closes_on)))
    return Prepared(rows=rows, missing=missing, release={"tender": release_tender}, links=links)


@builds(NoticeKind.PROCUREMENT_TERMINATION)
def procurement_termination_notice(notice: Notice) -> Prepared:
    procurement = notice.procurement
    if procurement is None:
        return _no_procurement(notice)
    commission = procurement.commission
    rows = _common(notice, procurement)
    missing: list[str] = []
    earlier = [
        n
        for n in Notice.objects.filter(
            procurement=procurement,
            kind__in=[NoticeKind.TENDER, NoticeKind.BELOW_THRESHOLD_TENDER, NoticeKind.TRANSPARENCY],
            status=Notice.Status.PUBLISHED,
        ).order_by("published_on", "pk")
    ]
    reason = _withdrawal_reason(commission)
    rows += [
        ("Decision not to award", _date(notice.triggered_on)),
        ("Reason", reason or "Not recorded"),
        (
            "Notices it ends",
            ", ".join(f"{n.form_code} {n.platform_identifier}" for n in earlier) or "None published",
        ),
    ]
    if not reason:
        missing.append("Record why the procurement was ended (the commission's withdrawal note)")
    release = {
        "tender": {
            "id": f"{commission.reference}-{procurement.cycle}",
            "title": commission.title,
            "status": "cancelled",
            "statusDetails": reason or "Cancelled",
            "documents": [doc for doc in (_notice_document(n) for n in earlier) if doc],
        }
    }
    return Prepared(rows=rows, missing=missing, release=release)


def _withdrawal_reason(commission) -> str:
    entry = timeline_for(commission).filter(transition="withdraw").first()
    return entry.note.strip() if entry else ""
