"""Grant variations: the provider asks (or the office proposes) to change an active grant's amount, end date, purpose
or conditions; whoever's delegated authority covers the award's new total decides; an approval sends a variation
letter (stored, with its hash) that the provider accepts online by its deadline, and only then does the award change,
through `funding.services.variations.vary_award`, which keeps the ledger's rules. Every step is on the variation's
timeline and the award's."""

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django_fsm import TransitionNotAllowed

from funding import ledger
from funding.models import Award, AwardKind, DecisionKind, DelegationLevel, Payment
from funding.services.variations import vary_award
from funding.signals import award_varied
from grants import variation_letters
from grants.models import Offer, Variation
from opcc.models import Role, User
from opcc.money import gbp
from opcc.permissions import require_perm
from opcc.services.documents import PDF, store_bytes
from opcc.services.notifications import queue_message
from opcc.services.transitions import StaleState, apply_transition, record_transition
from opcc.types import Actor

ACCEPT_DAYS = 28
NO_REASON = "Enter the reason for the variation"
NO_CHANGE = "Enter at least one change: a new total amount, end date, purpose or conditions"


def _day(d: date | None) -> str:
    return f"{d:%-d %B %Y}" if d else ""


def _link(name: str, pk: int) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, args=[pk])


def last_payment_date(award: Award) -> date | None:
    return Payment.objects.filter(award=award).aggregate(last=Max("paid_on"))["last"]


def amount_problem(award: Award, new_amount: Decimal) -> str:
    """The new total must stay above £0 and not below what has been paid."""
    if new_amount <= 0:
        return "The new total amount must be more than £0"
    paid = ledger.paid_on_award(award)
    if new_amount < paid:
        return f"The new total amount cannot be less than the {gbp(paid)} already paid"
    return ""


def end_date_problem(award: Award, new_end_date: date, today: date) -> str:
    """The new end date may not come before the grant starts, before its last payment, or before today."""
    last_paid = last_payment_date(award)
    if new_end_date < award.start_date:
        return f"The new end date must be on or after the grant's start date, {_day(award.start_date)}"
    if last_paid is not None and new_end_date < last_paid:
        return f"The new end date cannot be before the last payment, made on {_day(last_paid)}"
    if new_end_date < today:
        return "The new end date must be today or later"
    return ""


def variation_problems(
    award: Award,
    *,
    reason: str,
    new_amount: Decimal | None,
    new_end_date: date | None,
    new_purpose: str = "",
    new_conditions: str = "",
    today: date | None = None,
    ignore: Variation | None = None,
) -> dict[str, list[str]]:
    """Every reason the change cannot be asked for as given, by field, so a page lists them all at once (the forms
    ask this too; the services ask again under the award's lock). `ignore`: the variation being decided."""
    today = today or timezone.localdate()
    problems: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        problems.setdefault(field, []).append(message)

    if award.status != Award.Status.ACTIVE:
        add(
            NON_FIELD_ERRORS,
            f"{award.reference} is {award.get_status_display().lower()}: only an active grant can be varied",
        )
    if not (reason or "").strip():
        add("reason", NO_REASON)
    changes_amount = new_amount is not None and new_amount != award.amount
    changes_end = new_end_date is not None and new_end_date != award.end_date
    if not (changes_amount or changes_end or (new_purpose or "").strip() or (new_conditions or "").strip()):
        add(NON_FIELD_ERRORS, NO_CHANGE)
    if new_amount is not None and (problem := amount_problem(award, new_amount)):
        add("new_amount", problem)
    if changes_end and new_end_date is not None and (problem := end_date_problem(award, new_end_date, today)):
        add("new_end_date", problem)
    others = Variation.objects.filter(award=award, status__in=Variation.OPEN)
    if ignore is not None:
        others = others.exclude(pk=ignore.pk)
    if (other := others.first()) is not None:
        add(
            NON_FIELD_ERRORS,
            f"Variation {other.reference} of this grant is still in progress: it must be finished or withdrawn first",
        )
    return problems


def _on_award(variation: Variation, step: str, *, by: Actor | None, note: str) -> None:
    award = variation.award
    record_transition(
        award,
        transition=f"variation_{step}",
        from_state=award.status,
        to_state=award.status,
        by=by,
        note=f"Variation {variation.reference}: {note}",
    )


def deciders_for(new_total: Decimal) -> list[User]:
    """The people the decision falls to: the lowest delegation level that covers the new total."""
    level = DelegationLevel.needed_for(DecisionKind.GRANT, new_total)
    if level is None:
        return []
    return list(User.objects.filter(role=level.role, is_active=True).order_by("pk"))


