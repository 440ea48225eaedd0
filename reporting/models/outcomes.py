"""Outcomes that add up across awards: a catalogue of shared indicators each award's measures map to, and a
summary per award, quarter and indicator written when a return is accepted (so no page sums the returns).

A rate is kept as its numerator and denominator, each summed, so the rate across services is the total
numerator over the total denominator: never an average of percentages."""

from django.db import models


class Aggregation(models.TextChoices):
    SUM = "sum", "A count, summed across awards and quarters"
    RATE = "rate", "A rate: the numbers behind it summed, then divided"
    STAR_PROGRESS = "star_progress", "Outcomes Star readings: those showing progress over all readings taken"

    @property
    def is_rate(self) -> bool:
        return self != Aggregation.SUM


class OutcomeIndicator(models.Model):
    """One shared outcome the office adds up across every service it funds."""

    key = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    section = models.CharField(
        max_length=80, blank=True, help_text="A heading to group by, e.g. 'Referrals by crime type'"
    )
    unit = models.CharField(
        max_length=40, help_text="What is counted, e.g. people, referrals, sessions, service users"
    )
    aggregation = models.CharField("How it adds up", max_length=20, choices=Aggregation.choices)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name

    @property
    def is_rate(self) -> bool:
        return Aggregation(self.aggregation).is_rate


class OutcomeAggregate(models.Model):
    """What one award's accepted return for one quarter reported against one indicator: a count's total, or a
    rate's numerator and denominator. Written inside the transaction that accepts the return."""

    award = models.ForeignKey("funding.Award", on_delete=models.CASCADE, related_name="outcome_aggregates")
    quarter_start_year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField()
    indicator = models.ForeignKey(OutcomeIndicator, on_delete=models.CASCADE, related_name="aggregates")
    value_sum = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    numerator = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    denominator = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    n_measures = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-quarter_start_year", "-quarter", "award_id", "indicator_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["award", "quarter_start_year", "quarter", "indicator"],
                name="one_aggregate_per_award_quarter_indicator",
            ),
            models.CheckConstraint(
                condition=models.Q(numerator__isnull=True)
                | models.Q(denominator__isnull=True)
                | models.Q(numerator__lte=models.F("denominator")),
                name="aggregate_numerator_within_denominator",
            ),
        ]
        indexes = [models.Index(fields=["quarter_start_year", "quarter", "indicator"])]

    def __str__(self):
        return f"{self.award_id} {self.quarter_start_year} Q{self.quarter} {self.indicator_id}"
