"""What every part of commissioning shares: money fields, procurement routes and bands, the rules staff edit."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from funding.models import MONEY, DecisionKind, DelegationLevel
from opcc.money import ZERO

PERCENT = [MinValueValidator(0), MaxValueValidator(100)]


def money(label, **kwargs):
    return models.DecimalField(label, validators=[MinValueValidator(ZERO)], **MONEY, **kwargs)


class Route(models.TextChoices):
    ONE_QUOTE = "one_quote", "One written quote"
    THREE_QUOTES = "three_quotes", "Three written quotes"
    TENDER = "tender", "Competitive tender (below-threshold notice)"
    REGULATED = "regulated", "Regulated procurement (competitive tender, market engagement expected)"
    SINGLE_TENDER = "single_tender", "Single tender agreement"


# The weight of a route: nobody may take a lighter one than the value requires (except a single tender agreement).
ROUTE_WEIGHT = {Route.ONE_QUOTE: 1, Route.THREE_QUOTES: 2, Route.TENDER: 3, Route.REGULATED: 4}
QUOTE_ROUTES = {Route.ONE_QUOTE: 1, Route.THREE_QUOTES: 3}
TENDER_ROUTES = {Route.TENDER, Route.REGULATED}


class ProcurementBand(models.Model):
    """A Financial Regulations band: from this estimated total value (VAT included) upwards, this route."""

    route = models.CharField(
        max_length=20, choices=[c for c in Route.choices if c[0] != Route.SINGLE_TENDER], unique=True
    )
    lower_bound = money("From (estimated total value, including VAT)")
    # Light-touch services (e.g. victim support) reach the regulated regime at a higher value.
    light_touch_lower_bound = money("From, for light-touch social services", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["lower_bound"]

    def __str__(self):
        return f"{self.get_route_display()} from £{self.lower_bound:,.2f}"


class CommissioningRules(models.Model):
    """The office's numbers for commissioning: sign-off, reminders and scoring. One row. Who may decide how much
    is funding.DelegationLevel, shared with grants."""

    sta_pcc_threshold = money(
        "Single tender agreements need the PCC's sign-off above", default=Decimal("100000")
    )
    expiry_reminder_months = models.PositiveSmallIntegerField(
        "Remind the officer this many months before a contract ends", default=6
    )
    notice_reminder_months = models.PositiveSmallIntegerField(
        "Remind the officer this many months before the last date to give notice", default=2
    )
    notice_reminder_days = models.PositiveSmallIntegerField(
        "Remind the lead officer this many days before a Procurement Act notice is due",
        default=7,
        validators=[MaxValueValidator(90)],
    )
    score_scale_max = models.PositiveSmallIntegerField(
        "Highest score an evaluator can give a criterion",
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    envelope_margin_percent = models.PositiveSmallIntegerField(
        "A tender's funding envelope may exceed the estimated total value by this much (%) without a reason",
        default=10,
        validators=[MaxValueValidator(100)],
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "commissioning rules"
        verbose_name_plural = "commissioning rules"
        constraints = [
            models.CheckConstraint(
                condition=Q(score_scale_max__gte=1, score_scale_max__lte=100),
                name="score_scale_from_1_to_100",
                violation_error_message="The highest score must be between 1 and 100",
            ),
            models.CheckConstraint(
                condition=Q(notice_reminder_days__lte=90),
                name="notice_reminder_days_at_most_90",
                violation_error_message="Remind the officer about a notice at most 90 days before it is due",
            ),
            models.CheckConstraint(
                condition=Q(envelope_margin_percent__lte=100),
                name="envelope_margin_at_most_100",
                violation_error_message="The envelope margin cannot be more than 100%",
            ),
        ]

    def __str__(self):
        return "Commissioning rules"

    @classmethod
    def current(cls) -> "CommissioningRules":
        return cls.objects.order_by("pk").first() or cls.objects.create()

    def contract_levels(self):
        """Who may decide a contract award of how much (funding.DelegationLevel), lowest first."""

        return DelegationLevel.objects.filter(decides=DecisionKind.CONTRACT)
