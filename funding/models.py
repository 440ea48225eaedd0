"""Money: financial years, income, the police budget, the four streams' pots, awards and payments.

Amounts are Decimal pounds and pence. Every rule that keeps the money adding up lives in
`funding/ledger.py` and is enforced inside the transaction that moves the money.
"""

from datetime import date
from decimal import Decimal
from typing import Any, TypedDict

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django_fsm import FSMField, FSMModelMixin, transition
from simple_history.models import HistoricalRecords

from funding.hooks import may_complete
from opcc import calendar
from opcc.calendar import Quarter
from opcc.money import ZERO, gbp


class MoneyDigits(TypedDict):
    max_digits: int
    decimal_places: int


MONEY: MoneyDigits = {"max_digits": 14, "decimal_places": 2}
# Nothing this office handles comes near £1bn: anything larger is a typing mistake.
MAX_AMOUNT = Decimal("999999999.99")


def money_field(label: str, **kwargs: Any) -> "models.DecimalField[Any, Decimal]":
    return models.DecimalField(label, validators=[MinValueValidator(ZERO)], default=ZERO, **MONEY, **kwargs)


class FinancialYear(FSMModelMixin, models.Model):
    """1 April to 31 March. Its allocation is prepared by finance and approved by the PCC.

    Years ahead of the next one start as the medium-term financial plan's indicative figures: money may be committed
    against them (held to the same rules), and finance makes one the draft budget once its figures are firm."""

    class Status(models.TextChoices):
        INDICATIVE = "indicative", "Indicative"
        DRAFT = "draft", "Draft"
        APPROVED = "approved", "Approved"

    start_year = models.PositiveSmallIntegerField(unique=True)
    police_budget = money_field("West Mercia Police budget")
    status = FSMField(default=Status.DRAFT, choices=Status.choices, protected=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        "opcc.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_year"]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return f"{self.start_year} to {self.start_year + 1}"

    @property
    def short_label(self) -> str:
        return f"{self.start_year}/{str(self.start_year + 1)[-2:]}"

    @property
    def start_date(self) -> date:
        return calendar.year_start(self.start_year)

    @property
    def end_date(self) -> date:
        return calendar.year_end(self.start_year)

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED

    @property
    def is_indicative(self) -> bool:
        return self.status == self.Status.INDICATIVE

    @transition(
        field=status,
        source=Status.INDICATIVE,
        target=Status.DRAFT,
        permission="funding.prepare_allocation",
        custom={"label": "Make this the draft budget"},
    )
    def make_draft(self):
        """Finance turns the plan's indicative figures for the year into the draft budget the PCC will approve."""

    @transition(
        field=status,
        source=Status.DRAFT,
        target=Status.APPROVED,
        permission="funding.approve_allocation",
        custom={"label": "Approve the allocation"},
    )
    def approve(self):
        """The PCC approves the year's allocation; after this, changes are recorded variations."""


class IncomeSource(models.TextChoices):
    MOJ_CORE = "moj_core", "Ministry of Justice victims' services grant: core"
    MOJ_GENERAL = "moj_general", "Ministry of Justice victims' services grant: general"
    MOJ_ISVA_IDVA = "moj_isva_idva", "Ministry of Justice ISVA and IDVA grant (ring-fenced)"
    HOME_OFFICE = "home_office", "Home Office police grant"
    COUNCIL_TAX = "council_tax", "Council tax precept"
    OTHER_GRANT = "other_grant", "Other grant"


RING_FENCED_SOURCES = {IncomeSource.MOJ_ISVA_IDVA}
# The Ministry of Justice's victims' grant lines: the Ministry of Justice return reports spend against each.
MOJ_SOURCES = (IncomeSource.MOJ_CORE, IncomeSource.MOJ_GENERAL, IncomeSource.MOJ_ISVA_IDVA)


class IncomeLine(models.Model):
    year = models.ForeignKey(FinancialYear, on_delete=models.CASCADE, related_name="income_lines")
    source = models.CharField(max_length=20, choices=IncomeSource.choices)
    description = models.CharField(max_length=200, blank=True, help_text="For example, Safer Streets round 5")
    amount = money_field("Amount")
    history = HistoricalRecords()

    class Meta:
        ordering = ["year", "source", "id"]

    def __str__(self):
        return f"{self.get_source_display()} {self.year.short_label}"

    @property
    def ring_fenced(self) -> bool:
        return self.source in RING_FENCED_SOURCES


