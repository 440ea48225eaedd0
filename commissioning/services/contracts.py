"""The signed contract and its award, extensions and break notices. Money moves only through funding's
services: a contract creates its award with `create_award`, an extension calls `extend_award`, a break
notice calls `end_award`.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from commissioning import gates
from commissioning.models import BreakNotice, Commission, Contract, Extension
from commissioning.selectors import contract_errors
from commissioning.services._common import SystemActor, _in_do, _refuse
from commissioning.services.award import draft_contract_details
from commissioning.services.changes import draft_termination_notice
from funding.models import AwardKind
from funding.services import awards as award_services
from opcc.assurance import check_cleared
from opcc.calendar import add_months, add_years
from opcc.money import ZERO
from opcc.permissions import require_perm
from opcc.types import Actor


@transaction.atomic
def create_contract(
    *,
    commission: Commission,
    pot,
    annual_value: Decimal,
    total_value: Decimal,
    start_date: date,
    initial_term_years: int,
    extension_pattern: str,
    break_notice_months: int,
    break_clause: str,
    signed_on: date,
    schedule_kind: str,
    by: Actor,
    value_difference_reason: str = "",
) -> Contract:
    """The signed contract and its funding.Award, in one transaction: both or neither.

    The contract carries out the award decision: its whole value (the initial term, plus each extension at the
    annual value) is the value decided, or the difference is explained (a price agreed lower, a shorter term).
    The initial term cannot commit more than was decided.
    """
    require_perm(by, "commissioning.change_commission")
    locked = _in_do(commission)
    _refuse(gates.contract_gaps(locked))
    procurement = gates.current_procurement(locked)
    decision = procurement.decision
    _refuse(
        contract_errors(
            decision=decision,
            pot=pot,
            annual_value=annual_value,
            total_value=total_value,
            start_date=start_date,
            initial_term_years=initial_term_years,
            extension_pattern=extension_pattern,
            signed_on=signed_on,
            value_difference_reason=value_difference_reason,
        )
    )
    check_cleared(decision.organisation, total_value, stream=pot.stream, action="record this contract")
    end_date = add_years(start_date, initial_term_years) - timedelta(days=1)
    award = award_services.create_award(
        organisation=decision.organisation,
        pot=pot,
        kind=AwardKind.CONTRACT,
        title=locked.title,
        purpose=locked.summary,
        start_date=start_date,
        end_date=end_date,
        amount=total_value,
        schedule_kind=schedule_kind,
        by=by,
        awarded_on=signed_on,
        objectives=list(locked.objectives.all()),
    )
    contract = Contract(
        procurement=procurement,
        award=award,
        organisation=decision.organisation,
        annual_value=annual_value,
        total_value=total_value,
        start_date=start_date,
        initial_term_years=initial_term_years,
        extension_pattern=extension_pattern.replace(" ", ""),
        break_notice_months=break_notice_months,
        break_clause=break_clause,
        signed_on=signed_on,
        value_difference_reason=(value_difference_reason or "").strip(),
    )
    contract.full_clean()
    contract.save()
    # Activated once the contract exists, so monitoring finds its outcome measures (commissioning/outcomes.py).
    contract.award = award_services.activate_award(
        award=award, by=by, note=f"Contract signed on {signed_on:%-d %B %Y}", check_permission=False
    )
    draft_contract_details(contract)
    return contract


@transaction.atomic
def exercise_extension(
    *, contract: Contract, additional: Decimal, agreed_on: date, note: str, by: Actor
) -> Extension:
    require_perm(by, "commissioning.change_commission")
    contract = Contract.objects.select_for_update().select_related("award").get(pk=contract.pk)
    _refuse(gates.extension_closed(contract))
    years = contract.next_extension_years
    old_end = contract.award.end_date
    new_end = add_years(old_end + timedelta(days=1), years) - timedelta(days=1)
    award_services.extend_award(
        award=contract.award,
        new_end_date=new_end,
        additional=additional,
        by=by,
        note=note or f"Extension {contract.extensions_used + 1} of {contract.extension_pattern}",
    )
    extension = Extension.objects.create(
        contract=contract,
        years=years,
        old_end_date=old_end,
        new_end_date=new_end,
        additional=additional,
        agreed_on=agreed_on,
        by=by,
    )
    contract.extensions_used += 1
    contract.save(update_fields=["extensions_used"])
    return extension


def break_notice_problems(
    *, contract: Contract, served_on: date | None, reason: str, today: date | None = None
) -> dict[str, str]:
    """Every problem with a break notice's answers at once (the break notice form asks this too)."""
    today = today or timezone.localdate()
    errors = {}
    if served_on is not None:
        if served_on > today:
            errors["served_on"] = "The date notice was served cannot be in the future"
        elif served_on < contract.start_date:
            errors["served_on"] = "Notice cannot be served before the contract started"
        elif add_months(served_on, contract.break_notice_months) > contract.award.end_date:
            errors["served_on"] = (
                f"The notice period of {contract.break_notice_months} months would end after the "
                f"contract does ({contract.award.end_date:%-d %B %Y}): let it expire instead"
            )
    if not (reason or "").strip():
        errors["reason"] = "Enter the reason for the break notice"
    return errors


@transaction.atomic
def serve_break_notice(
    *,
    contract: Contract,
    served_by: str,
    served_on: date,
    reason: str,
    keep: Decimal,
    by: Actor,
    today: date | None = None,
) -> BreakNotice:
    """Record a break notice. The award ends at the exit date: now if that has come, else by the daily task."""
    require_perm(by, "commissioning.change_commission")
    require_perm(by, "funding.end_award")
    today = today or timezone.localdate()
    contract = Contract.objects.select_for_update().select_related("award").get(pk=contract.pk)
    _refuse(gates.break_closed(contract))
    if problems := break_notice_problems(contract=contract, served_on=served_on, reason=reason, today=today):
        raise ValidationError(problems)
    exit_date = add_months(served_on, contract.break_notice_months)
    notice = BreakNotice.objects.create(
        contract=contract,
        served_by=served_by,
        served_on=served_on,
        exit_date=exit_date,
        reason=reason.strip(),
        keep=keep or ZERO,
        by=by,
    )
    if exit_date <= today:
        apply_break_notice(notice=notice, by=by)
    return notice


def apply_break_notice(*, notice: BreakNotice, by: Actor | None = None) -> None:
    by = by or SystemActor()
    with transaction.atomic():
        notice = BreakNotice.objects.select_for_update().select_related("contract__award").get(pk=notice.pk)
        if notice.applied_at:
            return
        award_services.end_award(
            award=notice.contract.award,
            transition="terminate",
            by=by,
            keep=notice.keep,
            note=f"Break clause: notice served by {notice.get_served_by_display().lower()} on "
            f"{notice.served_on:%-d %B %Y}, ending {notice.exit_date:%-d %B %Y} (recorded by {notice.by}). {notice.reason}",
        )
        notice.applied_at = timezone.now()
        notice.save(update_fields=["applied_at"])
        draft_termination_notice(contract=notice.contract, ended_on=notice.exit_date)