def _tell_deciders(variation: Variation) -> None:
    award = variation.award
    for user in deciders_for(variation.new_total):
        queue_message(
            key=f"variation-waiting:{variation.pk}:{user.pk}",
            to_email=user.email,
            to_user=user,
            template_key="variation-waiting",
            about=variation,
            values={
                "name": user.full_name,
                "reference": variation.reference,
                "award": award.reference,
                "project": award.title,
                "organisation": award.organisation.name,
                "new_total": gbp(variation.new_total),
                "link": _link("grants:variation-decide", variation.pk),
            },
        )


def _tell_provider(variation: Variation, template_key: str, **values) -> None:
    award = variation.award
    for membership in award.organisation.memberships.select_related("user"):
        user = membership.user
        queue_message(
            key=f"{template_key}:{variation.pk}:{user.pk}",
            to_email=user.email,
            to_user=user,
            template_key=template_key,
            about=variation,
            values={
                "name": user.full_name,
                "reference": variation.reference,
                "award": award.reference,
                "project": award.title,
                "link": _link("grants:variation", variation.pk),
                **values,
            },
        )


def _describe(variation: Variation) -> str:
    rows = variation_letters.changes(variation)
    return "; ".join(
        f"{what.lower()} {before} to {after}"
        if what in ("Total amount", "End date")
        else f"new {what.lower()}"
        for what, before, after in rows
    )


def _conditions_of(award: Award) -> str:
    """The conditions specific to a grant, as its offer set them (the scheme's standard ones are not varied here)."""
    offer = Offer.objects.filter(application__award=award).first()
    return offer.conditions if offer else ""


def start_variation(
    *,
    award: Award,
    by: Actor,
    reason: str,
    new_amount: Decimal | None = None,
    new_end_date: date | None = None,
    new_purpose: str = "",
    new_conditions: str = "",
) -> Variation:
    """The provider asks for a variation of its grant, or an officer proposes one. The deciders are told."""
    from_provider = by.role == Role.PROVIDER
    require_perm(by, "grants.request_variation" if from_provider else "grants.propose_variation", award)
    with transaction.atomic():
        award = Award.objects.select_for_update().select_related("organisation").get(pk=award.pk)
        if award.kind != AwardKind.GRANT:
            raise ValidationError(
                "Only a grant is varied here: a contract is modified through its commission"
            )
        problems = variation_problems(
            award,
            reason=reason,
            new_amount=new_amount,
            new_end_date=new_end_date,
            new_purpose=new_purpose,
            new_conditions=new_conditions,
        )
        if problems:
            raise ValidationError(problems)
        number = Variation.objects.filter(award=award).count() + 1
        status = Variation.Status.REQUESTED if from_provider else Variation.Status.PROPOSED
        variation = Variation.objects.create(
            award=award,
            reference=f"{award.reference}-V{number}",
            status=status,
            from_provider=from_provider,
            reason=reason.strip(),
            new_amount=new_amount if new_amount != award.amount else None,
            new_end_date=new_end_date if new_end_date != award.end_date else None,
            new_purpose=(new_purpose or "").strip(),
            new_conditions=(new_conditions or "").strip(),
            old_amount=award.amount,
            old_end_date=award.end_date,
            old_purpose=award.purpose,
            old_conditions=_conditions_of(award),
            requested_by=by,
        )
        word = "request" if from_provider else "propose"
        record_transition(
            variation, transition=word, from_state="", to_state=status, by=by, note=variation.reason
        )
        _on_award(
            variation,
            f"{word}d" if word == "propose" else "requested",
            by=by,
            note=f"{_describe(variation)}. {variation.reason}",
        )
        _tell_deciders(variation)
    return variation


def decision_problems(
    variation: Variation, *, by: Actor, decision: str, note: str, decision_record: str, accept_by: date | None
) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    if not (note or "").strip():
        problems["note"] = ["Enter the reasons for the decision: the provider is told them"]
    if by.role == Role.PCC and not (decision_record or "").strip():
        problems["decision_record"] = ["Enter the PCC decision record reference"]
    if decision == "approve":
        if accept_by is None:
            problems["accept_by"] = ["Enter the date the provider must accept the variation by"]
        elif accept_by < timezone.localdate():
            problems["accept_by"] = ["The acceptance deadline must be today or later"]
        award = variation.award
        still = variation_problems(
            award,
            reason=variation.reason,
            new_amount=variation.new_amount,
            new_end_date=variation.new_end_date,
            new_purpose=variation.new_purpose,
            new_conditions=variation.new_conditions,
            ignore=variation,
        )
        # The award has moved on since it was asked for (a payment made, say): the decider is told why.
        general = [message for messages in still.values() for message in messages if message != NO_REASON]
        if general:
            problems[NON_FIELD_ERRORS] = general
    return problems


