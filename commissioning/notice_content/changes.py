"""Notices about a direct award and about a contract once signed: transparency (before a direct award), contract
change, contract performance and contract termination."""

from datetime import UTC, date, datetime, time
from decimal import Decimal

from commissioning.models import (
    ContractChange,
    DecommissioningPlan,
    Notice,
    NoticeKind,
    PerformanceAssessment,
)
from commissioning.notice_content import Prepared, builds
from opcc.money import gbp

# Contracts over this value publish a copy of the modified contract as well (s.77).
PUBLISH_MODIFIED_CONTRACT_OVER = Decimal("5000000")


def _moment(value: date) -> str:
    return datetime.combine(value, time(0), tzinfo=UTC).isoformat().replace("+00:00", "Z")


def _value(money: Decimal) -> dict:
    money = Decimal(money).quantize(Decimal("0.01"))
    return {"amount": int(money) if money == money.to_integral_value() else float(money), "currency": "GBP"}


def _supplier(organisation) -> dict:
    return {"id": organisation.org_id, "name": organisation.name, "roles": ["supplier"]}


def _object(model, notice: Notice):
    """The record a contract notice is about, from its key ("contract:4:change:7" is change 7)."""
    return model.objects.filter(pk=int(notice.key.rsplit(":", 1)[-1])).first()


def _contract_rows(contract) -> list[tuple[str, str]]:
    return [
        ("Contract", f"{contract.award.reference}: {contract.award.title}"),
        ("Supplier", contract.organisation.name),
    ]


def _contract_section(contract, **more) -> dict:
    award = contract.award
    return {"id": award.reference, "awardID": award.reference, "title": award.title, **more}


@builds(NoticeKind.TRANSPARENCY)
def transparency(notice: Notice) -> Prepared:
    procurement = notice.procurement
    if procurement is None:
        return Prepared(missing=["The procurement this notice was drafted for no longer exists"])
    commission = procurement.commission
    sta = getattr(procurement, "sta", None)
    if sta is None:
        return Prepared(missing=["Record the single tender agreement the notice announces"])
    prepared = Prepared(
        rows=[
            ("Title", commission.title),
            ("Description", commission.summary),
            ("Supplier", f"{sta.organisation.name} ({sta.organisation.org_id})"),
            ("Estimated value", gbp(sta.value)),
            ("Direct award justification", sta.get_schedule5_display() or "Not recorded"),
            ("Why the justification applies", sta.justification),
        ]
    )
    if not sta.schedule5:
        prepared.missing.append("Name the Schedule 5 justification the single tender agreement relies on")
    if not sta.is_signed_off:
        prepared.missing.append(f"Sign off the single tender agreement: {sta.sign_off_status.lower()}")
    supplier = _supplier(sta.organisation)
    rationale = f"Procurement Act 2023, Schedule 5 paragraph {sta.schedule5}. " if sta.schedule5 else ""
    prepared.release = {
        "parties": [supplier],
        "tender": {
            "id": f"{commission.reference}-{procurement.cycle}",
            "title": commission.title,
            "description": commission.summary,
            "status": "planned",
            "value": _value(sta.value),
            "procurementMethod": "limited",
            "procurementMethodDetails": "Direct award (Procurement Act 2023, section 41)",
            "procurementMethodRationale": f"{rationale}{sta.justification}",
            "mainProcurementCategory": "services",
            "tenderers": [{"id": supplier["id"], "name": supplier["name"]}],
        },
    }
    return prepared


