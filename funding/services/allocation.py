"""Writes to a year's income and allocation. Draft years change freely; approved ones by variation."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from funding import ledger
from funding.models import (
    MAX_AMOUNT,
    AllocationVariation,
    FinancialYear,
    IncomeLine,
    IncomeSource,
    Pot,
    PotIncome,
)
from opcc.calendar import this_financial_year
from opcc.money import ZERO, gbp
from opcc.permissions import require_perm
from opcc.services.transitions import apply_transition
from opcc.types import Actor

# How far ahead the medium-term financial plan may reach, from the current year.
PLAN_HORIZON = 10


def ensure_year(start_year: int, status: str = FinancialYear.Status.DRAFT) -> FinancialYear:
    """The year, created (as a draft, or `status`) if there is none yet."""
    year, _ = FinancialYear.objects.get_or_create(start_year=start_year, defaults={"status": status})
    return year


def _locked_year(year: FinancialYear) -> FinancialYear:
    # Every change to a year's money takes this lock first, so the checks below see a settled year.
    return FinancialYear.objects.select_for_update().get(pk=year.pk)


def _require_reason(year: FinancialYear, reason: str) -> None:
    if year.is_approved and not (reason or "").strip():
        raise ValidationError(
            {"reason": "Enter the reason for this change: the allocation has been approved"}
        )


@transaction.atomic
def save_income_line(
    *,
    year: FinancialYear,
    source: str,
    amount: Decimal,
    description: str = "",
    line: IncomeLine | None = None,
) -> IncomeLine:
    year = _locked_year(year)
    line = line or IncomeLine(year=year)
    old = line.amount if line.pk else Decimal("0")
    line.source, line.amount, line.description = source, amount, description
    line.full_clean()
    income = ledger.income_total(year) - old + amount
    ledger.check_year_allocation(
        year,
        income=income,
        police_budget=year.police_budget,
        allocated=ledger.allocated_total(year),
        field="amount",
    )
    line.save()
    return line


@transaction.atomic
def delete_income_line(line: IncomeLine) -> None:
    year = _locked_year(line.year)
    income = ledger.income_total(year) - line.amount
    ledger.check_year_allocation(
        year,
        income=income,
        police_budget=year.police_budget,
        allocated=ledger.allocated_total(year),
        field="amount",
    )
    line.delete()


def variation_problems(
    *, year: FinancialYear, pot: Pot | None, amount: Decimal, field: str
) -> dict[str, list[str]]:
    """What the ledger would refuse about a new police budget (pot None) or pot allocation, by field. The variation
    form asks this so its page lists every problem at once; the services check again with the rows locked."""
    try:
        if pot is None:
            ledger.check_year_allocation(
                year,
                income=ledger.income_total(year),
                police_budget=amount,
                allocated=ledger.allocated_total(year),
                field=field,
            )
        else:
            ledger.check_pot_not_below_commitments(pot, amount, field=field)
            ledger.check_year_allocation(
                year,
                income=ledger.income_total(year),
                police_budget=year.police_budget,
                allocated=ledger.allocated_total(year, exclude_pot=pot) + amount,
                field=field,
            )
    except ValidationError as exc:
        return exc.message_dict
    return {}


@transaction.atomic
def set_police_budget(*, year: FinancialYear, amount: Decimal, by: Actor, reason: str = "") -> FinancialYear:
    year = _locked_year(year)
    _require_reason(year, reason)
    ledger.check_year_allocation(
        year,
        income=ledger.income_total(year),
        police_budget=amount,
        allocated=ledger.allocated_total(year),
        field="police_budget",
    )
    if year.is_approved and amount != year.police_budget:
        AllocationVariation.objects.create(
            year=year,
            pot=None,
            old_amount=year.police_budget,
            new_amount=amount,
            reason=reason.strip(),
            by=by,
        )
    year.police_budget = amount
    year.save(update_fields=["police_budget"])
    return year


@transaction.atomic
def set_pot_allocation(
    *, pot: Pot, amount: Decimal, by: Actor, reason: str = "", field: str = "allocated"
) -> Pot:
    year = _locked_year(pot.year)
    pot = Pot.objects.select_for_update().get(pk=pot.pk)
    _require_reason(year, reason)
    if amount < 0:
        raise ValidationError({field: "The allocation cannot be negative"})
    ledger.check_pot_not_below_commitments(pot, amount, field=field)
    ledger.check_year_allocation(
        year,
        income=ledger.income_total(year),
        police_budget=year.police_budget,
        allocated=ledger.allocated_total(year, exclude_pot=pot) + amount,
        field=field,
    )
    if year.is_approved and amount != pot.allocated:
        AllocationVariation.objects.create(
            year=year, pot=pot, old_amount=pot.allocated, new_amount=amount, reason=reason.strip(), by=by
        )
    pot.allocated = amount
    pot.save(update_fields=["allocated"])
    return pot


@transaction.atomic
def set_draft_allocation(
    *, year: FinancialYear, police_budget: Decimal, pot_amounts: dict[int, Decimal], by: Actor
) -> None:
    """Finance prepares a draft year in one go: the police budget first, then every pot."""
    year = _locked_year(year)
    if year.is_approved:
        raise ValidationError("This allocation has been approved: record a variation with a reason instead")
    pots = {p.pk: p for p in Pot.objects.select_for_update().filter(year=year)}
    total = sum(pot_amounts.values(), Decimal("0"))
    # A draft or indicative year may be set below what is already committed against it (the settlement came in
    # lower than planned): the overview and the plan show the shortfall, and the PCC cannot approve the year until
    # it is resolved (approve lists the awards affected). Nothing about the awards changes silently.
    if errors := _amount_problems({f"pot_{pot_id}": amount for pot_id, amount in pot_amounts.items()}):
        raise ValidationError(errors)
    ledger.check_year_allocation(
        year,
        income=ledger.income_total(year),
        police_budget=police_budget,
        allocated=total,
        field="police_budget" if police_budget > ledger.income_total(year) else "__all__",
    )
    year.police_budget = police_budget
    year.save(update_fields=["police_budget"])
    for pot_id, amount in pot_amounts.items():
        if pots[pot_id].allocated != amount:
            pots[pot_id].allocated = amount
            pots[pot_id].save(update_fields=["allocated"])


def pot_income_problems(
    *, pot: Pot, source: str, amount: Decimal | None, field: str = "amount"
) -> dict[str, str]:
    """What stops `amount` of `source` paying for part of `pot`, by field: empty when it may be saved. The settings
    site's form asks this to show every problem at once; set_pot_income checks again with the rows locked."""
    if source not in IncomeSource.values:
        return {"source": "Choose the income that pays for part of the pot"}
    if amount is None:
        return {field: "Enter how much of the pot's allocation it pays for"}
    if amount < 0:
        return {field: "The amount cannot be negative"}
    if amount > MAX_AMOUNT:
        return {field: "The amount is too large: check it"}
    try:
        ledger.check_pot_income(pot, source, amount, field=field)
    except ValidationError as exc:
        return {k: v[0] for k, v in exc.message_dict.items()}
    return {}


