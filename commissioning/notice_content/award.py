"""Notices at the award and the contract: the contract award notice (UK6), published before the contract is entered
into and starting the standstill, and the contract details notice (UK7), published once it is. What the law asks
is in commissioning/award.py."""

from datetime import date

from django.conf import settings
from django.utils import timezone

from commissioning import award as rules
from commissioning.conflicts import conflicts_assessment_confirmation
from commissioning.models import Notice, NoticeKind, Route, SupplierCheck
from commissioning.notice_content import Prepared, builds
from opcc.money import gbp


def _day(d: date | None) -> str:
    return f"{d:%-d %B %Y}" if d else ""


def _moment(d: date | None) -> str | None:
    from reporting.opendata.common import moment  # noqa: PLC0415 - reporting packages these sections; one home for dates

    return moment(d)


def _value(money) -> dict:
    from reporting.opendata.common import amount  # noqa: PLC0415 - as _moment

    return {"amount": amount(money), "currency": "GBP"}


def _procedure(procurement) -> str:
    if procurement.route == Route.SINGLE_TENDER:
        return "Direct award (single tender agreement)"
    if procurement.is_tender:
        return "Open procedure (competitive tender)"
    return procurement.get_route_display()


def _process_id(procurement) -> str:
    return f"{procurement.commission.reference}-{procurement.cycle}"


@builds(NoticeKind.CONTRACT_AWARD)
def contract_award(notice: Notice) -> Prepared:
    procurement = notice.procurement
    if procurement is None:
        return Prepared(missing=["The notice is not linked to a procurement"])
    commission = procurement.commission
    decision = getattr(procurement, "decision", None)
    stage = rules.award_stage(procurement)
    prepared = Prepared()
    if decision is None:
        prepared.missing.append(rules.DECISION_ITEM)
        return prepared
    supplier = decision.organisation
    sent = [s for s in stage.summaries if s.is_sent]
    published_on = stage.published_on
    standstill = (
        f"From {_day(published_on)} to {_day(stage.ends_on)}: the contract can be entered into from "
        f"{_day(stage.contract_from)}"
        if published_on
        else f"Eight working days beginning with the day of publication (published today, it would end on "
        f"{_day(rules.standstill_ends(timezone.localdate()))})"
    )
    if stage.voluntary:
        standstill += ". A voluntary standstill: the contract is a light-touch contract"
    prepared.rows = [
        ("Contracting authority", settings.OFFICE_NAME),
        ("Procurement", f"{commission.title} ({_process_id(procurement)})"),
        ("Procedure", _procedure(procurement)),
        ("Light-touch contract", "Yes" if commission.light_touch else "No"),
        ("Supplier to be awarded the contract", supplier.name),
        ("Supplier identifier", supplier_identifier(procurement, supplier)),
        ("Value of the contract (including VAT)", gbp(decision.value)),
        ("Date of the award decision", _day(decision.decided_on)),
    ]
    if procurement.is_tender:
        prepared.rows.append(
            (
                "Assessment summaries",
                f"Sent to {len(sent)} of {len(stage.summaries)} assessed suppliers"
                + (f", the last on {_day(max(timezone.localdate(s.sent_at) for s in sent))}" if sent else ""),
            )
        )
        if not stage.summaries:
            prepared.missing.append("Draw the assessment summaries: none has been drawn for this tender")
        for summary in stage.unsent:
            prepared.missing.append(rules.SEND_ITEM.format(summary.organisation))
    prepared.rows.append(("Standstill period", standstill))
    award = {
        "id": f"{_process_id(procurement)}-award",
        "title": commission.title,
        "description": commission.summary,
        "status": "pending",
        "date": _moment(decision.decided_on),
        "value": _value(decision.value),
        "suppliers": [{"id": supplier.org_id, "name": supplier.name}],
    }
    if published_on:
        # The standstill as a milestone of the award, as the central digital platform publishes it.
        award["milestones"] = [
            {
                "id": f"{_process_id(procurement)}-standstill",
                "title": "Standstill period",
                "type": "engagement",
                "code": "standstillPeriod",
                "dueDate": _moment(stage.ends_on),
                "status": "scheduled" if stage.in_standstill() else "met",
            }
        ]
    prepared.release = {"awards": [award]}
    return prepared