@builds(NoticeKind.CONTRACT_CHANGE)
def contract_change(notice: Notice) -> Prepared:
    change = _object(ContractChange, notice)
    if change is None:
        return Prepared(missing=["The change this notice was drafted for no longer exists"])
    contract = change.contract
    rows = _contract_rows(contract)
    after_value = change.value_before + change.value_change
    if change.value_change:
        rows.append(
            (
                "Value",
                f"{gbp(change.value_before)} to {gbp(after_value)} ({'+' if change.value_change > 0 else ''}"
                f"{gbp(change.value_change)}, {change.value_percent:.2f}% of the estimated value "
                f"{gbp(change.estimated_value)})",
            )
        )
    if change.new_end_date:
        rows.append(
            (
                "End date",
                f"{change.end_date_before:%-d %B %Y} to {change.new_end_date:%-d %B %Y} "
                f"({change.term_percent:.2f}% of the maximum term of {change.maximum_term_days} days)",
            )
        )
    if change.scope_change:
        rows.append(("Scope", change.scope_change))
    if change.estimated_value > PUBLISH_MODIFIED_CONTRACT_OVER:
        rows.append(
            (
                "Copy of the modified contract",
                "The contract is over £5 million: publish a copy of the modified contract or of the modification "
                "too (s.77)",
            )
        )
    rows += [
        ("Reason", change.reason),
        ("Agreed with the supplier on", f"{change.agreed_on:%-d %B %Y}"),
        ("Why a notice is needed", change.notice_reason),
    ]
    end = change.new_end_date or change.end_date_before
    amendment = {
        "id": f"{contract.award.reference}-change-{change.pk}",
        "date": _moment(change.agreed_on),
        "rationale": change.reason,
        "description": "; ".join(
            f"{label}: {value}" for label, value in rows[2:] if label in ("Value", "End date", "Scope")
        )
        or change.reason,
    }
    return Prepared(
        rows=rows,
        release={
            "contracts": [
                _contract_section(
                    contract,
                    value=_value(after_value),
                    period={"startDate": _moment(contract.award.start_date), "endDate": _moment(end)},
                    amendments=[amendment],
                )
            ]
        },
    )


def _how_it_ended(contract) -> str:
    applied = contract.break_notices.filter(applied_at__isnull=False).first()
    if applied is not None:
        return (
            f"Ended under the break clause: notice served by {applied.get_served_by_display().lower()} on "
            f"{applied.served_on:%-d %B %Y}. {applied.reason}"
        )
    plan = DecommissioningPlan.objects.filter(contract=contract).first()
    if contract.award.status == contract.award.Status.DECOMMISSIONED and plan is not None:
        return f"The service was de-commissioned, with an exit on {plan.exit_date:%-d %B %Y}"
    return "The contract reached the end of its term"


@builds(NoticeKind.CONTRACT_TERMINATION)
def contract_termination(notice: Notice) -> Prepared:
    contract = notice.contract
    if contract is None:
        return Prepared(missing=["The contract this notice was drafted for no longer exists"])
    from commissioning.services.changes import estimated_value  # noqa: PLC0415 - services import this package

    reason = _how_it_ended(contract)
    rows = _contract_rows(contract) + [
        ("Date the contract ended", f"{notice.triggered_on:%-d %B %Y}"),
        ("Why it ended", reason),
        ("Estimated value", gbp(estimated_value(contract))),
    ]
    return Prepared(
        rows=rows,
        release={
            "contracts": [
                _contract_section(
                    contract,
                    status="terminated",
                    statusDetails=reason,
                    value=_value(contract.award.amount),
                    period={
                        "startDate": _moment(contract.award.start_date),
                        "endDate": _moment(notice.triggered_on),
                    },
                )
            ]
        },
    )


@builds(NoticeKind.CONTRACT_PERFORMANCE)
def contract_performance(notice: Notice) -> Prepared:
    assessment = _object(PerformanceAssessment, notice)
    if assessment is None:
        return Prepared(missing=["The assessment this notice was drafted for no longer exists"])
    contract = assessment.contract
    rows = _contract_rows(contract) + [
        ("Period assessed", f"{assessment.period_start:%-d %B %Y} to {assessment.period_end:%-d %B %Y}"),
        *[(f"Key performance indicator: {kpi}", rating) for kpi, rating in assessment.rating_rows()],
    ]
    if assessment.notes:
        rows.append(("Notes", assessment.notes))
    summary = "; ".join(f"{kpi}: {rating}" for kpi, rating in assessment.rating_rows())
    return Prepared(
        rows=rows,
        release={
            "contracts": [
                _contract_section(
                    contract,
                    implementation={
                        "documents": [
                            {
                                "id": f"{contract.award.reference}-performance-{assessment.pk}",
                                "documentType": "physicalProgressReport",
                                "title": f"Contract performance to {assessment.period_end:%-d %B %Y}",
                                "description": summary,
                                "datePublished": _moment(assessment.assessed_on),
                            }
                        ]
                    },
                )
            ]
        },
    )
