from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords


class PoliceAndCrimePlan(models.Model):
    """The Commissioner's Police and Crime Plan: its priorities and their objectives are what the office's
    commissions, grant rounds and awards are for."""

    title = models.CharField("Title", max_length=200)
    period_start = models.DateField("Start of the plan's period")
    period_end = models.DateField("End of the plan's period")
    is_current = models.BooleanField("The current plan", default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-is_current", "-period_start"]
        verbose_name = "Police and Crime Plan"
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gt=F("period_start")), name="plan_period_ends_after_start"
            ),
            models.UniqueConstraint(
                fields=["is_current"], condition=Q(is_current=True), name="one_current_plan"
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if self.period_start and self.period_end and self.period_end <= self.period_start:
            raise ValidationError({"period_end": "The end of the period must be after its start"})

    @property
    def period_label(self) -> str:
        return f"{self.period_start:%-d %B %Y} to {self.period_end:%-d %B %Y}"


class Priority(models.Model):
    """One of the plan's priorities (the Safer West Mercia Plan calls them elements)."""

    plan = models.ForeignKey(PoliceAndCrimePlan, on_delete=models.CASCADE, related_name="priorities")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField("Priority", max_length=200)
    description = models.CharField("Short description", max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "position", "id"]
        verbose_name_plural = "priorities"

    def __str__(self):
        return self.title


class Objective(models.Model):
    """What the plan sets out to achieve under a priority; commissions, rounds and awards are linked to these."""

    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="objectives")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField("Objective", max_length=200)
    history = HistoricalRecords()

    class Meta:
        ordering = ["priority__plan", "priority__position", "priority_id", "position", "id"]

    def __str__(self):
        return self.title
