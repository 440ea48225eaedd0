"""Modifying a signed contract (Procurement Act 2023 ss.74-75) and the notices its end calls for (s.80).

The size of a change is computed here, never typed: its value change as a share of the contract's estimated value
and its term change as a share of the maximum term provided for on award. A contract change notice must be
published BEFORE the contract is modified (s.75(1)) unless the change moves the value by 10% or less (services)
and the term by 10% or less (s.75(2)); light-touch contracts are exempt (s.75(6)(b)), and so are contracts below
the threshold (s.75 is about public contracts, and convertible ones: a change that takes a contract over the
threshold counts). A change that could reasonably have been made with earlier ones is measured with them
(s.75(4)-(5)): here, every change since the last one that needed a notice, agreed within 12 months of it.

A change that needs a notice waits for it: the notice is drafted, and the change is applied (the award's money and
dates through funding's services) once the notice's publication is recorded.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from commissioning.models import (
    Contract,
    ContractChange,
    Notice,
    NoticeKind,
    ProcurementBand,
    Route,
)
from commissioning.procurement import ensure_default_bands
from commissioning.selectors import whole_value
from commissioning.services.notices import ensure_notice
from funding.services import variations
from opcc.calendar import add_months, add_years
from opcc.money import ZERO, gbp
from opcc.permissions import require_perm
from opcc.types import Actor

# s.75(2)(a)(i) and (b): services (every contract the office commissions is for services); works would be 15%.
VALUE_LIMIT = Decimal("10")
TERM_LIMIT = Decimal("10")
# Changes agreed within this many months of each other are measured together (s.75(4)).
TOGETHER_MONTHS = 12
# The Act applies to procurements started from this day (Procurement Act 2023 (Commencement No. 3) Regulations).
ACT_FROM = date(2025, 2, 24)
FOUR_PLACES = Decimal("0.0001")


def estimated_value(contract: Contract) -> Decimal:
    """The contract's estimated value as awarded: the initial term plus each extension option at the annual value."""
    return whole_value(contract.annual_value, contract.total_value, contract.extension_options)


def maximum_term_days(contract: Contract) -> int:
    """The maximum term provided for on award (the initial term and every extension option), in days."""
    years = contract.initial_term_years + sum(contract.extension_options)
    return (add_years(contract.start_date, years) - contract.start_date).days


def regulated_threshold(*, light_touch: bool) -> Decimal:
    ensure_default_bands()
    band = ProcurementBand.objects.filter(route=Route.REGULATED).first()
    if band is None:
        return Decimal("207720")
    if light_touch and band.light_touch_lower_bound is not None:
        return band.light_touch_lower_bound
    return band.lower_bound


def under_the_act(contract: Contract) -> bool:
    return timezone.localdate(contract.procurement.chosen_at) >= ACT_FROM


def is_public_contract(contract: Contract, value: Decimal | None = None) -> bool:
    """A contract the Act's notices apply to: procured under the Act, at or above the threshold that applies."""
    light_touch = contract.procurement.commission.light_touch
    value = estimated_value(contract) if value is None else value
    return under_the_act(contract) and value >= regulated_threshold(light_touch=light_touch)


def percent(part: Decimal | int, whole: Decimal | int) -> Decimal:
    if not whole:
        return ZERO
    return (Decimal(part) * 100 / Decimal(whole)).quantize(FOUR_PLACES, ROUND_HALF_UP)


def over(part, whole, limit: Decimal) -> bool:
    """|part| is more than limit% of whole, exactly (no rounding: 10% is within, 10.0001% is over)."""
    return abs(Decimal(part)) * 100 > limit * Decimal(whole)


@dataclass
class ChangeSize:
    estimated_value: Decimal
    maximum_term_days: int
    value_percent: Decimal
    term_days: int
    term_percent: Decimal
    cumulative_value: Decimal
    cumulative_value_percent: Decimal
    cumulative_term_days: int
    cumulative_term_percent: Decimal
    notice_needed: bool
    why: str
    together_with: list = field(default_factory=list)


def _together_with(contract: Contract, agreed_on: date) -> list[ContractChange]:
    """The earlier changes this one could have been made with: those since the last change that needed a notice,
    agreed within TOGETHER_MONTHS of this one."""
    changes = list(contract.changes.order_by("created_at", "id"))
    since: list[ContractChange] = []
    for change in changes:
        if change.notice_needed:
            since.clear()
        else:
            since.append(change)
    window = add_months(agreed_on, -TOGETHER_MONTHS)
    return [c for c in since if c.agreed_on >= window]