class Stream(models.TextChoices):
    VICTIM_SERVICES = "victim_services", "Victim Services"
    CSP_GRANTS = "csp_grants", "Community Safety Partnership grants"
    CGS = "cgs", "Commissioner's Grant Scheme"
    LPCAF = "lpcaf", "Local Policing and Community Ambassador's Fund"


STREAM_ORDER = [Stream.VICTIM_SERVICES, Stream.CSP_GRANTS, Stream.CGS, Stream.LPCAF]


class Pot(models.Model):
    """One stream's money for one purpose in one year: a CSP's pot, an area's LPCAF pot, road safety."""

    year = models.ForeignKey(FinancialYear, on_delete=models.CASCADE, related_name="pots")
    stream = models.CharField(max_length=20, choices=Stream.choices)
    # The same pot across years shares a key, e.g. "lpcaf-herefordshire": multi-year awards follow it.
    key = models.SlugField(max_length=60)
    name = models.CharField(max_length=150)
    area = models.ForeignKey(
        "opcc.LocalPolicingArea", null=True, blank=True, on_delete=models.PROTECT, related_name="pots"
    )
    csp = models.ForeignKey(
        "opcc.CommunitySafetyPartnership",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pots",
    )
    allocated = money_field("Allocated")
    history = HistoricalRecords()

    class Meta:
        ordering = ["year", "stream", "name"]
        constraints = [models.UniqueConstraint(fields=["year", "key"], name="unique_pot_key_per_year")]

    def __str__(self):
        return f"{self.name} ({self.year.short_label})"

    @property
    def remaining(self) -> Decimal:
        """Allocated less committed; needs the `committed` annotation from ledger.pots_with_figures."""
        return self.allocated - self.committed  # type: ignore[attr-defined]


class PotIncome(models.Model):
    """How much of a pot's allocation one kind of income pays for. The victim services pot, say, is paid for by the
    Ministry of Justice's core and general victims' grants and the Commissioner's own top-up: recording the grant
    lines' parts lets the Ministry of Justice return report spend against each line (a pot's payments count against
    a line in proportion to its part). Pots with no rows are paid for from the office's general income."""

    pot = models.ForeignKey(Pot, on_delete=models.CASCADE, related_name="income")
    source = models.CharField("Income", max_length=20, choices=IncomeSource.choices)
    amount = models.DecimalField(
        "Part of the pot's allocation it pays for", **MONEY, validators=[MinValueValidator(Decimal("0.01"))]
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["pot", "source"]
        verbose_name = "income paying for a pot"
        verbose_name_plural = "income paying for pots"
        constraints = [
            models.UniqueConstraint(
                fields=["pot", "source"],
                name="one_pot_income_per_source",
                violation_error_message="This income already pays for part of the pot: change "
                "that amount instead",
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gt=0),
                name="pot_income_amount_positive",
                violation_error_message="Enter an amount of at least £0.01",
            ),
        ]

    def __str__(self):
        return f"{self.get_source_display()}: {self.pot}"


class AllocationVariation(models.Model):
    """A change to an approved allocation: never a silent edit."""

    year = models.ForeignKey(FinancialYear, on_delete=models.CASCADE, related_name="variations")
    # Empty for a change to the police budget.
    pot = models.ForeignKey(Pot, null=True, blank=True, on_delete=models.CASCADE, related_name="variations")
    old_amount = models.DecimalField(**MONEY)
    new_amount = models.DecimalField(**MONEY)
    reason = models.TextField()
    by = models.ForeignKey("opcc.User", null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.subject}: {self.old_amount} to {self.new_amount}"

    @property
    def change(self) -> Decimal:
        return self.new_amount - self.old_amount

    @property
    def subject(self) -> str:
        return self.pot.name if self.pot else "West Mercia Police budget"


class AwardKind(models.TextChoices):
    CONTRACT = "contract", "Contract"
    GRANT = "grant", "Grant"


class PaymentScheduleKind(models.TextChoices):
    IN_ADVANCE = "in_advance", "In advance"
    QUARTERLY_ARREARS = "quarterly_arrears", "Quarterly in arrears"
    INSTALMENTS = "instalments", "Instalments"


class DecisionKind(models.TextChoices):
    GRANT = "grant", "Grants"
    CONTRACT = "contract", "Contract awards"


