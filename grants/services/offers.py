"""Offers: committing the money, the offer letter's wording, acceptance online and lapsing."""

from datetime import date

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django_fsm import TransitionNotAllowed

from funding.models import Award, AwardKind
from funding.services import awards as award_services
from grants import letters
from grants.models import (
    Application,
    Offer,
    OfferLetterTemplate,
)
from grants.selectors import current_template, offer_letter_pdf, pot_for, signatory_for
from grants.services.messages import send_message
from opcc.assurance import check_cleared
from opcc.money import gbp
from opcc.permissions import require_perm
from opcc.services.documents import PDF, store_bytes
from opcc.services.transitions import StaleState, apply_transition
from opcc.types import Actor


def accept_by_problem(accept_by: date, start_date: date | None = None) -> str:
    """What is wrong with an offer's acceptance deadline, or "" (the offer form asks this too): it is today or later,
    and before the grant starts (a grant cannot start before it has been accepted)."""
    if accept_by < timezone.localdate():
        return "The acceptance deadline must be today or later"
    if start_date is not None and accept_by >= start_date:
        return f"The acceptance deadline must be before the grant start date, {start_date:%-d %B %Y}"
    return ""


def signatory_problems(name: str, role: str) -> dict:
    problems = {}
    if not (name or "").strip():
        problems["signatory_name"] = ["Enter the name of the person signing the letter"]
    if not (role or "").strip():
        problems["signatory_role"] = ["Enter the role of the person signing the letter"]
    return problems


def make_offer(
    *,
    application: Application,
    by: Actor,
    start_date: date,
    end_date: date,
    schedule_kind: str,
    accept_by: date,
    conditions: str = "",
    outcomes: str = "",
    note: str = "",
    signatory_name: str | None = None,
    signatory_role: str | None = None,
) -> Application:
    """Commit the money as a pending award and issue the offer. Nothing is committed if anything fails.

    The letter is signed by a named person with their role: by default the person making the offer."""
    require_perm(by, "grants.make_offer", application)
    default_name, default_role = signatory_for(by)
    signatory_name = default_name if signatory_name is None else signatory_name
    signatory_role = default_role if signatory_role is None else signatory_role
    errors = {"accept_by": [problem]} if (problem := accept_by_problem(accept_by, start_date)) else {}
    errors.update(signatory_problems(signatory_name, signatory_role))
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.status != Application.Status.APPROVED:
            raise StaleState(
                f"This application is {locked.get_status_display().lower()}: only an approved application can be offered."
            )
        pot = pot_for(locked)
        check_cleared(locked.organisation, locked.decided_amount, stream=pot.stream, action="make this offer")
        try:
            award = award_services.create_award(
                organisation=locked.organisation,
                pot=pot,
                kind=AwardKind.GRANT,
                title=locked.display_title,
                purpose=locked.summary or locked.display_title,
                start_date=start_date,
                end_date=end_date,
                amount=locked.decided_amount,
                schedule_kind=schedule_kind,
                by=by,
                match_funding_amount=locked.match_funding_amount,
                match_funding_source=locked.match_funding_source,
                awarded_on=timezone.localdate(),
                activate=False,
                objectives=list(locked.round.objectives.all()),
            )
        except ValidationError as exc:
            # Reported together with the deadline, not one after the other.
            found = exc.message_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.messages}
            raise ValidationError({**errors, **found}) from None
        if errors:
            raise ValidationError(errors)  # rolls back the award just made
        Offer.objects.create(
            application=locked,
            conditions=conditions,
            outcomes=outcomes,
            accept_by=accept_by,
            made_by=by,
            signatory_name=signatory_name.strip(),
            signatory_role=signatory_role.strip(),
        )

        def attach(app):
            app.award = award

        application = apply_transition(
            locked,
            "make_offer",
            by=by,
            note=note or f"Offer of {gbp(award.amount)} made; accept by {accept_by:%-d %B %Y}",
            before_save=attach,
        )
        send_message(
            application=application,
            by=by,
            subject="Your offer of a grant",
            body=f"We are offering {gbp(award.amount)} for {application.display_title}. "
            f"Read the offer letter and accept it online by {accept_by:%-d %B %Y}.",
        )
    return application