@transaction.atomic
def set_pot_income(*, pot: Pot, source: str, amount: Decimal) -> PotIncome | None:
    """Record how much of a pot's allocation `source` pays for (nothing: the record is removed). The year is locked
    first, as for every change to its money, so two people recording the same grant line cannot together give
    out more of it than the year receives."""
    _locked_year(pot.year)
    pot = Pot.objects.select_for_update().select_related("year").get(pk=pot.pk)
    current = PotIncome.objects.filter(pot=pot, source=source).first()
    if amount == 0:
        if current is not None:
            current.delete()
        return None
    problems = pot_income_problems(pot=pot, source=source, amount=amount)
    if problems:
        raise ValidationError(problems)
    income = current or PotIncome(pot=pot, source=source)
    if income.pk and income.amount == amount:
        return income
    income.amount = amount
    income.full_clean()
    income.save()
    return income


def approval_refusal(short: list[ledger.OverCommitted]) -> str:
    """Why a year cannot be approved while pots are allocated less than is committed against them."""
    pots = "; ".join(
        f"{item.pot.name} has {gbp(item.pot.committed)} committed but {gbp(item.pot.allocated)} allocated"  # type: ignore[attr-defined]
        for item in short
    )
    return (
        f"The allocation cannot be approved: {pots}. Raise the allocation, or reprofile or vary the awards listed, "
        f"then approve. Nothing has been changed"
    )


def approve(
    *, year: FinancialYear, by: Actor, note: str = "", expected_state: str | None = None
) -> FinancialYear:
    """The PCC approves: the allocation must still add up, and cover every commitment already made."""

    def _checks(locked: FinancialYear) -> None:
        ledger.check_year_allocation(
            locked,
            income=ledger.income_total(locked),
            police_budget=locked.police_budget,
            allocated=ledger.allocated_total(locked),
            field="__all__",
        )
        if short := ledger.over_committed(locked):
            raise ValidationError(approval_refusal(short))
        locked.approved_at = timezone.now()
        locked.approved_by = by

    approved: FinancialYear = apply_transition(
        year, "approve", by=by, note=note, expected_state=expected_state, before_save=_checks
    )
    return approved


