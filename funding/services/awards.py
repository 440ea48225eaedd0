"""Awards: the one way money is committed to an organisation, and paid to it.

`commissioning` (contracts) and `grants` (grants) create their awards through `create_award`;
`reporting` tells the ledger a quarter's return is accepted through `release_arrears_payment`.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_DOWN, Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone

from funding import ledger
from funding.models import (
    INVOICE_AFTER_PAID,
    Award,
    AwardKind,
    AwardYear,
    FinancialYear,
    Payment,
    PaymentScheduleKind,
    PaymentScheduleLine,
    Pot,
)
from funding.signals import award_activated
from opcc.assurance import check_cleared
from opcc.calendar import financial_year_of, quarters_between, year_end, year_start
from opcc.models import Objective, Organisation
from opcc.money import ZERO, gbp
from opcc.services.plan import objectives_error
from opcc.services.transitions import apply_transition, record_transition
from opcc.types import Actor

PENNY = Decimal("0.01")
PAID_ON_FUTURE = "Date paid must be today or in the past"


def grace_days() -> int:

    return settings.PAYMENT_GRACE_DAYS


def last_payment_date(award: Award) -> date:
    """The last day a payment to the award may be dated: its end date plus the grace period (PAYMENT_GRACE_DAYS)."""
    return award.end_date + timedelta(days=grace_days())


def paid_on_problem(award: Award, paid_on: date) -> str | None:
    """Why a payment to this award cannot be dated `paid_on` (its dates and the grace period), or None."""
    if paid_on < award.start_date:
        return f"The date paid must be on or after the award's start date, {award.start_date:%-d %B %Y}"
    if paid_on > last_payment_date(award):
        return (
            f"The date paid must be no later than {last_payment_date(award):%-d %B %Y}, {grace_days()} days after "
            f"the award ended on {award.end_date:%-d %B %Y}"
        )
    return None


def paid_on_hint(award: Award) -> str:
    return (
        f"Between {award.start_date:%-d %B %Y} (the award's start) and {last_payment_date(award):%-d %B %Y} "
        f"({grace_days()} days after it ends on {award.end_date:%-d %B %Y}), and not in the future"
    )


def _payment_problems(
    award: Award, *, amount: Decimal, paid_on: date, invoice_received_on: date | None
) -> dict[str, str]:
    """The payment's own figures and dates, every problem at once."""
    errors = invoice_problems(award, invoice_received_on=invoice_received_on, paid_on=paid_on)
    if amount is None or amount <= 0:
        errors["amount"] = "Enter an amount more than £0"
    if paid_on is None:
        errors["paid_on"] = "Enter the date paid"
    elif paid_on > timezone.localdate():
        # A payment is recorded once it has been made: a future date would count as paid money not yet sent.
        errors["paid_on"] = PAID_ON_FUTURE
    return errors


def invoice_problems(
    award: Award, *, invoice_received_on: date | None, paid_on: date | None
) -> dict[str, str]:
    """The invoice date a payment needs. Contracts: always (the Procurement Act's 30-day term runs from it and the
    payments compliance figures count it; which contracts are under the Act is commissioning's to say, so every
    contract payment records it). Grants: optional, as grants are outside the payment term."""
    if invoice_received_on is None:
        if award.kind == AwardKind.CONTRACT:
            return {"invoice_received_on": "Enter the date the invoice was received"}
        return {}
    if paid_on is not None and invoice_received_on > paid_on:
        return {"invoice_received_on": INVOICE_AFTER_PAID}
    return {}


def paid_in_full(line: PaymentScheduleLine) -> str:
    return (
        f"{line.description} has been paid in full: nothing is left to pay on it. Choose another scheduled "
        f"payment or record the payment as not on the schedule"
    )


@dataclass(frozen=True)
class ProfileLine:
    start_year: int
    amount: Decimal


