"""Proportionate monitoring: "The monitoring process will be proportionate to the value of the service."

A `MonitoringTier` says what the office asks of an award (quarterly returns or one end-of-project report, visits a
year, an annual review); `TierBand`s choose a tier by stream and value; each award's `AwardMonitoring` records the
tier it was given, the band that chose it, or an officer's override and the reason. The head of commissioning edits
tiers and bands in the settings site; an award keeps its tier when they change later.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from funding.models import MONEY, Stream
from opcc.money import gbp


class Reporting(models.TextChoices):
    QUARTERLY = "quarterly", "An outcome return each quarter"
    END_OF_PROJECT = "end_of_project", "One end-of-project report"


class MonitoringTier(models.Model):
    """What the office asks of an award at this tier."""

    key = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=60)
    description = models.CharField(max_length=300, blank=True, help_text="For officers: when this tier fits")
    reporting = models.CharField(
        "Returns", max_length=20, choices=Reporting.choices, default=Reporting.QUARTERLY
    )
    report_due_days = models.PositiveSmallIntegerField(
        "Days after the award ends that the end-of-project report is due",
        default=30,
        validators=[MaxValueValidator(180)],
        help_text="Only for a tier with one end-of-project report",
    )
    visits_per_year = models.PositiveSmallIntegerField(
        "Visits a year (at least)",
        default=0,
        validators=[MaxValueValidator(4)],
        help_text="0: the office may visit, but none is due",
    )
    annual_review = models.BooleanField("An annual review", default=False)
    # The tier of an award whose stream has no band for its value.
    is_default = models.BooleanField("Used when no band applies", default=False)
    position = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=models.Q(is_default=True), name="one_default_monitoring_tier"
            ),
            models.CheckConstraint(
                condition=models.Q(visits_per_year__lte=4), name="tier_visits_per_year_range"
            ),
            models.CheckConstraint(
                condition=models.Q(report_due_days__lte=180), name="tier_report_due_days_range"
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.is_default:
            others = MonitoringTier.objects.filter(is_default=True).exclude(pk=self.pk)
            if others.exists():
                raise ValidationError(
                    {
                        "is_default": f"{others.first().name} is already the tier used when no band "
                        f"applies: untick it there first"
                    }
                )

    @property
    def asks_quarterly_returns(self) -> bool:
        return self.reporting == Reporting.QUARTERLY

    @property
    def asks_end_of_project_report(self) -> bool:
        return self.reporting == Reporting.END_OF_PROJECT

    @property
    def needs_visits(self) -> bool:
        return self.visits_per_year > 0

    def what_it_asks(self) -> list[str]:
        """What the tier asks, as short phrases for pages (the letter has its own sentence: services.tiers)."""
        asks = [
            self.get_reporting_display()
            + (
                f", due {self.report_due_days} days after the award ends"
                if self.asks_end_of_project_report
                else ""
            )
        ]
        if self.visits_per_year == 1:
            asks.append("At least one visit a year")
        elif self.visits_per_year > 1:
            asks.append(f"At least {self.visits_per_year} visits a year")
        if self.annual_review:
            asks.append("An annual review")
        return asks

    @property
    def summary(self) -> str:
        """What it asks in one sentence: "An outcome return each quarter, at least one visit a year and an annual
        review"."""
        asks = self.what_it_asks()
        asks = [asks[0]] + [a[0].lower() + a[1:] for a in asks[1:]]
        return asks[0] if len(asks) == 1 else f"{', '.join(asks[:-1])} and {asks[-1]}"