def save_template(*, by: Actor, letterhead: str, body: str) -> OfferLetterTemplate:
    require_perm(by, "grants.edit_letter_template")
    try:
        letters.check_template(body)
    except letters.LetterTemplateError as exc:
        raise ValidationError({"body": str(exc)}) from None
    template = current_template()
    template.letterhead, template.body, template.updated_by = letterhead, body, by
    template.save()
    return template


def accept_offer(
    *, application: Application, by: Actor, name: str, role: str, confirmed: bool
) -> Application:
    errors = {}
    if not confirmed:
        errors["confirmed"] = (
            "Confirm that you accept the offer and its conditions on behalf of your organisation"
        )
    if not (name or "").strip():
        errors["name"] = "Enter your full name"
    if not (role or "").strip():
        errors["role"] = "Enter your role in the organisation"
    if errors:
        raise ValidationError(errors)
    offer = application.offer
    if offer.accept_by < timezone.localdate():
        raise ValidationError(
            f"This offer could be accepted until {offer.accept_by:%-d %B %Y}: it has lapsed."
        )
    with transaction.atomic():
        now = timezone.now()

        def record(locked):
            Offer.objects.filter(pk=offer.pk).update(
                accepted_name=name.strip(), accepted_role=role.strip(), accepted_by=by, accepted_at=now
            )

        application = apply_transition(
            application,
            "accept",
            by=by,
            expected_state=Application.Status.OFFERED,
            note=f"Accepted online by {name.strip()}, {role.strip()}",
            before_save=record,
        )
        application = Application.objects.select_related(
            "offer", "award", "organisation", "round__scheme"
        ).get(pk=application.pk)
        data = offer_letter_pdf(application)
        document = store_bytes(
            data=data,
            kind=PDF,
            original_name=f"offer-letter-{application.award.reference}.pdf",
            attached_to=application,
            by=by,
            purpose="accepted_offer_letter",
            title=f"Accepted offer letter {application.award.reference}",
        )
        Offer.objects.filter(pk=offer.pk).update(letter=document)
        award_services.activate_award(
            award=application.award,
            by=by,
            check_permission=False,
            note=f"Grant offer accepted by {name.strip()}, {role.strip()}",
            expected_state=Award.Status.PENDING,
        )
    return application


def lapse_overdue_offers(*, today: date | None = None) -> int:
    """Offers not accepted by their deadline lapse and their awards are cancelled. Safe to run twice."""
    today = today or timezone.localdate()
    lapsed = 0
    due = Application.objects.filter(
        status=Application.Status.OFFERED, offer__accept_by__lt=today
    ).values_list("pk", flat=True)
    for pk in list(due):
        try:
            with transaction.atomic():
                application = Application.objects.select_related("offer", "award").get(pk=pk)
                deadline = application.offer.accept_by
                note = f"The offer was not accepted by {deadline:%-d %B %Y}; the money returns to the pot."
                application = apply_transition(
                    application,
                    "lapse",
                    by=None,
                    note=note,
                    check_permission=False,
                    expected_state=Application.Status.OFFERED,
                )
                Offer.objects.filter(application=application).update(lapsed_at=timezone.now())
                if application.award and application.award.status == Award.Status.PENDING:
                    award_services.end_award(
                        award=application.award,
                        transition="cancel",
                        by=None,
                        note=note,
                        check_permission=False,
                        expected_state=Award.Status.PENDING,
                    )
                send_message(application=application, by=None, subject="Your offer has lapsed", body=note)
        except (StaleState, TransitionNotAllowed):
            continue  # someone accepted or withdrew it meanwhile
        lapsed += 1
    return lapsed