def even_profile(start: date, end: date, amount: Decimal) -> list[ProfileLine]:
    """Split an amount across the financial years of a period, in proportion to the days in each."""
    years = list(range(financial_year_of(start), financial_year_of(end) + 1))
    total_days = (end - start).days + 1
    lines, given = [], ZERO
    for i, y in enumerate(years):
        if i == len(years) - 1:
            share = amount - given
        else:
            days = (min(end, year_end(y)) - max(start, year_start(y))).days + 1
            share = (amount * days / total_days).quantize(PENNY, rounding=ROUND_DOWN)
        lines.append(ProfileLine(y, share))
        given += share
    return lines


def _next_reference(kind: str, start_year: int) -> str:
    prefix = f"{'C' if kind == AwardKind.CONTRACT else 'G'}{str(start_year)[-2:]}-"
    last = Award.objects.filter(reference__startswith=prefix).aggregate(m=Max("reference"))["m"]
    number = int(last.split("-")[1]) + 1 if last else 1
    return f"{prefix}{number:04d}"


def _split(amount: Decimal, parts: int) -> list[Decimal]:
    each = (amount / parts).quantize(PENNY, rounding=ROUND_DOWN)
    return [each] * (parts - 1) + [amount - each * (parts - 1)]


def build_schedule(
    award: Award, award_year: AwardYear, *, period_start: date | None = None, amount: Decimal | None = None
) -> list[PaymentScheduleLine]:
    """The payments due for one year of an award (or, for an extension, the part from period_start)."""
    start_year = award_year.pot.year.start_year
    first = max(period_start or award.start_date, year_start(start_year))
    last = min(award.end_date, year_end(start_year))
    amount = award_year.amount if amount is None else amount
    if amount == 0 or last < first:
        return []
    common = {"award": award, "award_year": award_year}
    if award.schedule_kind == PaymentScheduleKind.IN_ADVANCE:
        return [
            PaymentScheduleLine(
                **common, due_date=first, amount=amount, description=f"{award_year.pot.year.label} in advance"
            )
        ]
    if award.schedule_kind == PaymentScheduleKind.QUARTERLY_ARREARS:
        quarters = quarters_between(first, last)
        return [
            PaymentScheduleLine(
                **common,
                due_date=quarter.end + timedelta(days=30),
                amount=part,
                description=f"{quarter.short_label} in arrears",
                quarter_start_year=quarter.start_year,
                quarter=quarter.number,
            )
            for quarter, part in zip(quarters, _split(amount, len(quarters)), strict=True)
        ]
    middle = first + (last - first) / 2
    return [
        PaymentScheduleLine(
            **common, due_date=due, amount=part, description=f"{award_year.pot.year.label} {label} instalment"
        )
        for due, part, label in zip((first, middle), _split(amount, 2), ("first", "second"), strict=True)
    ]


def _pot_for(pot: Pot, start_year: int) -> Pot:
    if pot.year.start_year == start_year:
        return pot
    found = Pot.objects.filter(year__start_year=start_year, key=pot.key).select_related("year").first()
    if found is None:
        raise ledger.LedgerError(
            {
                "profile": (
                    f"There is no {pot.name} pot in {start_year} to {start_year + 1} yet: finance must add that "
                    f"year to the medium-term financial plan (Funding, then The years ahead) before money can be "
                    f"committed from it"
                )
            }
        )
    return found


def profile_problems(
    *,
    start_date: date | None,
    end_date: date | None,
    amount: Decimal | None,
    profile: list[ProfileLine] | None,
) -> dict[str, list[str]]:
    """What is wrong with the amounts given for each year of an award, as {"profile": [...]}; empty when nothing is
    (or when no amounts are given: the award is then spread evenly). The award form asks this too."""
    if not profile or amount is None:
        return {}
    problems = []
    total = sum((line.amount for line in profile), ZERO)
    if total != amount:
        problems.append(f"The amounts for each year add up to {gbp(total)}, not the award's {gbp(amount)}")
    if start_date and end_date and end_date >= start_date:
        first_year, last_year = financial_year_of(start_date), financial_year_of(end_date)
        problems += [
            f"{line.start_year} to {line.start_year + 1} is outside the award's dates"
            for line in profile
            if not first_year <= line.start_year <= last_year
        ]
    if any(line.amount < 0 for line in profile):
        problems.append("A year's amount cannot be negative")
    return {"profile": problems} if problems else {}


