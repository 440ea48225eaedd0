"""Writing due diligence: evidence sent and verified, register checks, bank details (masked) and chasing items about
to lapse. Reads are in opcc/assurance.py."""

import hashlib
import hmac
import logging
import re
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from opcc.assurance import EXPIRES_SOON_DAYS, current_bank_account
from opcc.models import (
    BankAccount,
    CheckKind,
    ChecklistItem,
    Evidence,
    Organisation,
    Register,
    RegisterEntry,
)
from opcc.models.assurance import DOCUMENT_KINDS
from opcc.models.organisations import CHARITY_TYPES, COMPANY_TYPES
from opcc.permissions import require_perm
from opcc.services import documents, notifications
from opcc.types import Actor

log = logging.getLogger(__name__)

PAST_EXPIRY = (
    "The expiry date must be today or in the future: evidence that has already lapsed cannot be recorded"
)
SORT_CODE_RE = re.compile(r"^\d{6}$")
ACCOUNT_NUMBER_RE = re.compile(r"^\d{8}$")


def lapses(kind: str) -> bool:
    """Evidence of this kind has an expiry date (the checklist gives it a life in months)."""
    return ChecklistItem.objects.filter(kind=kind, lapses_after_months__isnull=False).exists()


def _expiry_problem(kind: str, expires_on: date | None) -> str | None:
    if expires_on is None:
        return "Enter the date this evidence expires" if lapses(kind) else None
    if expires_on < timezone.localdate():
        return PAST_EXPIRY
    return None


@transaction.atomic
def submit_evidence(
    *,
    organisation: Organisation,
    kind: str,
    by: Actor,
    uploaded=None,
    expires_on: date | None = None,
    note: str = "",
) -> Evidence:
    """An organisation (or an officer for it) sends a document for one item. It counts once an officer verifies it;
    until then the item is awaiting verification. The upload is checked by its contents (documents service)."""
    require_perm(by, "opcc.submit_evidence", organisation)
    if kind not in DOCUMENT_KINDS:
        raise ValidationError({"kind": "Choose the check this document is evidence for"})
    errors: dict[str, list[str]] = {}
    if (problem := _expiry_problem(kind, expires_on)) is not None:
        errors["expires_on"] = [problem]
    if uploaded is None:
        errors["file"] = ["Select the document to upload"]
    if errors:
        raise ValidationError(errors)
    document = documents.store_document(
        uploaded=uploaded,
        attached_to=organisation,
        by=by,
        purpose=f"due-diligence-{kind}"[:40],
        title=f"{CheckKind(kind).label} for {organisation.name}"[:200],
        field="file",
    )
    return Evidence.objects.create(
        organisation=organisation,
        kind=kind,
        document=document,
        note=note.strip(),
        expires_on=expires_on,
        submitted_by=by,
        submitted_at=timezone.now(),
    )


@transaction.atomic
def verify_evidence(*, evidence: Evidence, by: Actor, expires_on: date | None = None) -> Evidence:
    """An officer confirms the document is what it says and in date. The expiry may be corrected as it is."""
    require_perm(by, "opcc.verify_evidence", evidence.organisation)
    locked = Evidence.objects.select_for_update().get(pk=evidence.pk)
    if locked.verified_at is not None:
        raise ValidationError(f"This was verified by {locked.verified_by} already")
    expires_on = expires_on or locked.expires_on
    if (problem := _expiry_problem(locked.kind, expires_on)) is not None:
        raise ValidationError({"expires_on": problem})
    locked.expires_on, locked.verified_by, locked.verified_at = expires_on, by, timezone.now()
    locked.full_clean()
    locked.save()
    return locked


def _register_for(organisation: Organisation) -> tuple[str, str]:
    if organisation.org_type in CHARITY_TYPES and organisation.charity_number:
        return Register.CHARITY, organisation.charity_number.upper()
    if organisation.org_type in COMPANY_TYPES and organisation.company_number:
        return Register.COMPANY, organisation.company_number.upper()
    raise ValidationError(
        f"{organisation.name} is not a registered charity or company: it has no register entry"
    )


