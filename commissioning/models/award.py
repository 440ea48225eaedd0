"""After the award decision: the assessment summary each assessed supplier receives (Procurement Act 2023, s.50(3))
and the contract's key performance indicators, which its contract details notice sets out (s.52, s.53)."""

from django.db import models
from django.db.models import Q

from commissioning.models.contracts import Contract
from commissioning.models.procurement import Bid, Procurement


class AssessmentSummary(models.Model):
    """One assessed supplier's summary: its own scores and price, the winner's scores and the reasons, as a PDF
    drawn when the award decision is made. Sending it comes before the contract award notice."""

    procurement = models.ForeignKey(
        Procurement, on_delete=models.CASCADE, related_name="assessment_summaries"
    )
    bid = models.OneToOneField(Bid, on_delete=models.CASCADE, related_name="assessment_summary")
    document = models.ForeignKey(
        "opcc.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The PDF's SHA-256, kept with the record so what was sent can be shown to be what is stored.
    sha256 = models.CharField(max_length=64, blank=True)
    generated_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(
        "opcc.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "assessment summaries"
        constraints = [
            # Only a drawn summary can be sent.
            models.CheckConstraint(
                name="sent_summary_has_its_pdf",
                condition=Q(sent_at__isnull=True) | (Q(document__isnull=False) & ~Q(sha256="")),
            ),
        ]

    def __str__(self):
        return f"Assessment summary for {self.bid.organisation}"

    @property
    def organisation(self):
        return self.bid.organisation

    @property
    def is_sent(self) -> bool:
        return self.sent_at is not None


class ContractKPI(models.Model):
    """A key performance indicator set for the contract (s.52: at least three for a contract over £5 million)."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="kpis")
    name = models.CharField("Indicator", max_length=150)
    target = models.CharField("Target", max_length=200)

    class Meta:
        ordering = ["id"]
        verbose_name = "key performance indicator"
        constraints = [
            models.UniqueConstraint(fields=["contract", "name"], name="one_kpi_per_name_per_contract"),
            models.CheckConstraint(name="kpi_has_a_name_and_target", condition=~Q(name="") & ~Q(target="")),
        ]

    def __str__(self):
        return self.name