@transaction.atomic
def create_award(
    *,
    organisation: Organisation,
    pot: Pot,
    kind: str,
    title: str,
    purpose: str,
    start_date: date,
    end_date: date,
    amount: Decimal,
    schedule_kind: str,
    by: Actor,
    profile: list[ProfileLine] | None = None,
    match_funding_amount: Decimal = ZERO,
    match_funding_source: str = "",
    awarded_on: date | None = None,
    activate: bool = False,
    objectives: Iterable[Objective | int] = (),
) -> Award:
    """Commit money from a pot (and the same pot in later years for a multi-year award).

    `objectives`: the Police and Crime Plan objectives the award serves, carried from what made it (a commission,
    a grant round).

    Locks every pot involved, in a fixed order, then checks each still has room: of two officers
    committing the last of a pot at once, one succeeds and the other gets a LedgerError.
    """
    award = Award(
        organisation=organisation,
        pot=pot,
        kind=kind,
        title=title,
        purpose=purpose,
        start_date=start_date,
        end_date=end_date,
        amount=amount,
        schedule_kind=schedule_kind,
        match_funding_amount=match_funding_amount,
        match_funding_source=match_funding_source,
        awarded_on=awarded_on,
        created_by=by,
        reference="pending",
    )
    award.full_clean(exclude=["reference", "status"])
    if problems := profile_problems(start_date=start_date, end_date=end_date, amount=amount, profile=profile):
        raise ValidationError(problems)
    profile = profile or even_profile(start_date, end_date, amount)
    pots = {line.start_year: _pot_for(pot, line.start_year) for line in profile}
    locked = {
        p.pk: p
        for p in Pot.objects.select_for_update().filter(pk__in=[p.pk for p in pots.values()]).order_by("pk")
    }
    for line in profile:
        ledger.check_commitment_fits(
            locked[pots[line.start_year].pk], line.amount, field="amount" if len(profile) == 1 else "profile"
        )
    award.reference = _next_reference(kind, financial_year_of(start_date))
    award.save()
    award.objectives.set(objectives)
    for line in profile:
        award_year = AwardYear.objects.create(award=award, pot=pots[line.start_year], amount=line.amount)
        PaymentScheduleLine.objects.bulk_create(build_schedule(award, award_year))
    if activate:
        award = activate_award(award=award, by=by, note="Recorded as already active", check_permission=False)
    return award


def record_award(*, objectives: Iterable[Objective | int], **details: Any) -> Award:
    """An award an officer records directly (not made by a commission or a grant round): it must say which
    Police and Crime Plan objectives it serves, since nothing upstream carries them to it."""
    if errors := objectives_error(objectives):
        raise ValidationError(errors)
    return create_award(objectives=objectives, **details)


def activate_award(
    *,
    award: Award,
    by: Actor | None,
    note: str = "",
    expected_state: str | None = None,
    check_permission: bool = True,
) -> Award:
    """Pending to active (offer accepted, contract signed). Tells listeners inside the same transaction."""

    with transaction.atomic():
        award = apply_transition(
            award,
            "activate",
            by=by,
            note=note,
            expected_state=expected_state,
            check_permission=check_permission,
        )
        award_activated.send(sender=Award, award=award)
    return award


def _release_unpaid(award: Award, keep: Decimal | None = None) -> None:
    """Reduce the profile to what has been paid (plus `keep` more, e.g. a notice period), freeing the rest."""
    paid = {ay.pk: ledger.paid_on_award_year(ay) for ay in award.profile.all()}
    extra = keep or ZERO
    lines = list(award.profile.select_related("pot__year").order_by("-pot__year__start_year"))
    for award_year in lines:
        new_amount = paid[award_year.pk]
        room = award_year.amount - new_amount
        if extra > 0 and room > 0:
            take = min(room, extra)
            new_amount += take
            extra -= take
        if new_amount != award_year.amount:
            award_year.amount = new_amount
            award_year.save(update_fields=["amount"])
    PaymentScheduleLine.objects.filter(award=award, payments__isnull=True).delete()