class TierBand(models.Model):
    """From this value up, in this stream, awards get this tier, until the stream's next band begins.

    Only the lower limit is stored: a band ends where the next one in its stream starts, so a stream's bands can
    neither overlap nor leave a gap, and the head can edit them one at a time without passing through a state that
    is wrong. The lowest band of each stream starts at £0."""

    stream = models.CharField(max_length=20, choices=Stream.choices)
    from_amount = models.DecimalField(
        "From (total value of the award, inclusive)", **MONEY, validators=[MinValueValidator(Decimal("0"))]
    )
    tier = models.ForeignKey(MonitoringTier, on_delete=models.PROTECT, related_name="bands")
    history = HistoricalRecords()

    class Meta:
        ordering = ["stream", "from_amount"]
        constraints = [
            models.UniqueConstraint(
                fields=["stream", "from_amount"], name="one_tier_band_per_stream_and_value"
            ),
            models.CheckConstraint(
                condition=models.Q(from_amount__gte=0), name="tier_band_from_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.get_stream_display()} from {gbp(self.from_amount)}: {self.tier}"

    def clean(self):
        if self.from_amount is None or not self.stream:
            return
        same_stream = TierBand.objects.filter(stream=self.stream).exclude(pk=self.pk)
        if self.from_amount < 0:
            raise ValidationError({"from_amount": "The value a band starts from cannot be negative"})
        if same_stream.filter(from_amount=self.from_amount).exists():
            raise ValidationError(
                {
                    "from_amount": f"{self.get_stream_display()} already has a band from "
                    f"{gbp(self.from_amount)}: change that band's tier instead"
                }
            )
        if self.from_amount > 0 and not same_stream.filter(from_amount=0).exists():
            raise ValidationError(
                {
                    "from_amount": f"Each stream's bands start at £0: add the "
                    f"{self.get_stream_display()} band from £0 first"
                }
            )

    def up_to(self) -> Decimal | None:
        """Where the band ends (exclusive): the next band's start in the stream, or None for no upper limit."""
        return (
            TierBand.objects.filter(stream=self.stream, from_amount__gt=self.from_amount)
            .order_by("from_amount")
            .values_list("from_amount", flat=True)
            .first()
        )

    def describe(self, up_to: Decimal | None) -> str:
        start = gbp(self.from_amount, pence_if_any=True)
        if up_to is None:
            return f"{self.get_stream_display()}, {start} or more"
        return f"{self.get_stream_display()}, {start} to under {gbp(up_to, pence_if_any=True)}"


class AwardMonitoring(models.Model):
    """One award's monitoring: its tier, how it was chosen, and the next visit and annual review due."""

    award = models.OneToOneField("funding.Award", on_delete=models.CASCADE, related_name="monitoring")
    tier = models.ForeignKey(MonitoringTier, on_delete=models.PROTECT, related_name="awards")
    # The band that chose the tier, and how it read then (a later edit of the bands never rewrites why).
    band = models.ForeignKey(TierBand, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    chosen_because = models.CharField(max_length=200)
    overridden = models.BooleanField(default=False)
    override_reason = models.TextField(blank=True)
    overridden_by = models.ForeignKey(
        "opcc.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    overridden_at = models.DateTimeField(null=True, blank=True)
    # Kept by services.tiers from the tier, the award's dates and the visits and reviews recorded, so the lists of
    # what is due read an index rather than working it out award by award.
    visit_due = models.DateField(null=True, blank=True)
    review_due = models.DateField(null=True, blank=True)
    assigned_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "award's monitoring tier"
        indexes = [
            models.Index(
                fields=["visit_due"], name="award_visit_due_idx", condition=models.Q(visit_due__isnull=False)
            ),
            models.Index(
                fields=["review_due"],
                name="award_review_due_idx",
                condition=models.Q(review_due__isnull=False),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(overridden=False) | ~models.Q(override_reason=""),
                name="tier_override_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.award_id}: {self.tier}"


class AnnualReview(models.Model):
    """An officer's yearly review of an award at a tier that asks for one: how it is going and what happens next."""

    award = models.ForeignKey("funding.Award", on_delete=models.CASCADE, related_name="annual_reviews")
    reviewed_on = models.DateField("Date of the review")
    findings = models.TextField("What the review found")
    actions = models.TextField("Actions agreed", blank=True)
    recorded_by = models.ForeignKey(
        "opcc.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-reviewed_on", "-id"]

    def __str__(self):
        return f"Annual review of {self.award_id} on {self.reviewed_on}"
