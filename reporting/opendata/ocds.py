"""Contracts and their tenders as an Open Contracting Data Standard 1.1.5 release package.

One release per contracting process: a contract that was let (with its tender, award and contract) and
each invitation to tender that is open now (tender only). A process run through commissioning is
identified by its commission and cycle; a contract recorded only in funding by its award reference.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from commissioning.models import Route
from funding.models import Award
from reporting.opendata.common import OGL, absolute, amount, funder, moment, with_last_modified
from reporting.selectors import public_texts as texts
from reporting.selectors import transparency as published

VERSION = "1.1"
CONTRACT_STATUS = {Award.Status.ACTIVE: "active"}  # completed, terminated, decommissioned: no longer in force


def ocid_for_procurement(procurement) -> str:
    return f"{settings.OCDS_OCID_PREFIX}-{procurement.commission.reference}-{procurement.cycle}"


def ocid_for_award(award) -> str:
    found = published.contract_of(award)
    if found is not None:
        return ocid_for_procurement(found.procurement)
    return f"{settings.OCDS_OCID_PREFIX}-{award.reference}"


def value(money) -> dict:
    return {"amount": amount(money), "currency": "GBP"}


def period(start, end) -> dict:
    return {"startDate": moment(start), "endDate": moment(end)}


def buyer_party() -> dict:
    office = funder()
    return {
        "id": office["id"],
        "name": office["name"],
        "roles": ["buyer", "procuringEntity"],
        "identifier": _identifier(office["id"], office["name"]),
    }


def _identifier(org_id: str, name: str) -> dict:
    scheme, _, local = org_id.rpartition("-")
    return {"scheme": scheme, "id": local, "legalName": name}


def supplier_party(organisation) -> dict:
    party = {
        "id": organisation.org_id,
        "name": organisation.name,
        "roles": ["supplier"],
        "identifier": _identifier(organisation.org_id, organisation.name),
        "address": {"locality": organisation.town, "countryName": "United Kingdom"},
    }
    if published.is_registered(organisation) and organisation.postcode:
        party["address"]["postalCode"] = organisation.postcode
    return party


def _reference(party: dict) -> dict:
    return {"id": party["id"], "name": party["name"]}


def _notice(document_id: str, kind: str, title: str, path: str) -> dict:
    """A link to the public page that is the notice (OCDS documentType awardNotice or tenderNotice)."""
    return {
        "id": document_id,
        "documentType": kind,
        "title": title,
        "url": absolute(path),
        "format": "text/html",
        "language": "en",
    }


def tender_section(procurement, buyer: dict, *, status: str, services: dict[int, dict[str, str]]) -> dict:
    """`services`: the commissions' titles and descriptions as approved for publication (public_texts)."""
    commission = procurement.commission
    method, details = published.procurement_method_for(procurement)
    tender = {
        "id": f"{commission.reference}-{procurement.cycle}",
        "title": services[commission.pk]["title"],
        "description": services[commission.pk]["summary"],
        "status": status,
        "procuringEntity": _reference(buyer),
        "value": value(procurement.value),
        "procurementMethod": method,
        "procurementMethodDetails": details,
        "mainProcurementCategory": "services",
    }
    if procurement.route == Route.SINGLE_TENDER:
        ground = published.single_tender_ground_for(procurement)
        if ground:
            tender["procurementMethodRationale"] = f"Single tender agreement on ground {ground}"
    found_tender = (
        getattr(procurement, "tender", None) if procurement.route in (Route.TENDER, Route.REGULATED) else None
    )
    if found_tender is not None:
        tender["value"] = value(found_tender.funding_envelope)
        tender["tenderPeriod"] = period(found_tender.published_on, found_tender.closes_on)
        tender["awardCriteria"] = "ratedCriteria"
        tender["awardCriteriaDetails"] = (
            f"Quality {found_tender.quality_weight}%, price {found_tender.price_weight}%"
        )
        tender["submissionMethod"] = ["electronicSubmission"]
        tender["submissionMethodDetails"] = f"E-tendering portal reference {found_tender.portal_reference}"
    return tender