def measure_change(
    *, contract: Contract, value_change: Decimal, new_end_date: date | None, agreed_on: date
) -> ChangeSize:
    """The size of a proposed change and whether a contract change notice must be published before it."""
    value_change = value_change or ZERO
    base_value = estimated_value(contract)
    max_days = maximum_term_days(contract)
    current_end = contract.award.end_date
    term_days = (new_end_date - current_end).days if new_end_date else 0
    earlier = _together_with(contract, agreed_on)
    cumulative_value = value_change + sum((c.value_change for c in earlier), ZERO)
    cumulative_days = term_days + sum(
        ((c.new_end_date - c.end_date_before).days for c in earlier if c.new_end_date), 0
    )
    value_over = over(cumulative_value, base_value, VALUE_LIMIT)
    term_over = over(cumulative_days, max_days, TERM_LIMIT)
    light_touch = contract.procurement.commission.light_touch
    public = is_public_contract(contract) or is_public_contract(contract, base_value + cumulative_value)
    together = (
        f" Measured with the {len(earlier)} earlier change{'s' if len(earlier) != 1 else ''} it could have been "
        f"made with (s.75(4)): {percent(cumulative_value, base_value)}% in value and "
        f"{percent(cumulative_days, max_days)}% in term together."
        if earlier
        else ""
    )
    if light_touch:
        needed, why = False, "No contract change notice: light-touch contracts are exempt (s.75(6)(b))."
    elif not public:
        needed, why = (
            False,
            "No contract change notice: the contract is below the threshold and this change does not take it over "
            "(s.75 applies to public and convertible contracts).",
        )
    elif value_over or term_over:
        parts = []
        if value_over:
            parts.append(f"the value by more than {VALUE_LIMIT}%")
        if term_over:
            parts.append(f"the term by more than {TERM_LIMIT}% of the maximum term provided for on award")
        needed, why = (
            True,
            f"A contract change notice must be published before the change is made: it changes "
            f"{' and '.join(parts)} (s.75(1) and (2)).{together}",
        )
    else:
        needed, why = (
            False,
            f"No contract change notice: the change moves the value by {VALUE_LIMIT}% or less and the term by "
            f"{TERM_LIMIT}% or less (s.75(2)).{together}",
        )
    return ChangeSize(
        estimated_value=base_value,
        maximum_term_days=max_days,
        value_percent=percent(value_change, base_value),
        term_days=term_days,
        term_percent=percent(term_days, max_days),
        cumulative_value=cumulative_value,
        cumulative_value_percent=percent(cumulative_value, base_value),
        cumulative_term_days=cumulative_days,
        cumulative_term_percent=percent(cumulative_days, max_days),
        notice_needed=needed,
        why=why,
        together_with=earlier,
    )


def change_problems(
    *,
    contract: Contract,
    value_change: Decimal | None,
    new_end_date: date | None,
    scope_change: str,
    reason: str,
    agreed_on: date | None,
    today: date | None = None,
) -> dict[str, str]:
    """Every problem with a proposed change at once (the form asks this too)."""
    today = today or timezone.localdate()
    errors = {}
    award = contract.award
    value_change = value_change or ZERO
    if award.status != award.Status.ACTIVE:
        errors["__all__"] = "The contract's award is not active: it cannot be changed"
        return errors
    if contract.changes.filter(status=ContractChange.Status.WAITING).exists():
        errors["__all__"] = (
            "A change is waiting for its contract change notice: publish the notice and apply that change first"
        )
    if not (reason or "").strip():
        errors["reason"] = "Enter the reason for the change"
    if not value_change and new_end_date is None and not (scope_change or "").strip():
        errors["value_change"] = "Enter the change: a change in value, a new end date, or the change in scope"
    if new_end_date is not None:
        if new_end_date == award.end_date:
            errors["new_end_date"] = (
                f"The contract already ends on {award.end_date:%-d %B %Y}: leave the new end date blank if the term "
                "does not change"
            )
        elif new_end_date < max(today, award.start_date):
            errors["new_end_date"] = "The new end date must be today or later"
    if value_change < 0 and -value_change >= award.amount:
        errors["value_change"] = (
            "The value cannot come down to £0 or less: to end the contract, serve a break notice or de-commission "
            "the service"
        )
    elif value_change < 0 and -value_change > variations.releasable(award):
        errors["value_change"] = (
            f"{gbp(variations.releasable(award))} of the contract is not yet paid: the value cannot come down by "
            f"{gbp(-value_change)}"
        )
    if problem := agreed_on_problem(contract, agreed_on, today):
        errors["agreed_on"] = problem
    return errors


def agreed_on_problem(contract: Contract, agreed_on: date | None, today: date) -> str | None:
    if agreed_on is None:
        return "Enter the date the change was agreed with the provider"
    if agreed_on > today:
        return "The date agreed cannot be in the future"
    if agreed_on < contract.signed_on:
        return "The change cannot have been agreed before the contract was signed"
    return None


