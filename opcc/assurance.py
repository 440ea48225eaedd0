"""Reading an organisation's due diligence: which checks an award of a given value asks for, where each stands, and
the one question offers, contracts and payments ask: `organisation_cleared(org, for_value)`.

Proportionate to value (GovS 015, the grants functional standard): the checklist is the band's items (data in
ValueBand and ChecklistItem), so a small grant asks for less than a large contract. Writes live in
opcc/services/assurance.py.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from opcc.models import (
    BankAccount,
    CheckKind,
    ChecklistItem,
    Evidence,
    Organisation,
    ValueBand,
)

# An item that lapses within this many days "expires soon": it is chased and shows on the officers' list.
EXPIRES_SOON_DAYS = 30


class Status:
    VERIFIED = "verified"
    EXPIRES_SOON = "expires_soon"
    AWAITING = "awaiting"
    CHANGED = "changed"
    EXPIRED = "expired"
    MISSING = "missing"


STATUS_LABELS = {
    Status.VERIFIED: ("Verified", "govuk-tag--green"),
    Status.EXPIRES_SOON: ("Expires soon", "govuk-tag--yellow"),
    Status.AWAITING: ("Awaiting verification", "govuk-tag--blue"),
    Status.CHANGED: ("Changed: awaiting verification", "govuk-tag--orange"),
    Status.EXPIRED: ("Expired", "govuk-tag--red"),
    Status.MISSING: ("Missing", "govuk-tag--grey"),
}
# What stops an offer, a contract or a payment.
BLOCKING = {Status.AWAITING, Status.CHANGED, Status.EXPIRED, Status.MISSING}


@dataclass
class ItemState:
    kind: str
    status: str
    required: bool = False
    current: Evidence | None = None  # the verified evidence that counts (the one lasting longest)
    pending: list[Evidence] = field(default_factory=list)  # sent, not yet verified
    bank_account: BankAccount | None = None
    expires_on: date | None = None

    @property
    def label(self) -> str:
        return CheckKind(self.kind).label

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status][0]

    @property
    def tag_class(self) -> str:
        return STATUS_LABELS[self.status][1]

    @property
    def blocks(self) -> bool:
        return self.required and self.status in BLOCKING

    @property
    def problem(self) -> str:
        """What is wrong, in a sentence fragment for a refusal: "Insurance: expired on 3 May 2026"."""
        if self.status == Status.EXPIRED and self.expires_on:
            return f"{self.label}: expired on {self.expires_on:%-d %B %Y}"
        return f"{self.label}: {self.status_label.lower()}"


@dataclass
class Clearance:
    organisation: Organisation
    value: Decimal
    band: ValueBand | None
    items: list[ItemState]

    @property
    def missing(self) -> list[ItemState]:
        """The required items that stop money going out: missing, expired or not yet verified."""
        return [i for i in self.items if i.blocks]

    @property
    def cleared(self) -> bool:
        return not self.missing

    def __bool__(self) -> bool:
        return self.cleared

    @property
    def problems(self) -> list[str]:
        return [i.problem for i in self.missing]


@dataclass(frozen=True)
class RiskRating:
    level: str  # "low", "medium", "high"
    reasons: tuple[str, ...]

    @property
    def label(self) -> str:
        return {"low": "Low risk", "medium": "Medium risk", "high": "High risk"}[self.level]

    @property
    def tag_class(self) -> str:
        return {"low": "govuk-tag--green", "medium": "govuk-tag--yellow", "high": "govuk-tag--red"}[
            self.level
        ]


def bands() -> list[ValueBand]:
    return list(ValueBand.objects.prefetch_related("items"))


def band_for(value: Decimal, all_bands: Iterable[ValueBand] | None = None) -> ValueBand | None:
    for band in all_bands if all_bands is not None else bands():
        if band.contains(value):
            return band
    return None


def _applies(item: ChecklistItem, organisation: Organisation, stream: str) -> bool:
    return (not item.stream or item.stream == stream) and (
        not item.org_types or organisation.org_type in item.org_types
    )


def required_kinds(organisation: Organisation, band: ValueBand | None, stream: str = "") -> list[str]:
    """The kinds of check a band asks of this organisation, in the checklist's order."""
    if band is None:
        return []
    kinds = {i.kind for i in band.items.all() if _applies(i, organisation, stream)}
    return [k for k in CheckKind.values if k in kinds]


def _state(
    kind: str, evidence: list[Evidence], bank: BankAccount | None, today: date, required: bool
) -> ItemState:
    if kind == CheckKind.BANK_DETAILS:
        if bank is None:
            return ItemState(kind, Status.MISSING, required)
        if bank.verified_at is None:
            status = Status.CHANGED if bank.is_change else Status.AWAITING
            return ItemState(kind, status, required, bank_account=bank)
        return ItemState(kind, Status.VERIFIED, required, bank_account=bank)
    verified = [e for e in evidence if e.verified_at is not None]
    pending = [e for e in evidence if e.verified_at is None]
    live = [e for e in verified if e.expires_on is None or e.expires_on >= today]
    if live:
        # The evidence lasting longest counts: a renewal verified early is not undone by the old one lapsing.
        current = max(live, key=lambda e: (e.expires_on is None, e.expires_on or date.max))
        soon = current.expires_on is not None and current.expires_on <= today + timedelta(
            days=EXPIRES_SOON_DAYS
        )
        status = Status.EXPIRES_SOON if soon else Status.VERIFIED
        return ItemState(kind, status, required, current, pending, expires_on=current.expires_on)
    if pending:
        return ItemState(kind, Status.AWAITING, required, None, pending)
    if verified:
        last = max(verified, key=lambda e: e.expires_on or date.min)
        return ItemState(kind, Status.EXPIRED, required, last, expires_on=last.expires_on)
    return ItemState(kind, Status.MISSING, required)