ACCEPTED_STATUS: dict[str, str] = {Register.CHARITY: "registered", Register.COMPANY: "active"}


@transaction.atomic
def record_register_check(*, organisation: Organisation, by: Actor) -> Evidence:
    """An officer checks the organisation against the latest imported register: a registered charity, or an active
    company, is recorded as verified (the register file is the evidence); anything else is refused, saying why."""
    require_perm(by, "opcc.verify_evidence", organisation)
    register, number = _register_for(organisation)
    entry = RegisterEntry.objects.select_related("source").filter(register=register, number=number).first()
    if entry is None:
        raise ValidationError(
            f"{number} is not in the {Register(register).label} the office has imported: import the latest file "
            "and check again"
        )
    if entry.status.strip().lower() != ACCEPTED_STATUS[register]:
        raise ValidationError(
            f"The register shows {number} {entry.name} as {entry.status}: it cannot be cleared"
        )
    income = f"; latest income £{entry.latest_income:,.0f}" if entry.latest_income is not None else ""
    accounts = (
        f"; accounts made up to {entry.accounts_made_up_to:%-d %B %Y}" if entry.accounts_made_up_to else ""
    )
    item = ChecklistItem.objects.filter(
        kind=CheckKind.REGISTRATION, lapses_after_months__isnull=False
    ).first()
    now = timezone.now()
    return Evidence.objects.create(
        organisation=organisation,
        kind=CheckKind.REGISTRATION,
        note=f"{Register(register).label} ({entry.source.file_name}, imported {entry.source.imported_at:%-d %B %Y}): "
        f"{entry.number} {entry.name}, {entry.status}{income}{accounts}"[:2000],
        expires_on=timezone.localdate() + relativedelta(months=item.lapses_after_months)
        if item and item.lapses_after_months
        else None,
        submitted_by=by,
        submitted_at=now,
        verified_by=by,
        verified_at=now,
    )


