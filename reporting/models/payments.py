"""The finance director's approval of a payments compliance notice (Procurement Regulations 2024, reg. 38(2)(e)).

The notice itself is commissioning's `Notice` (kind PAYMENTS_COMPLIANCE, key "payments:<period start>"); what the
regulation asks the notice to carry beyond the figures is a statement by the officer responsible for the
authority's finances that they approve it, with their name and job title. Finance records it here, once per period.
"""

from django.db import models
from django.db.models import Q


class PaymentsComplianceApproval(models.Model):
    period_start = models.DateField("First day of the reporting period", unique=True)
    approver_name = models.CharField("Name of the officer who approves the notice", max_length=120)
    approver_job_title = models.CharField("Their job title", max_length=120)
    recorded_by = models.ForeignKey("opcc.User", null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-period_start"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(approver_name="") & ~Q(approver_job_title=""),
                name="payments_approval_names_the_approver",
                violation_error_message="Enter the approver's name and job title",
            )
        ]

    def __str__(self):
        return (
            f"Payments compliance notice from {self.period_start:%-d %B %Y} approved by {self.approver_name}"
        )