@transaction.atomic
def propose_change(
    *,
    contract: Contract,
    value_change: Decimal | None,
    new_end_date: date | None,
    scope_change: str,
    reason: str,
    agreed_on: date,
    by: Actor,
    today: date | None = None,
) -> ContractChange:
    """Record a change to the contract with its computed size. Applied at once when no contract change notice is
    needed; otherwise the notice is drafted and the change waits until it is published (s.75(1))."""
    require_perm(by, "commissioning.change_commission")
    today = today or timezone.localdate()
    # The contract's row is the lock every change to it takes first, so two changes cannot each be measured
    # without the other (and so slip under the limit together).
    contract = (
        Contract.objects.select_for_update()
        .select_related("award", "procurement__commission")
        .get(pk=contract.pk)
    )
    if problems := change_problems(
        contract=contract,
        value_change=value_change,
        new_end_date=new_end_date,
        scope_change=scope_change,
        reason=reason,
        agreed_on=agreed_on,
        today=today,
    ):
        raise ValidationError(problems)
    value_change = value_change or ZERO
    size = measure_change(
        contract=contract, value_change=value_change, new_end_date=new_end_date, agreed_on=agreed_on
    )
    change = ContractChange(
        contract=contract,
        value_change=value_change,
        new_end_date=new_end_date,
        scope_change=(scope_change or "").strip(),
        reason=reason.strip(),
        agreed_on=agreed_on,
        value_before=contract.award.amount,
        end_date_before=contract.award.end_date,
        estimated_value=size.estimated_value,
        maximum_term_days=size.maximum_term_days,
        value_percent=size.value_percent,
        term_percent=size.term_percent,
        cumulative_value_percent=size.cumulative_value_percent,
        cumulative_term_percent=size.cumulative_term_percent,
        notice_needed=size.notice_needed,
        notice_reason=size.why,
        by=by,
    )
    change.full_clean()
    change.save()
    if size.notice_needed:
        ensure_notice(
            kind=NoticeKind.CONTRACT_CHANGE, key=change.notice_key, triggered_on=today, contract=contract
        )
        return change
    return _apply(change, by=by, today=today)


def change_notice(change: ContractChange) -> Notice | None:
    return Notice.objects.filter(kind=NoticeKind.CONTRACT_CHANGE, key=change.notice_key).first()


def apply_closed(change: ContractChange) -> str | None:
    """Why the change cannot be applied now (None when it can)."""
    if change.status == ContractChange.Status.APPLIED:
        return "This change has already been applied"
    if change.notice_needed:
        notice = change_notice(change)
        if notice is None or notice.status != Notice.Status.PUBLISHED:
            return (
                "Publish the contract change notice on Find a Tender and record its identifier first: the contract "
                "cannot be modified before the notice is published (s.75(1))"
            )
    return None


@transaction.atomic
def apply_change(*, change: ContractChange, by: Actor, today: date | None = None) -> ContractChange:
    require_perm(by, "commissioning.change_commission")
    Contract.objects.select_for_update().get(pk=change.contract_id)
    change = ContractChange.objects.select_for_update().select_related("contract__award").get(pk=change.pk)
    if reason := apply_closed(change):
        raise ValidationError(reason)
    return _apply(change, by=by, today=today)


def _apply(change: ContractChange, *, by: Actor, today: date | None) -> ContractChange:
    variations.vary_award(
        award=change.contract.award,
        amount_change=change.value_change,
        new_end_date=change.new_end_date,
        by=by,
        note=f"Contract change agreed on {change.agreed_on:%-d %B %Y}. {change.reason}",
        today=today,
    )
    change.status = ContractChange.Status.APPLIED
    change.applied_at = timezone.now()
    change.applied_by = by if getattr(by, "is_authenticated", False) else None
    change.save(update_fields=["status", "applied_at", "applied_by"])
    return change


# ---- The end of a contract -------------------------------------------------------------------


def termination_due(ended_on: date) -> date:
    """The last day of the 30 days beginning with the day the contract ended (s.80(1))."""
    return ended_on + timedelta(days=29)


def draft_termination_notice(*, contract: Contract, ended_on: date) -> Notice | None:
    """The contract termination notice a public contract's end calls for, once per contract (its expiry, a break
    notice or de-commissioning: whichever comes first is the end)."""
    if not is_public_contract(contract):
        return None
    return ensure_notice(
        kind=NoticeKind.CONTRACT_TERMINATION,
        key=f"contract:{contract.pk}:end",
        triggered_on=ended_on,
        due_by=termination_due(ended_on),
        contract=contract,
    )


def draft_expiry_notices(today: date | None = None) -> int:
    """The daily sweep: a termination notice for each contract that has reached its end date (or ended early)."""
    today = today or timezone.localdate()
    drafted = 0
    ended = (
        Contract.objects.filter(award__end_date__lt=today)
        .exclude(notices__kind=NoticeKind.CONTRACT_TERMINATION)
        .select_related("award", "procurement__commission")
    )
    for contract in ended[:500]:
        drafted += draft_termination_notice(contract=contract, ended_on=contract.award.end_date) is not None
    return drafted
