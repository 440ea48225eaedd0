"""A Procurement Act notice as an OCDS 1.1.5 release, the way the central digital platform publishes its data.

The notice's builder (commissioning/notice_content) gives the kind's sections; this module adds what every release
carries: the contracting process's ocid (the same as the contracts' open data), a release id (the platform's notice
identifier once published), the date, the tag for the kind, the buyer and parties, and the notice type. Find a Tender
marks the notice type on the notice's document: `documentType` from OCDS and `noticeType` ("UK4") from the Cabinet
Office's UK extension, which the package declares.
"""

from functools import cache

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from jsonschema import Draft4Validator

from commissioning.models import Notice, NoticeKind
from commissioning.notice_content import BUILDERS, Prepared, prepare
from reporting.opendata.common import OGL, absolute, moment
from reporting.opendata.ocds import VERSION, buyer_party, ocid_for_procurement
from reporting.opendata.schemas import FORMATS, _load, contracts_validator, errors

UK_EXTENSION = "https://raw.githubusercontent.com/cabinetoffice/ocds_uk_extension/main/extension.json"

# The release tag for each kind (OCDS's closed releaseTag codelist).
TAGS = {
    NoticeKind.PRELIMINARY_MARKET_ENGAGEMENT: ["planning"],
    NoticeKind.PLANNED_PROCUREMENT: ["planning"],
    NoticeKind.TENDER: ["tender"],
    NoticeKind.BELOW_THRESHOLD_TENDER: ["tender"],
    NoticeKind.TRANSPARENCY: ["tender"],
    NoticeKind.CONTRACT_AWARD: ["award"],
    NoticeKind.CONTRACT_DETAILS: ["contract"],
    NoticeKind.CONTRACT_PERFORMANCE: ["implementation"],
    NoticeKind.CONTRACT_CHANGE: ["contractAmendment"],
    NoticeKind.CONTRACT_TERMINATION: ["contractTermination"],
    NoticeKind.PROCUREMENT_TERMINATION: ["tenderCancellation"],
    NoticeKind.PAYMENTS_COMPLIANCE: ["implementation"],
}

# The OCDS documentType of the notice itself (OCDS's documentType codelist, with the UK extension's additions).
DOCUMENT_TYPES = {
    NoticeKind.PRELIMINARY_MARKET_ENGAGEMENT: "marketEngagementNotice",
    NoticeKind.PLANNED_PROCUREMENT: "plannedProcurementNotice",
    NoticeKind.TENDER: "tenderNotice",
    NoticeKind.BELOW_THRESHOLD_TENDER: "tenderNotice",
    NoticeKind.TRANSPARENCY: "tenderNotice",
    NoticeKind.CONTRACT_AWARD: "awardNotice",
    NoticeKind.CONTRACT_DETAILS: "contractNotice",
    NoticeKind.CONTRACT_PERFORMANCE: "implementationNotice",
    NoticeKind.CONTRACT_CHANGE: "contractNotice",
    NoticeKind.CONTRACT_TERMINATION: "contractTerminationNotice",
    NoticeKind.PROCUREMENT_TERMINATION: "tenderCancellationNotice",
    NoticeKind.PAYMENTS_COMPLIANCE: "implementationNotice",
}

# Where each kind's notice document sits: the section Find a Tender lists it in.
SECTIONS = {
    NoticeKind.PRELIMINARY_MARKET_ENGAGEMENT: "planning",
    NoticeKind.PLANNED_PROCUREMENT: "planning",
    NoticeKind.CONTRACT_AWARD: "awards",
    NoticeKind.CONTRACT_DETAILS: "awards",
    NoticeKind.TRANSPARENCY: "awards",
    NoticeKind.CONTRACT_PERFORMANCE: "contracts",
    NoticeKind.CONTRACT_CHANGE: "contracts",
    NoticeKind.CONTRACT_TERMINATION: "contracts",
}


def ocid_for_notice(notice: Notice) -> str:
    procurement = notice.procurement or (notice.contract.procurement if notice.contract else None)
    if procurement is not None:
        return ocid_for_procurement(procurement)
    return f"{settings.OCDS_OCID_PREFIX}-{notice.key.replace(':', '-')}"


def notice_document(notice: Notice) -> dict:
    document: dict[str, str | None] = {
        "id": notice.platform_identifier or f"{notice.form_code}-draft-{notice.pk}",
        "documentType": DOCUMENT_TYPES[NoticeKind(notice.kind)],
        "noticeType": notice.form_code,
        "title": f"{notice.get_kind_display()} ({notice.form_code})",
        "language": "en",
    }
    if notice.platform_identifier:
        document["url"] = f"https://www.find-tender.service.gov.uk/Notice/{notice.platform_identifier}"
        document["format"] = "text/html"
    if notice.published_on:
        document["datePublished"] = moment(notice.published_on)
    return document


def _attach(release: dict, notice: Notice, document: dict) -> None:
    """Put the notice's own document where the platform lists it, making the section if the builder gave none."""
    section = SECTIONS.get(NoticeKind(notice.kind), "tender")
    if section in ("awards", "contracts"):
        items = release.get(section) or []
        if items:
            items[0].setdefault("documents", []).append(document)
            return
        section = "tender"
    part = release.setdefault(section, {})
    if section == "tender":
        part.setdefault("id", f"{release['ocid']}-tender")
    documents = part.setdefault("documents", [])
    if all(d.get("id") != document["id"] for d in documents):
        documents.append(document)


def release(notice: Notice) -> dict:
    """The notice as one OCDS release: the builder's sections with the identifiers, parties, tag and notice type."""
    # A kind whose builder is not written yet still has a release: its identifiers, parties and notice type.
    prepared = prepare(notice) if notice.kind in BUILDERS else Prepared()
    sections = dict(prepared.release)
    buyer = buyer_party()
    parties = [buyer] + [p for p in sections.pop("parties", []) if p.get("id") != buyer["id"]]
    ocid = ocid_for_notice(notice)
    when = notice.published_on or timezone.now()
    result = {
        "ocid": ocid,
        "id": notice.platform_identifier or f"{ocid}-{notice.form_code}-{notice.pk}",
        "date": moment(when),
        "tag": TAGS[NoticeKind(notice.kind)],
        "initiationType": "tender",
        "language": "en",
        "buyer": {"id": buyer["id"], "name": buyer["name"]},
        "parties": parties,
        **sections,
    }
    if "tender" in result:
        result["tender"].setdefault("procuringEntity", {"id": buyer["id"], "name": buyer["name"]})
    _attach(result, notice, notice_document(notice))
    return result


def package(notice: Notice, release_: dict | None = None) -> dict:
    """One release in a release package, so the UK extension that defines `noticeType` is declared."""
    item = release_ or notice.published_release or release(notice)
    return {
        "uri": absolute(reverse("commissioning:notice-ocds", args=[notice.pk])),
        "version": VERSION,
        "extensions": [UK_EXTENSION],
        "publishedDate": item["date"],
        "publisher": {"name": settings.OFFICE_NAME},
        "license": OGL,
        "publicationPolicy": absolute("/transparency/"),
        "releases": [item],
    }


@cache
def release_validator() -> Draft4Validator:
    return Draft4Validator(_load("release-schema.json"), format_checker=FORMATS)


def problems(notice_release: dict) -> list[str]:
    """What makes a notice's release invalid against the OCDS 1.1.5 release schema (empty when valid)."""
    return errors(release_validator(), notice_release)


def package_problems(document: dict) -> list[str]:
    return errors(contracts_validator(), document)