def end_award(
    *,
    award: Award,
    transition: str,
    by: Actor | None,
    note: str,
    keep: Decimal | None = None,
    expected_state: str | None = None,
    check_permission: bool = True,
) -> Award:
    """Cancel, terminate or decommission: what is not yet paid (beyond `keep`) returns to the pot."""
    if transition not in ("cancel", "terminate", "decommission"):
        raise ValueError(transition)
    if not (note or "").strip():
        raise ValidationError({"note": "Enter the reason"})
    # check_permission=False is for the system itself (e.g. a lapsed grant offer cancelled by a beat task).
    ended: Award = apply_transition(
        award,
        transition,
        by=by,
        note=note,
        expected_state=expected_state,
        check_permission=check_permission,
        before_save=lambda locked: _release_unpaid(locked, keep),
    )
    return ended


def change_status(
    *, award: Award, transition: str, by: Actor, note: str = "", expected_state: str | None = None
) -> Award:
    if transition == "activate":
        return activate_award(award=award, by=by, note=note, expected_state=expected_state)
    if transition != "complete":
        raise ValueError(transition)
    completed: Award = apply_transition(award, transition, by=by, note=note, expected_state=expected_state)
    return completed


@transaction.atomic
def extend_award(
    *,
    award: Award,
    new_end_date: date,
    additional: Decimal,
    by: Actor,
    note: str,
    profile: list[ProfileLine] | None = None,
) -> Award:
    """Exercise an extension (e.g. the "+1" of a 3+1 contract): a later end date and more money,
    profiled across the new period's financial years, committed from the same pot in those years."""

    award = Award.objects.select_for_update().get(pk=award.pk)
    if award.status != Award.Status.ACTIVE:
        raise ValidationError(
            f"{award.reference} is {award.get_status_display().lower()}: only an active award can be extended"
        )
    if new_end_date <= award.end_date:
        raise ValidationError({"new_end_date": "The new end date must be after the current end date"})
    if additional is None or additional <= 0:
        raise ValidationError({"additional": "Enter the extra amount for the extension, more than £0"})
    if not (note or "").strip():
        raise ValidationError({"note": "Enter the reason for the extension"})
    period_start = award.end_date + timedelta(days=1)
    profile = profile or even_profile(period_start, new_end_date, additional)
    if sum((line.amount for line in profile), ZERO) != additional:
        raise ValidationError({"profile": "The amounts for each year must add up to the extra amount"})
    pots = {line.start_year: _pot_for(award.pot, line.start_year) for line in profile}
    locked = {
        p.pk: p
        for p in Pot.objects.select_for_update().filter(pk__in=[p.pk for p in pots.values()]).order_by("pk")
    }
    for line in profile:
        ledger.check_commitment_fits(locked[pots[line.start_year].pk], line.amount, field="additional")
    old_end = award.end_date
    award.end_date = new_end_date
    award.amount = award.amount + additional
    award.save(update_fields=["end_date", "amount"])
    for line in profile:
        award_year, created = AwardYear.objects.get_or_create(
            award=award, pot=pots[line.start_year], defaults={"amount": line.amount}
        )
        if not created:
            award_year.amount += line.amount
            award_year.save(update_fields=["amount"])
        # Only the new period is scheduled: the original schedule stands.
        PaymentScheduleLine.objects.bulk_create(
            build_schedule(award, award_year, period_start=period_start, amount=line.amount)
        )
    record_transition(
        award,
        transition="extend",
        from_state=award.status,
        to_state=award.status,
        by=by,
        note=f"Extended from {old_end:%-d %B %Y} to {new_end_date:%-d %B %Y} (+{gbp(additional)}). {note}".strip(),
    )
    return award