def account_hash(sort_code: str, account_number: str) -> str:
    """A keyed hash that tells one account from another without keeping the number."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{sort_code}:{account_number}".encode(), hashlib.sha256).hexdigest()


def _digits(value: str) -> str:
    return re.sub(r"[\s-]", "", value or "")


@transaction.atomic
def set_bank_details(
    *, organisation: Organisation, by: Actor, account_name: str, sort_code: str, account_number: str
) -> BankAccount:
    """Record the account payments go to. Only a hash and the last four digits are kept. A change replaces the
    current account and is flagged: nothing is paid until someone other than the person who entered it verifies."""
    require_perm(by, "opcc.change_bank_details", organisation)
    sort_code, account_number = _digits(sort_code), _digits(account_number)
    errors = {}
    if not (account_name or "").strip():
        errors["account_name"] = ["Enter the name on the account"]
    if not SORT_CODE_RE.match(sort_code):
        errors["sort_code"] = ["Enter a sort code of 6 digits, like 30-94-57"]
    if not ACCOUNT_NUMBER_RE.match(account_number):
        errors["account_number"] = [
            "Enter an account number of 8 digits (a shorter one starts with zeros: ask your bank)"
        ]
    if errors:
        raise ValidationError(errors)
    Organisation.objects.select_for_update().get(pk=organisation.pk)  # one change at a time per organisation
    digest = account_hash(sort_code, account_number)
    current = current_bank_account(organisation)
    if (
        current is not None
        and current.account_number_hash == digest
        and current.account_name == account_name.strip()
    ):
        return current
    now = timezone.now()
    if current is not None:
        current.replaced_at = now
        current.save(update_fields=["replaced_at"])
    account = BankAccount(
        organisation=organisation,
        account_name=account_name.strip(),
        sort_code=sort_code,
        account_number_hash=digest,
        account_last4=account_number[-4:],
        entered_by=by,
        entered_at=now,
        is_change=current is not None,
    )
    account.full_clean()
    account.save()
    if current is not None:
        log.info(
            "Bank details of organisation %s changed: account ending %s",
            organisation.pk,
            account.account_last4,
        )
    return account


@transaction.atomic
def verify_bank_details(*, organisation: Organisation, by: Actor, note: str = "") -> BankAccount:
    """An officer confirms the account (for example by calling the organisation on a number the office already
    held). Never the person who entered it."""
    require_perm(by, "opcc.verify_evidence", organisation)
    account = (
        BankAccount.objects.select_for_update()
        .filter(organisation=organisation, replaced_at__isnull=True)
        .first()
    )
    if account is None:
        raise ValidationError("There are no bank details to verify")
    if account.verified_at is not None:
        raise ValidationError(f"These bank details were verified by {account.verified_by} already")
    if account.entered_by_id == by.pk:
        raise ValidationError(
            "You entered these bank details, so another officer must verify them", code="same_person"
        )
    if not (note or "").strip():
        raise ValidationError(
            {"note": "Say how you verified the account, for example who you called and on what number"}
        )
    account.verified_by, account.verified_at, account.verification_note = (
        by,
        timezone.now(),
        note.strip()[:300],
    )
    account.full_clean()
    account.save()
    return account


def chase_expiring_items(*, today: date) -> int:
    """Tell each organisation (its contact email and administrators) about a verified item about to lapse, and again
    once it has lapsed. Once per item and stage, however often it runs: the outbox key is the idempotency."""
    soon = today + timedelta(days=EXPIRES_SOON_DAYS)
    renewed = Evidence.objects.filter(
        organisation=OuterRef("organisation"), kind=OuterRef("kind"), verified_at__isnull=False
    ).filter(Q(expires_on__isnull=True) | Q(expires_on__gt=OuterRef("expires_on")))
    lapsing = (
        Evidence.objects.filter(
            verified_at__isnull=False,
            expires_on__lte=soon,
            expires_on__gte=today - timedelta(days=EXPIRES_SOON_DAYS),
        )
        .annotate(renewed=Exists(renewed))
        .filter(renewed=False)
        .select_related("organisation")
        .prefetch_related("organisation__memberships__user")
    )
    sent = 0
    for evidence in lapsing.iterator(chunk_size=500):
        stage = "expired" if evidence.expires_on and evidence.expires_on < today else "soon"
        organisation = evidence.organisation
        recipients = {organisation.email} if organisation.email else set()
        recipients |= {
            m.user.email for m in organisation.memberships.all() if m.is_admin and m.user.is_active
        }
        values = {
            "organisation": organisation.name,
            "item": CheckKind(evidence.kind).label,
            "expires_on": f"{evidence.expires_on:%-d %B %Y}",
            "link": settings.SITE_URL.rstrip("/")
            + reverse("organisations:due-diligence", args=[organisation.pk]),
        }
        with transaction.atomic():
            for email in sorted(recipients):
                message = notifications.queue_message(
                    key=f"due-diligence-{stage}:{evidence.pk}:{email}",
                    to_email=email,
                    template_key=f"due-diligence-{stage}",
                    values=values,
                    about=organisation,
                )
                sent += message is not None
    return sent


def record_cleared(
    organisation: Organisation,
    *,
    expires_on: date | None = None,
    by: Actor | None = None,
    note: str = "Checked and verified by the office",
    sort_code: str = "309457",
    account_number: str = "",
) -> None:
    """Record every check as done and verified, with one verified bank account: for an organisation the office
    cleared before this service kept its checks (the demo, the test factories). Not reachable from any page."""
    now = timezone.now()
    Evidence.objects.bulk_create(
        [
            Evidence(
                organisation=organisation,
                kind=kind,
                note=note,
                expires_on=expires_on,
                submitted_by=by,
                submitted_at=now,
                verified_by=by,
                verified_at=now,
            )
            for kind in (CheckKind.REGISTRATION, *DOCUMENT_KINDS)
        ]
    )
    if not BankAccount.objects.filter(organisation=organisation, replaced_at__isnull=True).exists():
        number = account_number or f"{organisation.pk % 100000000:08d}"
        BankAccount.objects.create(
            organisation=organisation,
            account_name=organisation.name[:140],
            sort_code=sort_code,
            account_number_hash=account_hash(sort_code, number),
            account_last4=number[-4:],
            entered_by=None,
            entered_at=now,
            verified_by=by,
            verified_at=now,
            verification_note=note[:300],
        )
