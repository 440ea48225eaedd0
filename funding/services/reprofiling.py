"""Reprofiling: finance moves an award's money between its financial years (underspend carried forward, delivery
delayed), with a reason. The award's total does not change; each year draws on the award's pot in that year.

The ledger's rules hold: every pot that receives money is locked (in a fixed order, after the award) and must have
room; a year never drops below what has been paid in it; the unpaid part of each changed year is scheduled again
(`build_schedule`), and the change is on the award's timeline.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from funding import ledger
from funding.models import MAX_AMOUNT, Award, AwardYear, PaymentScheduleLine, Pot
from funding.services.awards import ProfileLine, _pot_for, build_schedule
from opcc.calendar import financial_year_of, year_end, year_start
from opcc.money import ZERO, gbp
from opcc.permissions import require_perm
from opcc.services.transitions import record_transition
from opcc.types import Actor


def award_years(award: Award) -> list[int]:
    """The financial years an award's money may sit in: those its dates fall in."""
    return list(range(financial_year_of(award.start_date), financial_year_of(award.end_date) + 1))


@dataclass(frozen=True)
class YearNow:
    start_year: int
    amount: Decimal
    paid: Decimal


def current_profile(award: Award) -> dict[int, YearNow]:
    """{start year: the amount and what has been paid} for each year of the award's dates (one query)."""
    found = {
        row.pot.year.start_year: YearNow(row.pot.year.start_year, row.amount, row.paid)  # type: ignore[attr-defined]
        for row in ledger.award_years_with_figures(AwardYear.objects.filter(award=award)).select_related(
            "pot__year"
        )
    }
    return {y: found.get(y, YearNow(y, ZERO, ZERO)) for y in sorted(set(award_years(award)) | set(found))}


def _field(start_year: int) -> str:
    return f"year_{start_year}"


def _reschedule(award: Award, award_year: AwardYear, today: date) -> None:
    """Schedule again what a changed year has not yet paid: lines with payments stay (cut down, latest first, if
    the year now holds less than they do); unpaid lines go, and the rest of the year is scheduled from today (or
    the year's start, if later)."""
    PaymentScheduleLine.objects.filter(award_year=award_year, payments__isnull=True).delete()
    kept = list(award_year.schedule.annotate(paid=Sum("payments__amount")).order_by("-due_date", "-id"))
    left = award_year.amount - sum((line.amount for line in kept), ZERO)
    for line in kept:
        if left >= 0:
            break
        cut = min(line.amount - (line.paid or ZERO), -left)
        if cut > 0:
            PaymentScheduleLine.objects.filter(pk=line.pk).update(amount=line.amount - cut)
            left += cut
    if left > 0:
        start_year = award_year.pot.year.start_year
        period_start = max(today, year_start(start_year)) if kept else None
        if period_start is not None and period_start > min(award.end_date, year_end(start_year)):
            # Nothing of the year is left to schedule into (it is over): one payment due at once.
            period_start = min(award.end_date, year_end(start_year))
        PaymentScheduleLine.objects.bulk_create(
            build_schedule(award, award_year, period_start=period_start, amount=left)
        )


def reprofile_problems(award: Award, profile: list[ProfileLine], reason: str) -> dict[str, str]:
    """What is wrong with a new profile, by field, before any pot is asked: every problem at once."""
    errors: dict[str, str] = {}
    now = current_profile(award)
    total = sum((line.amount for line in profile), ZERO)
    committed = sum((year.amount for year in now.values()), ZERO)
    for line in profile:
        if line.start_year not in now:
            errors[_field(line.start_year)] = (
                f"{line.start_year} to {line.start_year + 1} is outside the award's dates"
            )
        elif line.amount < 0:
            errors[_field(line.start_year)] = "The amount cannot be negative"
        elif line.amount > MAX_AMOUNT:
            errors[_field(line.start_year)] = "The amount is too large: check it"
        elif line.amount < now[line.start_year].paid:
            errors[_field(line.start_year)] = (
                f"{gbp(now[line.start_year].paid)} has already been paid in {line.start_year} to "
                f"{line.start_year + 1}: money paid in a year cannot be moved out of it"
            )
    if not errors and total != committed:
        errors["__all__"] = (
            f"The amounts for each year add up to {gbp(total)}, not the award's {gbp(committed)}: "
            f"{gbp(abs(total - committed))} {'too much' if total > committed else 'too little'}"
        )
    if not (reason or "").strip():
        errors["reason"] = "Enter the reason for moving the money"
    return errors


@transaction.atomic
def reprofile_award(
    *, award: Award, profile: list[ProfileLine], by: Actor, reason: str, today: date | None = None
) -> Award:
    """Move an award's money between its financial years. `profile` gives the new amount for each year (years not
    given keep theirs). The total must stay the same; money goes only where the award's pot in that year has room."""
    require_perm(
        by, "funding.reprofile_award", refusal="Only finance can move an award's money between years."
    )
    today = today or timezone.localdate()
    # The award's row first, as for a payment, so nothing is paid from a year while its money moves.
    award = Award.objects.select_for_update().select_related("pot__year").get(pk=award.pk)
    if not award.is_live:
        raise ValidationError(
            f"{award.reference} is {award.get_status_display().lower()}: only a pending or active award's money "
            f"can be moved between years"
        )
    now = current_profile(award)
    given = {line.start_year: line.amount for line in profile}
    full = [
        ProfileLine(y, given.get(y, now[y].amount if y in now else ZERO))
        for y in sorted(set(now) | set(given))
    ]
    if errors := reprofile_problems(award, full, reason):
        raise ValidationError(errors)
    changes = [line for line in full if line.amount != now[line.start_year].amount]
    if not changes:
        raise ValidationError({"__all__": "Nothing has changed: change the amount in at least one year"})
    rising = [line for line in changes if line.amount > now[line.start_year].amount]
    pots = {line.start_year: _pot_for(award.pot, line.start_year) for line in changes}
    locked = {
        p.pk: p
        for p in Pot.objects.select_for_update()
        .select_related("year")
        .filter(pk__in=[p.pk for p in pots.values()])
        .order_by("pk")
    }
    for line in rising:
        ledger.check_commitment_fits(
            locked[pots[line.start_year].pk],
            line.amount - now[line.start_year].amount,
            field=_field(line.start_year),
        )
    words = []
    for line in changes:
        award_year, _ = AwardYear.objects.get_or_create(
            award=award, pot=pots[line.start_year], defaults={"amount": ZERO}
        )
        award_year.amount = line.amount
        award_year.save(update_fields=["amount"])
        award_year.pot = locked[pots[line.start_year].pk]
        _reschedule(award, award_year, today)
        words.append(
            f"{line.start_year} to {line.start_year + 1} from {gbp(now[line.start_year].amount)} to {gbp(line.amount)}"
        )
    record_transition(
        award,
        transition="reprofile",
        from_state=award.status,
        to_state=award.status,
        by=by,
        note=f"Money moved between years: {'; '.join(words)}. {reason.strip()}",
    )
    return award


__all__ = ["award_years", "current_profile", "reprofile_award", "reprofile_problems"]