@transaction.atomic
def record_payment(
    *,
    award: Award,
    amount: Decimal,
    paid_on: date,
    by: Actor,
    reference: str = "",
    schedule_line: PaymentScheduleLine | None = None,
    invoice_received_on: date | None = None,
) -> Payment:
    """Finance records a payment. Never more than the award, the year's profile or the scheduled line, and never the
    money of another scheduled payment that is not yet due or waits for its quarter's outcome return
    (ledger.check_payment_not_held_back). A contract payment says when its invoice arrived (invoice_problems)."""
    # The award's row is the lock every payment to it takes first, so the figures below cannot change under us.
    award = Award.objects.select_for_update().get(pk=award.pk)
    if errors := _payment_problems(
        award, amount=amount, paid_on=paid_on, invoice_received_on=invoice_received_on
    ):
        raise ValidationError(errors)
    if award.status in (Award.Status.PENDING, Award.Status.CANCELLED):
        raise ValidationError(f"{award.reference} is {award.get_status_display().lower()}: it cannot be paid")
    if (problem := paid_on_problem(award, paid_on)) is not None:
        raise ValidationError({"paid_on": problem})
    check_cleared(award.organisation, award.amount, stream=award.pot.stream, action="make this payment")
    if schedule_line is not None:
        schedule_line = PaymentScheduleLine.objects.select_for_update().get(pk=schedule_line.pk, award=award)
        if ledger._sum(schedule_line.payments.all()) >= schedule_line.amount:
            # Paid in full since the form was shown (by someone else, or in another tab).
            raise ledger.LedgerError({"schedule_line": paid_in_full(schedule_line)})
        if not schedule_line.is_payable:
            raise ValidationError(
                {
                    "schedule_line": f"This payment in arrears for {schedule_line.quarter_label} is not payable until "
                    f"that quarter's outcome return has been accepted"
                }
            )
        already = ledger._sum(schedule_line.payments.all())
        if amount > schedule_line.amount - already:
            raise ledger.LedgerError(
                {
                    "amount": f"{gbp(schedule_line.amount - already)} is left of this scheduled payment; "
                    f"{gbp(amount)} is more than that"
                }
            )
        award_year_id = schedule_line.award_year_id
    else:
        award_year_id = _award_year_for(award, paid_on).pk
    award_year = (
        AwardYear.objects.select_for_update(of=("self",)).select_related("pot__year").get(pk=award_year_id)
    )
    award_year.award = award
    ledger.check_payment_not_held_back(award_year, amount, on=paid_on, schedule_line=schedule_line)
    ledger.check_payment_fits(award_year, amount)
    before = ledger.covered_lines(award_year, paid_on) if schedule_line is None else None
    payment = Payment(
        award=award,
        award_year=award_year,
        schedule_line=schedule_line,
        amount=amount,
        paid_on=paid_on,
        invoice_received_on=invoice_received_on,
        reference=reference,
        recorded_by=by,
    )
    payment.full_clean()
    payment.save()
    if before is not None:
        # Off the schedule, it counts against scheduled payments (the oldest payable first): say which, once, as it
        # was when paid.
        reductions = ledger.reductions(before, ledger.covered_lines(award_year, paid_on))
        payment.reduces = ledger.describe_reductions(reductions)[:300]
        if payment.reduces:
            payment.save(update_fields=["reduces"])
    return payment


def _award_year_for(award: Award, paid_on: date) -> AwardYear:
    """The profile year a payment on this date draws on: its own year, else the award's last year before it."""
    lines = list(award.profile.select_related("pot__year").order_by("pot__year__start_year"))
    target = financial_year_of(paid_on)
    exact = [ay for ay in lines if ay.pot.year.start_year == target]
    if exact:
        return exact[0]
    earlier = [ay for ay in lines if ay.pot.year.start_year < target]
    if earlier:
        return earlier[-1]
    raise ValidationError({"paid_on": "The award has no money in that financial year"})


@transaction.atomic
def release_arrears_payment(*, award: Award, start_year: int, quarter: int, accepted_at: datetime) -> int:
    """Outcome monitoring calls this when a quarter's return is accepted: that quarter's payment becomes payable."""
    return PaymentScheduleLine.objects.filter(
        award=award, quarter_start_year=start_year, quarter=quarter, return_accepted_at__isnull=True
    ).update(return_accepted_at=accepted_at)


def years_for_select() -> QuerySet[FinancialYear]:
    return FinancialYear.objects.order_by("-start_year")
