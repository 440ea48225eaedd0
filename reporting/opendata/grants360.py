"""Grants made, in the 360Giving Data Standard 1.4: a JSON package and the standard's spreadsheet layout."""

from datetime import date

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from reporting.opendata.common import OGL, absolute, amount, funder, moment, with_last_modified
from reporting.selectors import transparency as published

VERSION = "1.4"


def grant_id(award) -> str:
    return f"360G-{settings.GRANT_ID_PREFIX}-{award.reference}"


def recipient(organisation) -> dict:
    """The organisation as a public body knows it: never a contact person, email or phone number.

    An unregistered group is published with its name and town only."""
    found = {"id": organisation.org_id, "name": organisation.name}
    if organisation.charity_number:
        found["charityNumber"] = organisation.charity_number
    if organisation.company_number:
        found["companyNumber"] = organisation.company_number
    if organisation.town:
        found["addressLocality"] = organisation.town
    if published.is_registered(organisation) and organisation.postcode:
        found["postalCode"] = organisation.postcode
    found["addressCountry"] = "United Kingdom"
    return found


def beneficiary_location(award) -> dict:
    area = published.area_of(award)
    if area is None:
        return {
            "name": "West Mercia",
            "countryCode": "GB",
            "geoCode": settings.POLICE_FORCE_AREA_CODE,
            "geoCodeType": "PFA",
        }
    csp = getattr(area, "csp", None)
    location = {"name": csp.name if csp else area.name, "countryCode": "GB"}
    code = settings.CSP_GEOCODES.get(area.slug)
    if code:
        location.update(geoCode=code, geoCodeType="CSP")
    return location


def programme(award, scheme) -> dict:
    if scheme is not None:
        return {"code": scheme.kind, "title": scheme.name}
    return {"code": award.pot.stream, "title": award.pot.get_stream_display()}


def grants():
    """Every grant that was made, with what the file needs, in a fixed number of queries."""
    return with_last_modified(published.grants_made()).order_by("reference")


def grant_record(award, scheme_of) -> dict:
    scheme = scheme_of(award)
    application = published.application_of(award)
    record = {
        "id": grant_id(award),
        "title": published.public_title(award),
        "description": published.public_purpose(award),
        "currency": "GBP",
        "amountAwarded": amount(award.amount),
        # Full date-times: the schema's "date or date-time" oneOf only holds for a date-only value when
        # the validator checks formats, and not every consumer's validator does.
        "awardDate": moment(award.awarded_on or award.start_date),
        "plannedDates": [{"startDate": moment(award.start_date), "endDate": moment(award.end_date)}],
        "recipientOrganization": [recipient(award.organisation)],
        "fundingOrganization": [funder()],
        "grantProgramme": [programme(award, scheme)],
        "beneficiaryLocation": [beneficiary_location(award)],
        "url": absolute(reverse("reporting:transparency-grant", args=[award.reference])),
        "dateModified": moment(award.last_modified or award.created_at),
    }
    if application is not None:
        record["fromOpenCall"] = "Yes"
        if application.amount_requested is not None:
            record["amountAppliedFor"] = amount(application.amount_requested)
    return record


def package() -> dict:
    scheme_of = published.schemes_by_pot()
    records = [grant_record(award, scheme_of) for award in grants()]
    now = timezone.now()
    return {
        "grants": records,
        "version": VERSION,
        "title": f"Grants made by the {settings.OFFICE_NAME}",
        "description": "Every grant the office has made: active, completed and ended early. Grants offered but "
        "not yet accepted, and applications declined or withdrawn, are not included.",
        "identifier": f"360G-{settings.GRANT_ID_PREFIX}-grants",
        "issued": moment(now),
        "modified": max((r["dateModified"] for r in records), default=moment(now)),
        "license": OGL,
        "publisher": {
            "identifier": settings.FUNDER_ORG_ID,
            "name": settings.OFFICE_NAME,
            "website": absolute(reverse("reporting:open-data")),
        },
    }


SPREADSHEET_HEADER = [
    "Identifier",
    "Title",
    "Description",
    "Currency",
    "Amount Applied For",
    "Amount Awarded",
    "Award Date",
    "Planned Dates:Start Date",
    "Planned Dates:End Date",
    "Recipient Org:Identifier",
    "Recipient Org:Name",
    "Recipient Org:Charity Number",
    "Recipient Org:Company Number",
    "Recipient Org:City",
    "Recipient Org:Postal Code",
    "Funding Org:Identifier",
    "Funding Org:Name",
    "Grant Programme:Code",
    "Grant Programme:Title",
    "Beneficiary Location:Name",
    "Beneficiary Location:Country Code",
    "Beneficiary Location:Geographic Code",
    "Beneficiary Location:Geographic Code Type",
    "From An Open Call?",
    "URL",
    "Last Modified",
]


def _date(value: str):
    """The spreadsheet shows dates as dates."""
    return date.fromisoformat(value[:10]) if value else None


def spreadsheet_rows(records: list[dict]) -> list[list]:
    """One row per grant, column titles as the 360Giving spreadsheet template names them."""
    rows = []
    for g in records:
        org, fund, prog, loc, dates = (
            g["recipientOrganization"][0],
            g["fundingOrganization"][0],
            g["grantProgramme"][0],
            g["beneficiaryLocation"][0],
            g["plannedDates"][0],
        )
        rows.append(
            [
                g["id"],
                g["title"],
                g["description"],
                g["currency"],
                g.get("amountAppliedFor"),
                g["amountAwarded"],
                _date(g["awardDate"]),
                _date(dates["startDate"]),
                _date(dates["endDate"]),
                org["id"],
                org["name"],
                org.get("charityNumber", ""),
                org.get("companyNumber", ""),
                org.get("addressLocality", ""),
                org.get("postalCode", ""),
                fund["id"],
                fund["name"],
                prog["code"],
                prog["title"],
                loc["name"],
                loc.get("countryCode", ""),
                loc.get("geoCode", ""),
                loc.get("geoCodeType", ""),
                g.get("fromOpenCall", "No"),
                g["url"],
                g["dateModified"],
            ]
        )
    return rows
