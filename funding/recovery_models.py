"""Money paid to an award but not spent, owed back and then received: a recovery.

A recovery is recorded as owed with the invoice the office sent for it; when finance records it received, it is
credited back to the pots the award was paid from (latest year first, never more than a year was paid), and the
ledger counts those credits off what each pot has committed and paid (ledger.recovered_subquery).
"""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django_fsm import FSMField, FSMModelMixin, transition
from simple_history.models import HistoricalRecords

from funding.models import MONEY, Award, AwardYear
from opcc.money import gbp


class RecoveryStatus(models.TextChoices):
    OWED = "owed", "Awaiting receipt"
    RECEIVED = "received", "Received"


class Recovery(FSMModelMixin, models.Model):
    """Money owed back by the organisation an award paid: an underspend, or what an award ended early did not spend."""

    Status = RecoveryStatus

    award = models.ForeignKey(Award, on_delete=models.PROTECT, related_name="recoveries")
    amount = models.DecimalField("Amount owed back", **MONEY, validators=[MinValueValidator(Decimal("0.01"))])
    # The spend the recovery was worked out from (the accepted final report's, or the figure finance recorded).
    final_spend = models.DecimalField("Final spend", **MONEY, validators=[MinValueValidator(Decimal("0"))])
    invoice_reference = models.CharField("Invoice reference", max_length=60)
    reason = models.CharField("Why it is owed", max_length=300)
    status = FSMField(default=RecoveryStatus.OWED, choices=RecoveryStatus.choices, protected=True)
    recorded_by = models.ForeignKey("opcc.User", null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    received_on = models.DateField("Date received", null=True, blank=True)
    received_by = models.ForeignKey(
        "opcc.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-recorded_at", "-id"]
        verbose_name_plural = "recoveries"
        indexes = [models.Index(fields=["status", "recorded_at"], name="recovery_status_idx")]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="recovery_amount_positive"),
            models.CheckConstraint(
                condition=models.Q(final_spend__gte=0), name="recovery_spend_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(status=RecoveryStatus.OWED, received_on__isnull=True)
                | models.Q(status=RecoveryStatus.RECEIVED, received_on__isnull=False),
                name="recovery_received_on_when_received",
            ),
        ]

    def __str__(self):
        return f"{gbp(self.amount)} owed back on {self.award.reference} (invoice {self.invoice_reference})"

    @transition(
        field=status,
        source=RecoveryStatus.OWED,
        target=RecoveryStatus.RECEIVED,
        permission="funding.record_recovery",
        custom={"label": "Record as received"},
    )
    def receive(self):
        """Finance has the money back: it returns to the pots the award was paid from."""


class RecoveryCredit(models.Model):
    """The part of a received recovery credited back to one year of the award's profile (and so to that year's pot)."""

    recovery = models.ForeignKey(Recovery, on_delete=models.PROTECT, related_name="credits")
    award_year = models.ForeignKey(AwardYear, on_delete=models.PROTECT, related_name="recovery_credits")
    amount = models.DecimalField(**MONEY, validators=[MinValueValidator(Decimal("0.01"))])

    class Meta:
        ordering = ["recovery", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="recovery_credit_positive"),
            models.UniqueConstraint(fields=["recovery", "award_year"], name="one_credit_per_recovery_year"),
        ]

    def __str__(self):
        return f"{gbp(self.amount)} back to {self.award_year.pot}"