def refusal_for(variation: Variation, by: Actor) -> str:
    """Why this person may not decide the variation, in words for the page ("" if they may)."""
    if by.has_perm("grants.decide_variation", variation):
        return ""
    level = DelegationLevel.needed_for(DecisionKind.GRANT, variation.new_total)
    who = level.label if level else "nobody: no delegation level covers it"
    return f"A grant of {gbp(variation.new_total)} is decided by the {who[:1].lower()}{who[1:]}: you cannot decide this variation"


def decide_variation(
    *,
    variation: Variation,
    by: Actor,
    decision: str,
    note: str,
    decision_record: str = "",
    accept_by: date | None = None,
    expected_state: str | None = None,
) -> Variation:
    """Approve (the letter is drawn, stored with its hash and sent) or refuse, within the decider's authority."""
    if decision not in ("approve", "refuse"):
        raise ValueError(decision)
    if variation.status not in Variation.UNDECIDED:
        raise TransitionNotAllowed(
            f"This variation is {variation.get_status_display().lower()}: it has been decided."
        )
    if refusal := refusal_for(variation, by):
        raise PermissionDenied(refusal)
    if problems := decision_problems(
        variation, by=by, decision=decision, note=note, decision_record=decision_record, accept_by=accept_by
    ):
        raise ValidationError(problems)

    def record(locked: Variation) -> None:
        locked.decided_by = by
        locked.decided_at = timezone.now()
        locked.decision_note = note.strip()
        locked.decision_record = (decision_record or "").strip()
        if decision == "approve":
            locked.accept_by = accept_by

    record_note = f" (decision record {decision_record.strip()})" if (decision_record or "").strip() else ""
    with transaction.atomic():
        variation = apply_transition(
            variation,
            decision,
            by=by,
            note=note.strip() + record_note,
            expected_state=expected_state,
            before_save=record,
        )
        variation = Variation.objects.select_related("award__organisation", "decided_by", "requested_by").get(
            pk=variation.pk
        )
        if decision == "refuse":
            _on_award(variation, "refused", by=by, note=note.strip() + record_note)
            _tell_provider(variation, "variation-refused", message=note.strip())
            return variation
        _on_award(variation, "approved", by=by, note=note.strip() + record_note)
        return _send_letter(variation, by=by)


def _send_letter(variation: Variation, *, by: Actor) -> Variation:
    document = store_bytes(
        data=variation_letters.letter_pdf(variation),
        kind=PDF,
        original_name=f"variation-letter-{variation.reference}.pdf",
        attached_to=variation,
        by=by,
        purpose="variation_letter",
        title=f"Variation letter {variation.reference}",
    )

    def attach(locked: Variation) -> None:
        locked.letter = document

    accept_by = variation.accept_by
    variation = apply_transition(
        variation,
        "send_letter",
        by=by,
        note=f"Letter sent (SHA-256 {document.sha256}); accept by {_day(accept_by)}",
        expected_state=Variation.Status.APPROVED,
        before_save=attach,
    )
    _on_award(variation, "letter_sent", by=by, note=f"variation letter sent; accept by {_day(accept_by)}")
    _tell_provider(variation, "variation-letter-ready", accept_by=_day(accept_by))
    return variation


