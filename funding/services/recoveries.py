"""Recovering money an award was paid but did not spend: recorded as owed (with the invoice sent for it), then
received, when it returns to the pots the award was paid from.

Every write locks the award's row first (the lock payments take too), so the amount recovered can never pass what
was paid however many people record at once; receiving locks the recovery's row through apply_transition, so a
recovery is credited once only.
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from funding import ledger
from funding.models import Award, AwardYear, Payment, Recovery, RecoveryCredit, RecoveryStatus
from opcc.money import ZERO, gbp
from opcc.permissions import require_perm
from opcc.services.transitions import apply_transition, record_transition
from opcc.types import Actor

# An award still running may yet spend what it was paid: only an award that has ended owes anything back.
ENDED = (Award.Status.COMPLETED, Award.Status.TERMINATED, Award.Status.DECOMMISSIONED)
RECEIVED_IN_FUTURE = "The date received must be today or in the past"


def recovered_on_award(award: Award) -> Decimal:
    """What has been asked back from the award so far, received or not."""
    return ledger._sum(Recovery.objects.filter(award=award))


def recovery_problems(
    award: Award, *, amount: Decimal | None, final_spend: Decimal | None, invoice_reference: str
) -> dict[str, str]:
    """Everything wrong with a recovery at once, as {field: message}: for the form and, with the award locked, for
    the service."""
    errors: dict[str, str] = {}
    paid = ledger.paid_on_award(award)
    already = recovered_on_award(award)
    if award.status not in ENDED:
        errors["__all__"] = (
            f"{award.reference} is {award.get_status_display().lower()}: money is recovered only once an award "
            f"has ended (completed, terminated or decommissioned)"
        )
    if final_spend is not None and final_spend < 0:
        errors["final_spend"] = "The final spend cannot be negative"
    elif final_spend is not None and final_spend > paid:
        errors["final_spend"] = (
            f"The final spend ({gbp(final_spend)}) is more than {award.reference} was paid ({gbp(paid)}): "
            f"nothing is owed back"
        )
    if amount is not None and amount <= 0:
        errors["amount"] = "The amount owed back must be more than £0"
    elif amount is not None and amount > paid - already:
        errors["amount"] = (
            f"{award.reference} was paid {gbp(paid)}"
            + (f" and {gbp(already)} of it is already being recovered" if already else "")
            + f": at most {gbp(max(paid - already, ZERO))} can be recovered; {gbp(amount)} is more than that"
        )
    elif (
        amount is not None
        and final_spend is not None
        and final_spend >= 0
        and amount > paid - final_spend - already
    ):
        errors["amount"] = (
            f"{award.reference} was paid {gbp(paid)} and spent {gbp(final_spend)}"
            + (f", and {gbp(already)} is already being recovered" if already else "")
            + f": at most {gbp(max(paid - final_spend - already, ZERO))} is owed back; {gbp(amount)} is more than that"
        )
    if not (invoice_reference or "").strip():
        errors["invoice_reference"] = "Enter the reference of the invoice sent for the money owed back"
    return errors


def receipt_problems(received_on: date | None, today: date | None = None) -> dict[str, str]:
    today = today or timezone.localdate()
    if received_on is None:
        return {"received_on": "Enter the date the money was received"}
    if received_on > today:
        return {"received_on": RECEIVED_IN_FUTURE}
    return {}


def underspend(award: Award, final_spend: Decimal) -> Decimal:
    """What the award was paid but did not spend, less what is already being recovered (never negative)."""
    return max(ledger.paid_on_award(award) - final_spend - recovered_on_award(award), ZERO)


@transaction.atomic
def record_recovery(
    *,
    award: Award,
    amount: Decimal,
    final_spend: Decimal,
    invoice_reference: str,
    by: Actor | None,
    reason: str = "",
    check_permission: bool = True,
) -> Recovery:
    """Finance records money owed back by the award's organisation, with the invoice sent for it."""
    if check_permission:
        require_perm(by, "funding.record_recovery", refusal="Only finance can record money owed back.")
    award = Award.objects.select_for_update().get(pk=award.pk)
    errors = recovery_problems(
        award, amount=amount, final_spend=final_spend, invoice_reference=invoice_reference
    )
    if errors:
        raise ValidationError(errors)
    reason = reason.strip() or (
        f"Paid {gbp(ledger.paid_on_award(award))}, final spend {gbp(final_spend)}: "
        f"{'an underspend' if award.status == Award.Status.COMPLETED else 'not spent before the award ended'}"
    )
    recovery = Recovery(
        award=award,
        amount=amount,
        final_spend=final_spend,
        invoice_reference=invoice_reference.strip(),
        reason=reason[:300],
        recorded_by=by if by is not None and by.is_authenticated else None,
    )
    recovery.full_clean(exclude=["status"])
    recovery.save()
    record_transition(
        award,
        transition="recovery_owed",
        from_state=award.status,
        to_state=award.status,
        by=by,
        note=f"{gbp(amount)} owed back (invoice {recovery.invoice_reference}). {reason}",
    )
    return recovery


def _credit(recovery: Recovery) -> None:
    """Credit the recovery to the award's years, latest first, never more than a year was paid (less what earlier
    recoveries credited to it)."""
    left = recovery.amount
    years = AwardYear.objects.filter(award_id=recovery.award_id).order_by("-pot__year__start_year")
    for award_year in years:
        if left <= 0:
            break
        room = ledger._sum(Payment.objects.filter(award_year=award_year)) - ledger._sum(
            RecoveryCredit.objects.filter(award_year=award_year)
        )
        take = min(room, left)
        if take > 0:
            RecoveryCredit.objects.create(recovery=recovery, award_year=award_year, amount=take)
            left -= take
    if left > 0:
        # Recoveries never pass what was paid (recovery_problems): this is a broken invariant, not a person's mistake.
        raise ledger.LedgerError("This recovery is more than the award was paid: nothing was recorded")


@transaction.atomic
def receive_recovery(
    *,
    recovery: Recovery,
    received_on: date | None,
    by: Actor,
    expected_state: str | None = RecoveryStatus.OWED,
) -> Recovery:
    """Finance records the money received: it returns to the pots (the ledger credits it) and shows on the award's
    payments as a credit."""
    if errors := receipt_problems(received_on):
        raise ValidationError(errors)
    award = Award.objects.select_for_update().get(pk=recovery.award_id)

    def received(locked: Recovery) -> None:
        locked.received_on = received_on
        locked.received_by = by if by is not None and by.is_authenticated else None

    done: Recovery = apply_transition(
        recovery,
        "receive",
        by=by,
        expected_state=expected_state,
        before_save=received,
        note=f"Invoice {recovery.invoice_reference}",
    )
    _credit(done)
    record_transition(
        award,
        transition="recovery_received",
        from_state=award.status,
        to_state=award.status,
        by=by,
        note=f"{gbp(done.amount)} received back (invoice {done.invoice_reference}) and returned to the pot",
    )
    return done