def contract_release(award, buyer: dict, services: dict[int, dict[str, str]]) -> tuple[dict, dict]:
    supplier = supplier_party(award.organisation)
    found = published.contract_of(award)
    modified = moment(award.last_modified or award.created_at)
    awarded = moment(award.awarded_on or award.start_date)
    release = {
        "ocid": ocid_for_award(award),
        "id": f"{award.reference}-{modified.replace(':', '').replace('-', '')}",
        "date": modified,
        "tag": ["award", "contract"],
        "initiationType": "tender",
        "language": "en",
        "buyer": _reference(buyer),
        "parties": [buyer, supplier],
        "awards": [
            {
                "id": award.reference,
                "title": published.public_title(award),
                "description": published.public_purpose(award),
                "status": "active",
                "date": awarded,
                "value": value(award.amount),
                "suppliers": [_reference(supplier)],
                "contractPeriod": period(award.start_date, award.end_date),
                "documents": [
                    _notice(
                        f"{award.reference}-notice",
                        "awardNotice",
                        f"Contract {award.reference}: {published.public_title(award)}",
                        reverse("reporting:transparency-contract", args=[award.reference]),
                    )
                ],
            }
        ],
        "contracts": [
            {
                "id": award.reference,
                "awardID": award.reference,
                "title": published.public_title(award),
                "description": published.public_purpose(award),
                "status": CONTRACT_STATUS.get(award.status, "terminated"),
                "period": period(award.start_date, award.end_date),
                "value": value(award.amount),
                "dateSigned": moment(found.signed_on if found else award.awarded_on),
            }
        ],
    }
    if found is not None:
        release["tag"].insert(0, "tender")
        release["tender"] = tender_section(found.procurement, buyer, status="complete", services=services)
    else:
        release["tender"] = {
            "id": f"{award.reference}-tender",
            "title": published.public_title(award),
            "status": "complete",
            "procuringEntity": _reference(buyer),
        }
    return release, supplier


def open_tender_release(tender, buyer: dict, services: dict[int, dict[str, str]]) -> dict:
    procurement = tender.procurement
    modified = moment(tender.published_on)
    section = tender_section(procurement, buyer, status="active", services=services)
    section["documents"] = [
        _notice(
            f"{section['id']}-notice",
            "tenderNotice",
            f"Invitation to tender: {section['title']}",
            reverse("reporting:transparency-tender", args=[tender.pk]),
        )
    ]
    return {
        "ocid": ocid_for_procurement(procurement),
        "id": f"{procurement.commission.reference}-{procurement.cycle}-tender",
        "date": modified,
        "tag": ["tender"],
        "initiationType": "tender",
        "language": "en",
        "buyer": _reference(buyer),
        "parties": [buyer],
        "tender": section,
    }


def contracts():
    return with_last_modified(published.contracts_awarded()).order_by("reference")


def package() -> dict:
    buyer = buyer_party()
    awards = list(contracts())
    tenders = list(published.open_tenders())
    commissions = [t.procurement.commission for t in tenders] + [
        found.procurement.commission for found in map(published.contract_of, awards) if found is not None
    ]
    services = texts.public_texts(texts.SERVICES, commissions)
    releases = [contract_release(award, buyer, services)[0] for award in awards]
    let = {r["ocid"] for r in releases}
    releases += [
        open_tender_release(t, buyer, services)
        for t in tenders
        if ocid_for_procurement(t.procurement) not in let
    ]
    return {
        "uri": absolute(reverse("reporting:open-data-contracts")),
        "version": VERSION,
        "publishedDate": max((r["date"] for r in releases), default=moment(timezone.now())),
        "publisher": {
            "name": settings.OFFICE_NAME,
            "uid": settings.FUNDER_ORG_ID,
            "uri": absolute(reverse("reporting:open-data")),
        },
        "license": OGL,
        "publicationPolicy": absolute(reverse("reporting:open-data")),
        "releases": releases,
    }