def accept_variation(*, variation: Variation, by: Actor, name: str, role: str, confirmed: bool) -> Variation:
    """The provider accepts the letter by its deadline; the award changes as it says, the ledger keeping its rules,
    and monitoring follows the new end date. Nothing changes if any part fails."""
    errors: dict[str, list[str]] = {}
    if not confirmed:
        errors["confirmed"] = ["Confirm that you accept the variation on behalf of your organisation"]
    if not (name or "").strip():
        errors["name"] = ["Enter your full name"]
    if not (role or "").strip():
        errors["role"] = ["Enter your role in the organisation"]
    if variation.accept_by is not None and variation.accept_by < timezone.localdate():
        errors[NON_FIELD_ERRORS] = [
            f"This variation could be accepted until {_day(variation.accept_by)}: it has lapsed, and your grant "
            "continues unchanged. Contact the commissioning team if you still need the change."
        ]
    if errors:
        raise ValidationError(errors)
    name, role = name.strip(), role.strip()
    with transaction.atomic():
        now = timezone.now()

        def record(locked: Variation) -> None:
            locked.accepted_name, locked.accepted_role, locked.accepted_by, locked.accepted_at = (
                name,
                role,
                by,
                now,
            )

        variation = apply_transition(
            variation,
            "accept",
            by=by,
            expected_state=Variation.Status.LETTER_SENT,
            note=f"Accepted online by {name}, {role}",
            before_save=record,
        )
        variation = Variation.objects.select_related("award__organisation", "decided_by", "requested_by").get(
            pk=variation.pk
        )
        _apply_to_award(variation, by=by)
        document = store_bytes(
            data=variation_letters.letter_pdf(variation),
            kind=PDF,
            original_name=f"variation-letter-{variation.reference}-accepted.pdf",
            attached_to=variation,
            by=by,
            purpose="accepted_variation_letter",
            title=f"Accepted variation letter {variation.reference}",
        )
        Variation.objects.filter(pk=variation.pk).update(accepted_letter=document)
        variation.accepted_letter = document
    return variation


def _apply_to_award(variation: Variation, *, by: Actor) -> None:
    # Payments made since the letter went out may rule the change out now: asked again under the award's lock.
    award = Award.objects.select_for_update().get(pk=variation.award_id)
    old_end = award.end_date
    note = f"Variation {variation.reference} accepted by {variation.accepted_name}, {variation.accepted_role}. {variation.reason}"
    change = variation.new_total - award.amount if variation.new_amount is not None else Decimal("0")
    new_end = variation.new_end_date
    since = [
        problem
        for problem in (
            amount_problem(award, variation.new_amount) if variation.new_amount is not None else "",
            end_date_problem(award, new_end, timezone.localdate())
            if new_end and new_end != award.end_date
            else "",
        )
        if problem
    ]
    if since:
        raise ValidationError(
            {NON_FIELD_ERRORS: [f"The grant cannot be varied as the letter says: {' '.join(since)}"]}
        )
    if change or (new_end is not None and new_end != award.end_date):
        try:
            award = vary_award(award=award, amount_change=change, new_end_date=new_end, by=by, note=note)
        except ValidationError as exc:
            # The award moved on since the letter (a payment made, the pot spent): said as one refusal.
            raise ValidationError(
                {
                    NON_FIELD_ERRORS: [
                        f"The grant cannot be varied as the letter says: {' '.join(exc.messages)}"
                    ]
                }
            ) from None
    award = Award.objects.select_for_update().get(pk=award.pk)
    if variation.new_purpose:
        award.purpose = variation.new_purpose
        award.save(update_fields=["purpose"])
    if variation.new_conditions:
        Offer.objects.filter(application__award=award).update(conditions=variation.new_conditions)
    _on_award(
        variation,
        "accepted",
        by=by,
        note=f"accepted by {variation.accepted_name}; the grant now reads as the letter says",
    )
    award_varied.send(sender=Award, award=award, old_end_date=old_end)


def withdraw_variation(*, variation: Variation, by: Actor, note: str) -> Variation:
    if not (note or "").strip():
        raise ValidationError({"note": ["Enter why the variation is withdrawn"]})
    with transaction.atomic():
        variation = apply_transition(variation, "withdraw", by=by, note=note.strip())
        _on_award(variation, "withdrawn", by=by, note=note.strip())
    return variation


def lapse_overdue_variations(*, today: date | None = None) -> int:
    """Letters not accepted by their deadline lapse; the award stays as it was. Safe to run twice."""
    today = today or timezone.localdate()
    lapsed = 0
    due = Variation.objects.filter(status=Variation.Status.LETTER_SENT, accept_by__lt=today).values_list(
        "pk", flat=True
    )
    for pk in list(due):
        try:
            with transaction.atomic():
                variation = Variation.objects.select_related("award").get(pk=pk)
                note = f"The variation letter was not accepted by {_day(variation.accept_by)}; the grant is unchanged."
                variation = apply_transition(
                    variation,
                    "lapse",
                    by=None,
                    note=note,
                    check_permission=False,
                    expected_state=Variation.Status.LETTER_SENT,
                )
                _on_award(variation, "lapsed", by=None, note=note)
        except (StaleState, TransitionNotAllowed):
            continue
        lapsed += 1
    return lapsed


def default_accept_by(today: date | None = None) -> date:
    return (today or timezone.localdate()) + timedelta(days=ACCEPT_DAYS)