class DelegationLevel(models.Model):
    """Who may decide how much: the highest grant, or contract award, each role may decide.

    Data the office keeps (the settings site), one row per kind of decision and role; no row means the role
    decides none of that kind. The lowest level that covers a value is the level the value needs."""

    decides = models.CharField(max_length=10, choices=DecisionKind.choices)
    role = models.CharField(max_length=32)
    label = models.CharField(max_length=100)
    # Empty means no upper limit.
    up_to = models.DecimalField(
        "Up to and including", null=True, blank=True, validators=[MinValueValidator(ZERO)], **MONEY
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["decides", models.F("up_to").asc(nulls_last=True)]
        constraints = [
            models.UniqueConstraint(
                fields=["decides", "role"], name="one_delegation_level_per_role_and_kind"
            ),
            models.CheckConstraint(
                condition=models.Q(up_to__isnull=True) | models.Q(up_to__gte=0),
                name="delegation_limit_not_negative",
            ),
        ]

    def __str__(self):
        return self.label

    def covers(self, amount: Decimal) -> bool:
        return self.up_to is None or amount <= self.up_to

    @classmethod
    def for_role(cls, decides: str, role: str) -> "DelegationLevel | None":
        return cls.objects.filter(decides=decides, role=role).first()

    @classmethod
    def needed_for(cls, decides: str, amount: Decimal, levels=None) -> "DelegationLevel | None":
        """The lowest level that may decide `amount` (None if no level covers it). `levels`: rows already loaded."""
        rows = levels if levels is not None else cls.objects.filter(decides=decides)
        return next((level for level in rows if level.decides == decides and level.covers(amount)), None)


class Award(FSMModelMixin, models.Model):
    """Every commitment of money to an organisation from one pot: a contract or a grant."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        ACTIVE = "active", "Active"
        COMPLETED = "completed", "Completed"
        TERMINATED = "terminated", "Terminated"
        DECOMMISSIONED = "decommissioned", "Decommissioned"
        CANCELLED = "cancelled", "Cancelled"

    reference = models.CharField(max_length=20, unique=True)
    organisation = models.ForeignKey("opcc.Organisation", on_delete=models.PROTECT, related_name="awards")
    pot = models.ForeignKey(Pot, on_delete=models.PROTECT, related_name="awards")
    kind = models.CharField(max_length=10, choices=AwardKind.choices)
    title = models.CharField("Title", max_length=200)
    purpose = models.TextField("Purpose")
    start_date = models.DateField("Start date")
    end_date = models.DateField("End date")
    amount = models.DecimalField("Total amount", **MONEY, validators=[MinValueValidator(Decimal("0.01"))])
    schedule_kind = models.CharField("Payment schedule", max_length=20, choices=PaymentScheduleKind.choices)
    match_funding_amount = money_field("Match funding")
    match_funding_source = models.CharField("Source of match funding", max_length=200, blank=True)
    objectives = models.ManyToManyField(
        "opcc.Objective", blank=True, related_name="awards", verbose_name="Police and Crime Plan objectives"
    )
    status = FSMField(default=Status.PENDING, choices=Status.choices, protected=True)
    awarded_on = models.DateField("Award date", null=True, blank=True)
    created_by = models.ForeignKey(
        "opcc.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date", "reference"]
        indexes = [models.Index(fields=["status", "end_date"])]

    def __str__(self):
        return f"{self.reference}: {self.title}"

    def clean(self):
        # Every problem at once, so a page lists them all.
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = "The end date must be the same as or after the start date"
        if self.amount is not None and self.amount > MAX_AMOUNT:
            errors["amount"] = "The amount is too large: check it"
        if self.match_funding_amount and not self.match_funding_source:
            errors["match_funding_source"] = "Enter where the match funding comes from"
        if errors:
            raise ValidationError(errors)

    @property
    def is_live(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.ACTIVE)

    @transition(
        field=status,
        source=Status.PENDING,
        target=Status.ACTIVE,
        permission="funding.manage_award",
        # title: the page that asks for the reason; ends: what is unpaid returns to the pot.
        custom={"label": "Mark as active", "title": "Mark as active", "ends": False},
    )
    def activate(self):
        """The offer is accepted or the contract signed: the award starts."""

    @transition(
        field=status,
        source=Status.PENDING,
        target=Status.CANCELLED,
        permission="funding.end_award",
        custom={"label": "Cancel", "title": "Cancel the award", "ends": True},
    )
    def cancel(self):
        """Withdrawn or lapsed before it started: the money returns to the pot."""

    @transition(
        field=status,
        source=Status.ACTIVE,
        target=Status.COMPLETED,
        conditions=[may_complete],
        permission="funding.manage_award",
        custom={"label": "Mark as completed", "title": "Mark as completed", "ends": False},
    )
    def complete(self):
        """Delivered and closed. A grant waits for its final report to be accepted (funding.hooks.may_complete)."""

    @transition(
        field=status,
        source=Status.ACTIVE,
        target=Status.TERMINATED,
        permission="funding.end_award",
        custom={"label": "Terminate", "title": "Terminate the award", "ends": True},
    )
    def terminate(self):
        """Ended early (for example a break clause): what is unpaid returns to the pot."""

    @transition(
        field=status,
        source=Status.ACTIVE,
        target=Status.DECOMMISSIONED,
        permission="funding.end_award",
        custom={"label": "Decommission", "title": "Decommission the award", "ends": True},
    )
    def decommission(self):
        """The service is de-commissioned: what is unpaid returns to the pot."""


class AwardYear(models.Model):
    """The award's profile: how much of it is committed in each financial year, from that year's pot."""

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="profile")
    pot = models.ForeignKey(Pot, on_delete=models.PROTECT, related_name="commitments")
    amount = models.DecimalField(**MONEY, validators=[MinValueValidator(ZERO)])
    history = HistoricalRecords()

    class Meta:
        ordering = ["pot__year__start_year"]
        constraints = [models.UniqueConstraint(fields=["award", "pot"], name="unique_award_year")]

    def __str__(self):
        return f"{self.award_id} in {self.pot}"


class PaymentScheduleLine(models.Model):
    """A payment due under the award's schedule."""

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="schedule")
    award_year = models.ForeignKey(AwardYear, on_delete=models.CASCADE, related_name="schedule")
    due_date = models.DateField()
    amount = models.DecimalField(**MONEY, validators=[MinValueValidator(ZERO)])
    description = models.CharField(max_length=150)
    # For payments in arrears: the quarter whose outcome return must be accepted first.
    quarter_start_year = models.PositiveSmallIntegerField(null=True, blank=True)
    quarter = models.PositiveSmallIntegerField(null=True, blank=True)
    # Set by outcome monitoring when that quarter's return is accepted.
    return_accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_date", "id"]

    def __str__(self):
        return f"{self.description} due {self.due_date}"

    @property
    def quarter_label(self) -> str:

        if self.quarter is None or self.quarter_start_year is None:
            return ""
        return Quarter(self.quarter_start_year, self.quarter).short_label

    @property
    def needs_accepted_return(self) -> bool:
        return self.quarter is not None

    @property
    def is_payable(self) -> bool:
        """Not waiting for an outcome return. Whether it is due yet depends on the day: ledger.line_state."""
        return not self.needs_accepted_return or self.return_accepted_at is not None