@transaction.atomic
def prepare_next_year(*, by: Actor) -> FinancialYear:
    """A new draft year with the same pots as the latest one, at nothing yet: finance fills it in."""
    latest = FinancialYear.objects.select_for_update().order_by("-start_year").first()
    if latest is None:
        raise ValidationError("There is no year to copy the pots from")
    year, _ = FinancialYear.objects.get_or_create(start_year=latest.start_year + 1)
    for pot in Pot.objects.filter(year=latest):
        Pot.objects.get_or_create(
            year=year,
            key=pot.key,
            defaults={"stream": pot.stream, "name": pot.name, "area": pot.area, "csp": pot.csp},
        )
    return year


def _amount_problems(amounts: dict[str, Decimal | None]) -> dict[str, str]:
    """Every amount that is negative or too large to be real, by field."""
    errors = {}
    for field, amount in amounts.items():
        if amount is None:
            continue
        if amount < 0:
            errors[field] = "The amount cannot be negative"
        elif amount > MAX_AMOUNT:
            errors[field] = "The amount is too large: check it"
    return errors


def next_plan_year() -> int:
    """The year finance would add to the plan next: the one after the latest year there is."""
    latest = FinancialYear.objects.order_by("-start_year").values_list("start_year", flat=True).first()
    return latest + 1 if latest is not None else this_financial_year()


@transaction.atomic
def add_plan_year(
    *,
    by: Actor,
    start_year: int,
    income: dict[str, Decimal],
    police_budget: Decimal,
    pot_amounts: dict[str, Decimal],
) -> FinancialYear:
    """Add the next year to the medium-term financial plan, as indicative figures: its expected income by source,
    the police budget and an allocation for each pot of the latest year (the same keys, so multi-year awards find
    them). Everything is checked before anything is saved; the allocations may not exceed the income left after
    the police budget, as for any year."""
    require_perm(by, "funding.prepare_allocation", refusal="Only finance can prepare the years ahead.")
    # The latest year's row is the lock: two people adding a year at once cannot both add the same one.
    latest = FinancialYear.objects.select_for_update().order_by("-start_year").first()
    expected = latest.start_year + 1 if latest is not None else this_financial_year()
    if start_year != expected:
        raise ValidationError(
            f"{start_year} to {start_year + 1} cannot be added: the next year to add to the plan is "
            f"{expected} to {expected + 1}"
        )
    if start_year > this_financial_year() + PLAN_HORIZON:
        raise ValidationError(f"The plan reaches at most {PLAN_HORIZON} years ahead")
    pots = list(Pot.objects.filter(year=latest).order_by("stream", "name")) if latest else []
    errors = _amount_problems(
        {
            "police_budget": police_budget,
            **{f"income_{source}": amount for source, amount in income.items()},
            **{f"pot_{key}": amount for key, amount in pot_amounts.items()},
        }
    )
    if unknown := set(pot_amounts) - {pot.key for pot in pots}:
        errors["__all__"] = f"There is no pot called {', '.join(sorted(unknown))} in the latest year"
    if unknown_sources := set(income) - set(IncomeSource.values):
        errors["__all__"] = f"Unknown income: {', '.join(sorted(unknown_sources))}"
    if errors:
        raise ValidationError(errors)
    total_income = sum(income.values(), ZERO)
    year = FinancialYear(
        start_year=start_year, police_budget=police_budget, status=FinancialYear.Status.INDICATIVE
    )
    ledger.check_year_allocation(
        year,
        income=total_income,
        police_budget=police_budget,
        allocated=sum(pot_amounts.values(), ZERO),
        field="police_budget" if police_budget > total_income else "__all__",
    )
    year.full_clean(exclude=["status"])
    year.save()
    for source, amount in income.items():
        if amount:
            IncomeLine.objects.create(year=year, source=source, amount=amount, description="Indicative")
    for pot in pots:
        Pot.objects.create(
            year=year,
            key=pot.key,
            stream=pot.stream,
            name=pot.name,
            area_id=pot.area_id,
            csp_id=pot.csp_id,
            allocated=pot_amounts.get(pot.key, ZERO),
        )
    return year


def make_draft(
    *, year: FinancialYear, by: Actor, note: str = "", expected_state: str | None = None
) -> FinancialYear:
    """Finance makes a year's indicative figures its draft budget, for the PCC to approve."""
    drafted: FinancialYear = apply_transition(
        year, "make_draft", by=by, note=note, expected_state=expected_state
    )
    return drafted