def _kpi_line(contract, procurement) -> tuple[str, list[str]]:
    """The KPIs the notice sets out, or why it sets out none (s.52), and what is missing."""
    kpis = list(contract.kpis.all())
    if kpis:
        line = "; ".join(f"{k.name}: {k.target}" for k in kpis)
    elif procurement.commission.light_touch:
        line = "None: a light-touch contract needs no key performance indicators (section 52)"
    elif not rules.needs_kpis(procurement):
        line = "None: the contract is worth £5 million or less, so section 52 does not ask for them"
    else:
        line = "None recorded"
    missing = []
    if rules.needs_kpis(procurement) and len(kpis) < 3:
        missing.append(
            "Record at least three key performance indicators: the contract is worth more than £5 million (section 52)"
        )
    return line, missing


@builds(NoticeKind.CONTRACT_DETAILS)
def contract_details(notice: Notice) -> Prepared:
    contract = notice.contract
    if contract is None:
        return Prepared(missing=["The notice is not linked to a contract"])
    procurement = contract.procurement
    commission = procurement.commission
    award = contract.award
    supplier = contract.organisation
    stage = rules.award_stage(procurement)
    kpis, missing = _kpi_line(contract, procurement)
    prepared = Prepared(missing=missing)
    prepared.rows = [
        ("Contracting authority", settings.OFFICE_NAME),
        ("Contract", f"{commission.title} ({award.reference})"),
        ("Supplier", supplier.name),
        ("Supplier identifier", supplier_identifier(procurement, supplier)),
        ("Procedure", _procedure(procurement)),
        ("Light-touch contract", "Yes" if commission.light_touch else "No"),
        ("Value of the initial term (including VAT)", gbp(contract.total_value)),
        ("Annual value", gbp(contract.annual_value)),
        ("Date entered into", _day(contract.signed_on)),
        ("Start and end dates", f"{_day(contract.start_date)} to {_day(award.end_date)}"),
        ("Term and extension options", f"{contract.extension_pattern} years"),
        ("Key performance indicators", kpis),
        (
            "Conflicts assessment",
            conflicts_assessment_confirmation(procurement)
            or "Not confirmed yet: prepare or revise the conflicts assessment (section 83)",
        ),
    ]
    if stage.needed:
        prepared.rows.append(
            (
                "Contract award notice",
                f"{stage.notice.platform_identifier}, published {_day(stage.published_on)}"
                if stage.published_on and stage.notice
                else "Not published",
            )
        )
    else:
        prepared.rows.append(
            ("Below threshold", "A notifiable below-threshold contract (section 87): no standstill applies")
        )
    prepared.rows.append(("Publish by", _day(notice.due_by)))
    prepared.release = {
        "contracts": [
            {
                "id": award.reference,
                "awardID": f"{_process_id(procurement)}-award",
                "title": commission.title,
                "description": commission.summary,
                "status": "active",
                "period": {"startDate": _moment(contract.start_date), "endDate": _moment(award.end_date)},
                "value": _value(contract.total_value),
                "dateSigned": _moment(contract.signed_on),
            }
        ]
    }
    return prepared


def supplier_identifier(procurement, supplier) -> str:
    """The supplier's central digital platform identifier (PPON) from its exclusion check in this procurement,
    which the platform's notices ask for; else its registration number."""
    check = (
        SupplierCheck.objects.filter(procurement=procurement, organisation=supplier)
        .only("cdp_identifier")
        .first()
    )
    return (check.cdp_identifier if check else "") or supplier.org_id