INVOICE_AFTER_PAID = "The date the invoice was received must be the same as or before the date paid"


class Payment(models.Model):
    award = models.ForeignKey(Award, on_delete=models.PROTECT, related_name="payments")
    schedule_line = models.ForeignKey(
        PaymentScheduleLine, null=True, blank=True, on_delete=models.PROTECT, related_name="payments"
    )
    amount = models.DecimalField("Amount", **MONEY, validators=[MinValueValidator(Decimal("0.01"))])
    paid_on = models.DateField("Date paid")
    # When the supplier's invoice arrived: the Procurement Act's 30-day payment term (s.68) and the payments
    # compliance figures (regulation 38) count from the day after. Required for contract payments (the service).
    invoice_received_on = models.DateField("Date the invoice was received", null=True, blank=True)
    # The year of the award's profile this payment draws on (and so the pot it is paid from).
    award_year = models.ForeignKey(AwardYear, on_delete=models.PROTECT, related_name="payments")
    reference = models.CharField("Finance system reference", max_length=60, blank=True)
    # Off the schedule: the scheduled payments it reduced when it was recorded, in words (ledger.describe_reductions).
    reduces = models.CharField("Scheduled payments it reduces", max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        "opcc.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-paid_on", "-id"]
        indexes = [models.Index(fields=["award_year"]), models.Index(fields=["paid_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(invoice_received_on__isnull=True)
                | models.Q(invoice_received_on__lte=models.F("paid_on")),
                name="invoice_received_not_after_paid",
                violation_error_message=INVOICE_AFTER_PAID,
            )
        ]

    def __str__(self):
        return f"{gbp(self.amount)} on {self.paid_on}"

    def clean(self):
        if self.invoice_received_on and self.paid_on and self.invoice_received_on > self.paid_on:
            raise ValidationError({"invoice_received_on": INVOICE_AFTER_PAID})

    @property
    def days_to_pay(self) -> int | None:
        """Days from the invoice to payment, day 1 being the day after the invoice arrived (regulation 38(2)(c))."""
        if self.invoice_received_on is None:
            return None
        return (self.paid_on - self.invoice_received_on).days


# Recoveries live in their own module; importing them here registers them with the app.
from funding.recovery_models import Recovery, RecoveryCredit, RecoveryStatus  # noqa: E402, F401
