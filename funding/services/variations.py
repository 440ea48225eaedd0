"""Varying an award after it was made: more or less money, a later or earlier end date (a contract modification,
say). Extensions the award provided for are `awards.extend_award`; ending it early is `awards.end_award`.

Every rule of the ledger holds: more money is committed from the award's pot in each year it falls in, after
locking those pots in a fixed order (of two officers taking the last of a pot at once, one gets a LedgerError);
less money is released only from what is not yet paid, latest year first.
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from funding import ledger
from funding.models import Award, AwardYear, PaymentScheduleLine, Pot
from funding.services.awards import _pot_for, build_schedule, even_profile
from opcc.money import ZERO, gbp
from opcc.services.transitions import record_transition
from opcc.types import Actor


def releasable(award: Award) -> Decimal:
    """What could be taken off the award: its amount less what has been paid."""
    return award.amount - ledger.paid_on_award(award)


def _increase(award: Award, extra: Decimal, start: date) -> None:
    profile = even_profile(start, award.end_date, extra)
    pots = {line.start_year: _pot_for(award.pot, line.start_year) for line in profile}
    locked = {
        p.pk: p
        for p in Pot.objects.select_for_update().filter(pk__in=[p.pk for p in pots.values()]).order_by("pk")
    }
    for line in profile:
        ledger.check_commitment_fits(locked[pots[line.start_year].pk], line.amount, field="value_change")
    for line in profile:
        award_year, created = AwardYear.objects.get_or_create(
            award=award, pot=pots[line.start_year], defaults={"amount": line.amount}
        )
        if not created:
            award_year.amount += line.amount
            award_year.save(update_fields=["amount"])
        PaymentScheduleLine.objects.bulk_create(
            build_schedule(award, award_year, period_start=start, amount=line.amount)
        )


def _decrease(award: Award, less: Decimal) -> None:
    """Take `less` off the profile, latest year first, never below what a year has paid; the unpaid scheduled
    payments of those years shrink by the same, latest first."""
    left = less
    for award_year in award.profile.select_for_update().order_by("-pot__year__start_year"):
        if left <= 0:
            break
        room = award_year.amount - ledger.paid_on_award_year(award_year)
        take = min(room, left)
        if take <= 0:
            continue
        award_year.amount -= take
        award_year.save(update_fields=["amount"])
        left -= take
        for line in award_year.schedule.annotate(paid=Sum("payments__amount")).order_by("-due_date", "-id"):
            if take <= 0:
                break
            unpaid = line.amount - (line.paid or ZERO)
            cut = min(unpaid, take)
            if cut <= 0:
                continue
            if cut == line.amount:
                line.delete()
            else:
                PaymentScheduleLine.objects.filter(pk=line.pk).update(amount=line.amount - cut)
            take -= cut
    if left > 0:
        raise ledger.LedgerError(
            {
                "value_change": f"{award.reference} has only {gbp(less - left)} not yet paid that could be taken off"
            }
        )


@transaction.atomic
def vary_award(
    *,
    award: Award,
    amount_change: Decimal,
    new_end_date: date | None,
    by: Actor,
    note: str,
    today: date | None = None,
) -> Award:
    """Change an active award's amount (up or down) and/or its end date. More money is profiled evenly over what is
    left of the award (from today, or its start if later); a later end date keeps the schedule as it is, an
    earlier one brings payments due after it forward to the new end date."""
    today = today or timezone.localdate()
    award = Award.objects.select_for_update().get(pk=award.pk)
    if award.status != Award.Status.ACTIVE:
        raise ValidationError(
            f"{award.reference} is {award.get_status_display().lower()}: only an active award can be changed"
        )
    if not (note or "").strip():
        raise ValidationError({"reason": "Enter the reason for the change"})
    amount_change = amount_change or ZERO
    old_end = award.end_date
    if new_end_date is not None and new_end_date != old_end:
        if new_end_date < max(today, award.start_date):
            raise ValidationError(
                {"new_end_date": "The new end date must be today or later, and not before the award starts"}
            )
        award.end_date = new_end_date
        PaymentScheduleLine.objects.filter(
            award=award, due_date__gt=new_end_date, payments__isnull=True
        ).update(due_date=new_end_date)
    if amount_change > 0:
        start = max(today, award.start_date)
        if start > award.end_date:
            raise ValidationError(
                {"value_change": "The award has ended: there is no time left to spend more"}
            )
        _increase(award, amount_change, start)
    elif amount_change < 0:
        if -amount_change > releasable(award):
            raise ledger.LedgerError(
                {
                    "value_change": f"{award.reference} has {gbp(releasable(award))} not yet paid: the value "
                    f"cannot come down by {gbp(-amount_change)}"
                }
            )
        _decrease(award, -amount_change)
    award.amount += amount_change
    if award.amount <= 0:
        raise ValidationError({"value_change": "The award's amount must stay more than £0"})
    award.save(update_fields=["amount", "end_date"])
    words = []
    if amount_change:
        words.append(f"{'+' if amount_change > 0 else '-'}{gbp(abs(amount_change))}")
    if award.end_date != old_end:
        words.append(f"end date {old_end:%-d %B %Y} to {award.end_date:%-d %B %Y}")
    record_transition(
        award,
        transition="vary",
        from_state=award.status,
        to_state=award.status,
        by=by,
        note=f"Varied ({', '.join(words) or 'scope only'}). {note}".strip(),
    )
    return award


__all__ = ["releasable", "vary_award"]