def item_states(
    organisation: Organisation,
    *,
    required: Iterable[str] = (),
    today: date | None = None,
    evidence: list[Evidence] | None = None,
    bank: BankAccount | None | bool = False,
) -> list[ItemState]:
    """Every kind of check for one organisation, required ones marked. `evidence` and `bank` may be passed in
    (already fetched for a page of organisations); otherwise they are read here."""
    today = today or timezone.localdate()
    if evidence is None:
        evidence = list(
            Evidence.objects.filter(organisation=organisation).select_related(
                "document", "verified_by", "submitted_by"
            )
        )
    if bank is False:
        bank = current_bank_account(organisation)
    by_kind: dict[str, list[Evidence]] = defaultdict(list)
    for e in evidence:
        by_kind[e.kind].append(e)
    wanted = set(required)
    return [
        _state(kind, by_kind[kind], bank if isinstance(bank, BankAccount) else None, today, kind in wanted)
        for kind in CheckKind.values
    ]


def current_bank_account(organisation: Organisation) -> BankAccount | None:
    return (
        BankAccount.objects.filter(organisation=organisation, replaced_at__isnull=True)
        .select_related("entered_by", "verified_by")
        .first()
    )


def organisation_cleared(
    org: Organisation, for_value: Decimal, *, stream: str = "", today: date | None = None
) -> Clearance:
    """May money of this value go to this organisation? The Clearance is falsy when not, and lists what is missing,
    expired or waiting for verification (`.missing`, `.problems`) so the caller can refuse with the list."""
    band = band_for(Decimal(for_value))
    kinds = required_kinds(org, band, stream)
    return Clearance(org, Decimal(for_value), band, item_states(org, required=kinds, today=today))


def check_cleared(org: Organisation, for_value: Decimal, *, stream: str = "", action: str = "pay") -> None:
    """Raise ValidationError naming each missing item unless the organisation is cleared for this value."""
    clearance = organisation_cleared(org, for_value, stream=stream)
    if not clearance:
        listed = "; ".join(clearance.problems)
        raise ValidationError(
            f"{org.name}'s due diligence is not complete, so we cannot {action}: {listed}. "
            "An officer can see what is needed on its due diligence page.",
            code="due_diligence",
        )


def risk_rating(clearance: Clearance) -> RiskRating:
    """Proportionate to value: any gap in what the band asks is high risk; the top band, or an item about to lapse
    or awaiting a check, is medium; otherwise low."""
    if clearance.missing:
        return RiskRating("high", tuple(clearance.problems))
    reasons = []
    if clearance.band is not None and clearance.band.upper is None:
        reasons.append(f"{clearance.band.name} band: over £{clearance.band.lower:,.0f}")
    reasons += [
        f"{i.label}: expires on {i.expires_on:%-d %B %Y}"
        for i in clearance.items
        if i.required and i.status == Status.EXPIRES_SOON
    ]
    if reasons:
        return RiskRating("medium", tuple(reasons))
    return RiskRating("low", ("Every check this value asks for is verified",))


def organisations_needing_attention(today: date | None = None) -> QuerySet[Organisation]:
    """Organisations with an item expired or expiring soon, evidence or a bank change waiting for an officer, or
    missing something every award asks for (the lowest band's checks in every stream)."""
    today = today or timezone.localdate()
    soon = today + timedelta(days=EXPIRES_SOON_DAYS)
    verified = Evidence.objects.filter(organisation=OuterRef("pk"), verified_at__isnull=False)
    lasting = Evidence.objects.filter(
        organisation=OuterRef("organisation"), kind=OuterRef("kind"), verified_at__isnull=False
    ).filter(Q(expires_on__isnull=True) | Q(expires_on__gt=soon))
    lapsing = (
        Evidence.objects.filter(organisation=OuterRef("pk"), verified_at__isnull=False, expires_on__lte=soon)
        .annotate(renewed=Exists(lasting))
        .filter(renewed=False)
    )
    current_bank = BankAccount.objects.filter(organisation=OuterRef("pk"), replaced_at__isnull=True)
    conditions = [
        Q(Exists(lapsing)),
        Q(Exists(Evidence.objects.filter(organisation=OuterRef("pk"), verified_at__isnull=True))),
        Q(Exists(current_bank.filter(verified_at__isnull=True))),
    ]
    lowest = ValueBand.objects.order_by("lower").first()
    for item in lowest.items.filter(stream="") if lowest is not None else []:
        if item.kind == CheckKind.BANK_DETAILS:
            lacking = ~Q(Exists(current_bank.filter(verified_at__isnull=False)))
        else:
            live = verified.filter(kind=item.kind).filter(
                Q(expires_on__isnull=True) | Q(expires_on__gte=today)
            )
            lacking = ~Q(Exists(live))
        conditions.append(lacking & Q(org_type__in=item.org_types) if item.org_types else lacking)
    condition = conditions[0]
    for other in conditions[1:]:
        condition |= other
    return Organisation.objects.filter(condition).order_by("name", "pk")


def states_for_page(
    organisations: list[Organisation], today: date | None = None
) -> dict[int, list[ItemState]]:
    """Item states for a page of organisations in two queries, whatever the page's length."""
    ids = [o.pk for o in organisations]
    evidence: dict[int, list[Evidence]] = defaultdict(list)
    for e in Evidence.objects.filter(organisation_id__in=ids):
        evidence[e.organisation_id].append(e)
    banks = {
        b.organisation_id: b
        for b in BankAccount.objects.filter(organisation_id__in=ids, replaced_at__isnull=True)
    }
    return {
        o.pk: item_states(o, today=today, evidence=evidence[o.pk], bank=banks.get(o.pk))
        for o in organisations
    }
