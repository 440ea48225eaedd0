"""After the contract is signed: modifications to it (Procurement Act 2023 ss.74-77) and assessments of how the
supplier performs against its key performance indicators (s.71).

An extension exercised under the contract's own N+M pattern is not a modification: it was provided for in the
contract as awarded (Schedule 8, paragraph 1), so it is an `Extension`, not a `ContractChange`.
"""

from django.db import models
from django.db.models import Q

from commissioning.models.contracts import Contract


class ContractChange(models.Model):
    """A change to the value, the term or the scope of a contract, with its reason. Its size (the percentages) and
    whether a contract change notice must be published first are computed by commissioning/services/changes.py when
    it is proposed, never typed; the change is applied once nothing (or a published notice) stands in its way."""

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting for the contract change notice"
        APPLIED = "applied", "Applied"

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="changes")
    # Signed: a decrease is negative. Zero when only the term or the scope changes.
    value_change = models.DecimalField("Change in value", max_digits=14, decimal_places=2, default=0)
    new_end_date = models.DateField("New end date", null=True, blank=True)
    scope_change = models.TextField("Change in scope", blank=True)
    reason = models.TextField("Reason for the change")
    agreed_on = models.DateField("Agreed with the provider on")
    # What the contract was before the change, and the size of the change against it (percent, 2 places).
    value_before = models.DecimalField(max_digits=14, decimal_places=2)
    end_date_before = models.DateField()
    estimated_value = models.DecimalField("Estimated value of the contract", max_digits=14, decimal_places=2)
    maximum_term_days = models.PositiveIntegerField("Maximum term provided for on award (days)")
    value_percent = models.DecimalField(max_digits=9, decimal_places=4, default=0)
    term_percent = models.DecimalField(max_digits=9, decimal_places=4, default=0)
    # With the earlier changes since the last contract change notice that it could have been made with (s.75(4)).
    cumulative_value_percent = models.DecimalField(max_digits=9, decimal_places=4, default=0)
    cumulative_term_percent = models.DecimalField(max_digits=9, decimal_places=4, default=0)
    notice_needed = models.BooleanField(default=False)
    notice_reason = models.TextField("Why a notice is or is not needed")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    by = models.ForeignKey("opcc.User", null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    applied_by = models.ForeignKey(
        "opcc.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="contract_change_has_reason",
                condition=~Q(reason=""),
                violation_error_message="Enter the reason for the change",
            ),
            models.CheckConstraint(
                name="contract_change_changes_something",
                condition=~Q(value_change=0) | Q(new_end_date__isnull=False) | ~Q(scope_change=""),
                violation_error_message="A change must change the value, the end date or the scope",
            ),
            models.CheckConstraint(
                name="applied_change_has_date",
                condition=~Q(status="applied") | Q(applied_at__isnull=False),
            ),
        ]

    def __str__(self):
        return f"Change {self.pk} to {self.contract}"

    @property
    def kinds(self) -> list[str]:
        found = []
        if self.value_change:
            found.append("value")
        if self.new_end_date:
            found.append("term")
        if self.scope_change:
            found.append("scope")
        return found

    @property
    def notice_key(self) -> str:
        return f"contract:{self.contract_id}:change:{self.pk}"


class Rating(models.TextChoices):
    """The ratings a contract performance notice gives (Procurement Regulations 2024; gov.uk guidance)."""

    GOOD = "good", "Good"
    APPROACHING = "approaching_target", "Approaching target"
    REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement"
    INADEQUATE = "inadequate", "Inadequate"


class PerformanceAssessment(models.Model):
    """An assessment of the supplier's performance against the contract's key performance indicators, at least
    once in every 12 months of a contract over £5 million (s.52, s.71). It keeps the indicators' names with their
    ratings (`ratings`: [{"kpi": name, "rating": Rating}]) so what was published stays as it was."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="assessments")
    period_start = models.DateField("Period assessed from")
    period_end = models.DateField("Period assessed to")
    assessed_on = models.DateField("Assessed on")
    ratings = models.JSONField(default=list)
    notes = models.TextField("Notes", blank=True)
    by = models.ForeignKey("opcc.User", null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-period_end", "-id"]
        constraints = [
            models.CheckConstraint(
                name="assessment_period_in_order",
                condition=Q(period_end__gte=models.F("period_start")),
                violation_error_message="The period must end on or after the day it starts",
            ),
            models.UniqueConstraint(fields=["contract", "period_end"], name="one_assessment_per_period"),
        ]

    def __str__(self):
        return f"Assessment of {self.contract} to {self.period_end}"

    @property
    def notice_key(self) -> str:
        return f"contract:{self.contract_id}:performance:{self.pk}"

    def rating_rows(self) -> list[tuple[str, str]]:
        labels = dict(Rating.choices)
        return [(r["kpi"], labels.get(r["rating"], r["rating"])) for r in self.ratings]
