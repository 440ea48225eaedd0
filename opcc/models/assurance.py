"""Due diligence on the organisations the office funds: a checklist that is data (value bands and the items each
band asks for), the evidence for each item, bank details (kept masked) and the registers they are checked against.

GovS 015 (the government grants functional standard) asks for due diligence proportionate to the value and risk of
an award; the bands below are that proportion, and staff may edit them in the admin site.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords


class CheckKind(models.TextChoices):
    REGISTRATION = "registration", "Registration status"
    ACCOUNTS = "accounts", "Latest accounts and income"
    SAFEGUARDING = "safeguarding", "Safeguarding policy"
    INSURANCE = "insurance", "Insurance"
    DBS = "dbs", "DBS checks for staff working with victims or children"
    DATA_SHARING = "data_sharing", "Data-sharing agreement"
    BANK_DETAILS = "bank_details", "Bank details verified"


# Kinds whose evidence is a document the organisation sends; the others are checks the office records itself
# (the register, the bank account).
DOCUMENT_KINDS = (
    CheckKind.ACCOUNTS,
    CheckKind.SAFEGUARDING,
    CheckKind.INSURANCE,
    CheckKind.DBS,
    CheckKind.DATA_SHARING,
)


class ValueBand(models.Model):
    """A range of award values with its own depth of checks: light, standard, enhanced."""

    name = models.CharField(max_length=60, unique=True)
    # From (inclusive) ... up to (exclusive); no upper limit for the top band.
    lower = models.DecimalField(max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0"))])
    upper = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    description = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["lower"]
        constraints = [
            models.CheckConstraint(condition=Q(lower__gte=0), name="valueband_lower_not_negative"),
            models.CheckConstraint(
                condition=Q(upper__isnull=True) | Q(upper__gt=models.F("lower")),
                name="valueband_upper_above_lower",
            ),
        ]

    def __str__(self):
        return self.name

    def contains(self, value: Decimal) -> bool:
        return value >= self.lower and (self.upper is None or value < self.upper)


class ChecklistItem(models.Model):
    """One check a band asks for, in every stream or in one (DBS checks for victim services at any value)."""

    band = models.ForeignKey(ValueBand, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(max_length=20, choices=CheckKind.choices)
    # A funding stream's key (funding.Stream), or blank for every stream.
    stream = models.CharField(max_length=20, blank=True)
    # Organisation types it applies to (opcc.OrganisationType values); empty for every type.
    org_types = models.JSONField(default=list, blank=True)
    # How long evidence of this kind usually lasts, to suggest an expiry date; blank where it does not lapse.
    lapses_after_months = models.PositiveSmallIntegerField(null=True, blank=True)
    guidance = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["band__lower", "kind", "stream"]
        constraints = [
            models.UniqueConstraint(fields=["band", "kind", "stream"], name="unique_checklist_item"),
        ]

    def __str__(self):
        where = f" ({self.stream})" if self.stream else ""
        return f"{self.band}: {self.get_kind_display()}{where}"


class Evidence(models.Model):
    """What an organisation sent (or the office recorded) for one item, who checked it and when, until when."""

    organisation = models.ForeignKey("opcc.Organisation", on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(max_length=20, choices=CheckKind.choices)
    document = models.ForeignKey(
        "opcc.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # A recorded check: what was looked at and what it said (the register's entry, a call to the bank).
    note = models.TextField(blank=True)
    expires_on = models.DateField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField()
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["organisation", "kind"])]
        verbose_name_plural = "evidence"

    def __str__(self):
        return f"{self.organisation}: {self.get_kind_display()}"


class BankAccount(models.Model):
    """An organisation's bank account. The account number itself is never stored: only a keyed hash (to tell one
    account from another) and its last four digits (to show)."""

    organisation = models.ForeignKey(
        "opcc.Organisation", on_delete=models.CASCADE, related_name="bank_accounts"
    )
    account_name = models.CharField("Name on the account", max_length=140)
    sort_code = models.CharField(max_length=6)
    account_number_hash = models.CharField(max_length=64)
    account_last4 = models.CharField(max_length=4)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField()
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    verification_note = models.CharField(max_length=300, blank=True)
    # Set when a newer account replaces this one: the current account is the one without it.
    replaced_at = models.DateTimeField(null=True, blank=True)
    # True when it replaced an earlier account: a change, flagged until someone else verifies it.
    is_change = models.BooleanField(default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-entered_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(replaced_at__isnull=True),
                name="one_current_bank_account",
            ),
            models.CheckConstraint(condition=Q(account_last4__regex=r"^\d{4}$"), name="bank_last4_digits"),
            models.CheckConstraint(condition=Q(sort_code__regex=r"^\d{6}$"), name="bank_sort_code_digits"),
            models.CheckConstraint(
                condition=Q(verified_by__isnull=True) | ~Q(verified_by=models.F("entered_by")),
                name="bank_verified_by_someone_else",
            ),
        ]

    def __str__(self):
        return f"{self.organisation}: account ending {self.account_last4}"

    @property
    def masked_number(self) -> str:
        return f"****{self.account_last4}"

    @property
    def sort_code_display(self) -> str:
        return f"{self.sort_code[:2]}-{self.sort_code[2:4]}-{self.sort_code[4:]}"


class Register(models.TextChoices):
    CHARITY = "charity", "Charity Commission register of charities"
    COMPANY = "company", "Companies House company data"


class RegisterImport(models.Model):
    """One register file the office imported, in the regulator's published format."""

    register = models.CharField(max_length=10, choices=Register.choices)
    file_name = models.CharField(max_length=255)
    rows_read = models.PositiveIntegerField(default=0)
    rows_kept = models.PositiveIntegerField(default=0)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField()

    class Meta:
        ordering = ["-imported_at", "-id"]

    def __str__(self):
        return f"{self.get_register_display()}: {self.file_name}"


class RegisterEntry(models.Model):
    """A register's entry for an organisation the office knows (the rest of the register is not kept)."""

    register = models.CharField(max_length=10, choices=Register.choices)
    number = models.CharField(max_length=10)
    name = models.CharField(max_length=200)
    status = models.CharField(max_length=80)
    latest_income = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    accounts_made_up_to = models.DateField(null=True, blank=True)
    source = models.ForeignKey(RegisterImport, on_delete=models.CASCADE, related_name="entries")

    class Meta:
        ordering = ["register", "number"]
        constraints = [models.UniqueConstraint(fields=["register", "number"], name="unique_register_entry")]

    def __str__(self):
        return f"{self.number} {self.name} ({self.status})"
