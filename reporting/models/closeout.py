"""Closing an award: the provider's final report (final spend by line, outcomes achieved against those agreed, what
happens to the service next), reviewed by an officer. A grant completes only once its final report is accepted."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django_fsm import FSMField, FSMModelMixin, transition
from simple_history.models import HistoricalRecords

from funding.models import MONEY


class FinalReportStatus(models.TextChoices):
    DRAFT = "draft", "Not sent"
    SUBMITTED = "submitted", "Sent for review"
    RETURNED = "returned", "Returned for changes"
    ACCEPTED = "accepted", "Accepted"


class FinalReportQuerySet(models.QuerySet):
    def with_provider(self):
        return self.filter(status__in=FinalReport.WITH_PROVIDER)

    def overdue(self, today):
        return self.with_provider().filter(due_date__lt=today)

    def to_review(self):
        return self.filter(status=FinalReportStatus.SUBMITTED)

    def for_provider(self, user):
        return self.filter(award__organisation__memberships__user=user)


class FinalReport(FSMModelMixin, models.Model):
    """An award's final report, once it has ended (its end date passed, or it was ended early)."""

    Status = FinalReportStatus
    # The provider may edit and send.
    WITH_PROVIDER = (FinalReportStatus.DRAFT, FinalReportStatus.RETURNED)

    award = models.OneToOneField("funding.Award", on_delete=models.CASCADE, related_name="final_report")
    status = FSMField(default=FinalReportStatus.DRAFT, choices=FinalReportStatus.choices, protected=True)
    due_date = models.DateField("Due")
    spend_total = models.DecimalField(
        "Total final spend", **MONEY, null=True, blank=True, validators=[MinValueValidator(Decimal("0"))]
    )
    service_next = models.TextField("What happens to the service next", blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        "opcc.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        "opcc.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_reasons = models.TextField("Why it is returned", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = FinalReportQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["status", "due_date"], name="final_report_status_due_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(spend_total__isnull=True) | models.Q(spend_total__gte=0),
                name="final_report_spend_not_negative",
            )
        ]

    def __str__(self):
        return f"Final report for {self.award}"

    @property
    def is_editable(self) -> bool:
        return self.status in self.WITH_PROVIDER

    def is_overdue(self, today) -> bool:
        return self.is_editable and self.due_date < today

    @transition(
        field=status,
        source=[FinalReportStatus.DRAFT, FinalReportStatus.RETURNED],
        target=FinalReportStatus.SUBMITTED,
        permission="reporting.submit_final_report",
        custom={"label": "Send the final report"},
    )
    def submit(self):
        """The provider declares the final report complete and accurate and sends it to the office."""

    @transition(
        field=status,
        source=FinalReportStatus.SUBMITTED,
        target=FinalReportStatus.ACCEPTED,
        permission="reporting.review_final_report",
        custom={"label": "Accept"},
    )
    def accept(self):
        """The officer accepts the final report: a grant that has reached its end date is completed, and what it was
        paid but did not spend can be recovered."""

    @transition(
        field=status,
        source=FinalReportStatus.SUBMITTED,
        target=FinalReportStatus.RETURNED,
        permission="reporting.review_final_report",
        custom={"label": "Return for changes"},
    )
    def return_for_changes(self):
        """The officer sends the final report back with reasons."""


class FinalSpendLine(models.Model):
    """One line of the award's budget (a project of a partnership's plan, or a year of the award) and what was spent
    on it."""

    report = models.ForeignKey(FinalReport, on_delete=models.CASCADE, related_name="spend_lines")
    label = models.CharField(max_length=200)
    budget = models.DecimalField(**MONEY, validators=[MinValueValidator(Decimal("0"))])
    spent = models.DecimalField(**MONEY, null=True, blank=True, validators=[MinValueValidator(Decimal("0"))])
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["report", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(spent__isnull=True) | models.Q(spent__gte=0),
                name="final_spend_not_negative",
            )
        ]

    def __str__(self):
        return self.label


class FinalOutcome(models.Model):
    """One outcome measure agreed for the award and what the provider says was achieved by the end."""

    report = models.ForeignKey(FinalReport, on_delete=models.CASCADE, related_name="outcomes")
    measure = models.ForeignKey(
        "reporting.Measure", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(max_length=200)
    agreed = models.CharField("What was agreed", max_length=200, blank=True)
    achieved = models.CharField("What was achieved", max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["report", "position", "id"]

    def __str__(self):
        return self.name
