"""The signed contract and what happens to it: extensions, break notices, review and decommissioning."""

from datetime import date

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from commissioning.models._common import money
from commissioning.models.procurement import Procurement
from opcc.calendar import add_months
from opcc.money import ZERO


class Contract(models.Model):
    procurement = models.OneToOneField(Procurement, on_delete=models.PROTECT, related_name="contract")
    award = models.OneToOneField("funding.Award", on_delete=models.PROTECT, related_name="contract")
    organisation = models.ForeignKey(
        "opcc.Organisation", on_delete=models.PROTECT, related_name="contracts", verbose_name="Provider"
    )
    annual_value = money("Annual value")
    total_value = money("Total value of the initial term")
    start_date = models.DateField("Start date")
    initial_term_years = models.PositiveSmallIntegerField(
        "Initial term (years)", validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    extension_pattern = models.CharField(
        "Term and extensions",
        max_length=20,
        help_text="The initial term then each extension option in years, like 3+1 or 2+1+1",
    )
    break_notice_months = models.PositiveSmallIntegerField(
        "Break clause notice period (months)", validators=[MinValueValidator(1), MaxValueValidator(24)]
    )
    break_clause = models.TextField(
        "Break clause", default="Either party may end the contract by giving written notice."
    )
    signed_on = models.DateField("Date signed")
    value_difference_reason = models.TextField(
        "Why the contract's value differs from the award decision",
        blank=True,
        help_text="Recorded when the whole value (the initial term and its extensions) is not the value decided",
    )
    extensions_used = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(initial_term_years__gte=1, initial_term_years__lte=10),
                name="initial_term_from_1_to_10_years",
                violation_error_message="The initial term must be between 1 and 10 years",
            ),
            models.CheckConstraint(
                condition=Q(break_notice_months__gte=1, break_notice_months__lte=24),
                name="notice_period_from_1_to_24_months",
                violation_error_message="The notice period must be between 1 and 24 months",
            ),
        ]

    def __str__(self):
        return f"Contract {self.award.reference}"

    @property
    def notice_date(self) -> date:
        """The last date to give notice so the contract ends no later than its end date."""
        return add_months(self.award.end_date, -self.break_notice_months)

    @property
    def extension_options(self) -> list[int]:

        from commissioning.procurement import parse_pattern  # noqa: PLC0415 - procurement.py reads these models

        return parse_pattern(self.extension_pattern)[1]

    @property
    def next_extension_years(self) -> int | None:
        options = self.extension_options
        return options[self.extensions_used] if self.extensions_used < len(options) else None

    @property
    def remaining_extension_years(self) -> list[int]:
        """The extension options not yet exercised, in years (none once the contract's award has ended)."""
        if self.award.status != self.award.Status.ACTIVE:
            return []
        return self.extension_options[self.extensions_used :]


class Extension(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="extensions")
    years = models.PositiveSmallIntegerField()
    old_end_date = models.DateField()
    new_end_date = models.DateField()
    additional = money("Extra amount")
    agreed_on = models.DateField("Agreed with the provider on")
    by = models.ForeignKey("opcc.User", null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"{self._meta.verbose_name} {self.pk}"


class BreakNotice(models.Model):
    class Party(models.TextChoices):
        OFFICE = "office", "The office"
        PROVIDER = "provider", "The provider"

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="break_notices")
    served_by = models.CharField("Who served notice", max_length=10, choices=Party.choices)
    served_on = models.DateField("Date notice was served")
    exit_date = models.DateField("Contract ends on")
    reason = models.TextField("Reason")
    keep = money("Still to be paid for the notice period", default=ZERO)
    applied_at = models.DateTimeField(null=True, blank=True)
    by = models.ForeignKey("opcc.User", null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-served_on", "-id"]

    def __str__(self):
        return f"{self._meta.verbose_name} {self.pk}"


class ReviewDecision(models.Model):
    class Decision(models.TextChoices):
        CONTINUE = "continue", "Continue the contract as it is"
        EXTEND = "extend", "Extend the contract"
        RECOMMISSION = "recommission", "Re-commission the service"
        DECOMMISSION = "decommission", "De-commission the service"

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="reviews")
    decision = models.CharField("Decision", max_length=14, choices=Decision.choices)
    reasons = models.TextField("Reasons")
    by = models.ForeignKey("opcc.User", null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self._meta.verbose_name} {self.pk}"


class DecommissioningPlan(models.Model):
    contract = models.OneToOneField(Contract, on_delete=models.CASCADE, related_name="decommissioning_plan")
    support_offered = models.TextField("Support offered to the provider")
    exit_date = models.DateField("Exit date")
    service_user_transition = models.TextField("How service users move on")
    agreed_on = models.DateField("Agreed with the provider on")
    keep = money("Still to be paid up to the exit date", default=ZERO)
    by = models.ForeignKey("opcc.User", null=True, on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords()

    def __str__(self):
        return f"{self._meta.verbose_name} {self.pk}"
