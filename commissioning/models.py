"""Commissioning: the Understand/Plan/Do/Review cycle of a commissioned service.

A Commission runs in cycles. Understand and Plan evidence lives on the commission (re-commissioning
revisits it); everything done in Do belongs to that cycle's Procurement: the route, quotes, the tender
and its evaluation, a single tender agreement, the award decision and the contract. The contract
creates its `funding.Award`, and Review is about that contract.
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django_fsm import FSMField, FSMModelMixin, transition
from simple_history.models import HistoricalRecords

from funding.models import MONEY, DecisionKind, DelegationLevel, Stream
from opcc.calendar import add_months
from opcc.models import Role
from opcc.money import ZERO

PERCENT = [MinValueValidator(0), MaxValueValidator(100)]


def money(label, **kwargs):
    return models.DecimalField(label, validators=[MinValueValidator(ZERO)], **MONEY, **kwargs)


# ---- Data staff edit -------------------------------------------------------------------------


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


# ---- The commission --------------------------------------------------------------------------


class Coverage(models.TextChoices):
    WEST_MERCIA = "west_mercia", "West Mercia wide"
    PILOT = "pilot", "A pilot (proof of concept)"


class Gate:
    """A transition's condition: the named function in commissioning/gates.py finds nothing missing.

    The same function draws the stage's task list and tells the person what blocks the step, so the page and
    the rule cannot disagree. Named rather than imported because gates.py reads these models.
    """

    def __init__(self, name: str):
        self.name = name

    def gaps(self, commission) -> list[str]:
        from commissioning import gates  # noqa: PLC0415 - gates.py reads these models

        return getattr(gates, self.name)(commission)

    def __call__(self, commission) -> bool:
        return not self.gaps(commission)


class Commission(FSMModelMixin, models.Model):
    class Status(models.TextChoices):
        UNDERSTAND = "understand", "Understand"
        PLAN = "plan", "Plan"
        DO = "do", "Do"
        REVIEW = "review", "Review"
        DECOMMISSIONED = "decommissioned", "Decommissioned"
        CLOSED = "closed", "Closed"
        WITHDRAWN = "withdrawn", "Withdrawn"

    OPEN = [Status.UNDERSTAND, Status.PLAN, Status.DO, Status.REVIEW]

    reference = models.CharField(max_length=12, unique=True)
    title = models.CharField("Service", max_length=200)
    summary = models.TextField("What the service is for")
    stream = models.CharField("Funding stream", max_length=20, choices=Stream.choices)
    areas = models.ManyToManyField(
        "opcc.LocalPolicingArea",
        blank=True,
        related_name="commissions",
        verbose_name="Local policing areas served",
    )
    objectives = models.ManyToManyField(
        "opcc.Objective",
        blank=True,
        related_name="commissions",
        verbose_name="Police and Crime Plan objectives",
    )
    officer = models.ForeignKey(
        "opcc.User", on_delete=models.PROTECT, related_name="commissions", verbose_name="Lead officer"
    )
    status = FSMField(default=Status.UNDERSTAND, choices=Status.choices, protected=True)
    cycle = models.PositiveSmallIntegerField(default=1)
    # Understand
    engagement_evidence = models.TextField(
        "Engagement with the public, service users and partners", blank=True
    )
    outcomes_sought = models.TextField("Outcomes sought", blank=True)
    existing_provision = models.TextField("Existing provision and whether this duplicates it", blank=True)
    partners_direction = models.TextField("Partners' strategic direction", blank=True)
    co_dependencies = models.TextField("Co-dependencies and referral pathways", blank=True)
    pooled_budget = models.TextField("Could a pooled budget serve?", blank=True)
    # Plan
    coverage = models.CharField("Coverage", max_length=20, choices=Coverage.choices, blank=True)
    pilot_reason = models.TextField("Why a pilot", blank=True)
    co_commissioning = models.TextField(
        "Co-commissioning",
        blank=True,
        help_text="Who else commissions this with the office, or why nobody does",
    )
    co_design = models.TextField("Co-design and engagement with service users", blank=True)
    pin_where = models.CharField(
        "Where the Provider Information Notice was published", max_length=200, blank=True
    )
    pin_published_on = models.DateField("Date published", null=True, blank=True)
    pin_reference = models.CharField("Notice reference", max_length=60, blank=True)
    estimated_annual_value = money("Estimated annual value", null=True, blank=True)
    estimated_total_value = money("Estimated total value, including any extensions", null=True, blank=True)
    light_touch = models.BooleanField("A light-touch social service (such as victim support)", default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        permissions = [("transition_commission", "Move a commission through its cycle")]

    def __str__(self):
        return f"{self.reference} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    # Each step's `custom`: its label on pages and buttons, the banner once done ({reference} and {cycle} filled
    # in), and whether its page warns before it (it cannot be undone).
    @transition(
        field=status,
        source=Status.UNDERSTAND,
        target=Status.PLAN,
        conditions=[Gate("understand_gaps")],
        permission="commissioning.transition_commission",
        custom={"label": "Move to Plan", "done": "{reference} has moved to Plan."},
    )
    def start_planning(self):
        """The evidence base is established: plan the service."""

    @transition(
        field=status,
        source=Status.PLAN,
        target=Status.DO,
        conditions=[Gate("plan_gaps")],
        permission="commissioning.transition_commission",
        custom={"label": "Move to Do", "done": "{reference} has moved to Do."},
    )
    def start_procurement(self):
        """The plan is agreed and the market told: procure the service."""

    @transition(
        field=status,
        source=Status.DO,
        target=Status.REVIEW,
        conditions=[Gate("do_gaps")],
        permission="commissioning.transition_commission",
        custom={"label": "Move to Review", "done": "{reference} has moved to Review."},
    )
    def start_review(self):
        """The contract is signed: manage and review it."""

    @transition(
        field=status,
        source=Status.REVIEW,
        target=Status.UNDERSTAND,
        conditions=[Gate("recommission_gaps")],
        permission="commissioning.transition_commission",
        custom={
            "label": "Re-commission",
            "done": "{reference} is being re-commissioned: cycle {cycle} has started in Understand.",
        },
    )
    def recommission(self):
        """Start the cycle again: the next procurement is a new cycle."""
        self.cycle += 1

    @transition(
        field=status,
        source=Status.REVIEW,
        target=Status.DECOMMISSIONED,
        conditions=[Gate("decommission_gaps")],
        permission="commissioning.transition_commission",
        custom={
            "label": "De-commission",
            "done": "{reference} has been de-commissioned and its contract's award ended.",
            "warning": True,
        },
    )
    def decommission(self):
        """The service ends under a plan agreed with the provider."""

    @transition(
        field=status,
        source=Status.REVIEW,
        target=Status.CLOSED,
        conditions=[Gate("close_gaps")],
        permission="commissioning.transition_commission",
        custom={"label": "Close", "done": "{reference} has been closed."},
    )
    def close(self):
        """The contract has ended and is not being re-commissioned."""

    @transition(
        field=status,
        source=OPEN,
        target=Status.WITHDRAWN,
        conditions=[Gate("withdraw_gaps")],
        permission="commissioning.transition_commission",
        # Offered from the commission's page at any stage, not as a stage's next step.
        custom={
            "label": "Withdraw",
            "done": "{reference} has been withdrawn.",
            "warning": True,
            "stage_step": False,
        },
    )
    def withdraw(self):
        """The office stops this commission."""


# How staff write "per cent" in a measure's unit, and the few units whose singular is not the plural less "s".
PERCENT_WORDS = {"", "%", "percent", "per cent", "percentage", "percentages"}
SINGULAR = {"people": "person", "children": "child", "families": "family"}


class OutcomeMeasure(models.Model):
    """An outcome measure set in Plan: it becomes the outcome framework of the contract's award."""

    class Kind(models.TextChoices):
        COUNT = "count", "A count (output)"
        PERCENTAGE = "percentage", "A percentage (outcome)"
        STAR = "star", "An Outcomes Star reading"
        NARRATIVE = "narrative", "A narrative"

    commission = models.ForeignKey(Commission, on_delete=models.CASCADE, related_name="measures")
    name = models.CharField("Measure", max_length=200)
    kind = models.CharField("Kind of measure", max_length=12, choices=Kind.choices)
    quarterly_target = models.DecimalField(
        "Quarterly target",
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(ZERO)],
    )
    unit = models.CharField("Unit", max_length=40, blank=True, help_text="For example, referrals or people")
    star_name = models.CharField("Outcomes Star used", max_length=80, blank=True)
    help = models.CharField("Guidance for the provider", max_length=300, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quarterly_target__isnull=True) | Q(quarterly_target__gte=0),
                name="measure_target_not_negative",
                violation_error_message="The quarterly target cannot be negative",
            ),
            models.CheckConstraint(
                condition=~Q(kind="percentage")
                | Q(quarterly_target__isnull=True)
                | Q(quarterly_target__lte=100),
                name="percentage_target_at_most_100",
                violation_error_message="A percentage target must be 100 or less",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def target_text(self) -> str:
        """The quarterly target as pages show it: "45 referrals", "90%", "1 point"; empty when there is none.

        A percentage carries its own sign, so a unit of "%" (as staff often type) is not repeated."""
        if self.quarterly_target is None:
            return ""
        number = f"{self.quarterly_target.normalize():f}"
        unit = self.unit.strip()
        if self.kind == self.Kind.PERCENTAGE:
            if unit.startswith("%"):
                return f"{number}{unit}"
            return f"{number}%" if unit.lower() in PERCENT_WORDS else f"{number}% of {unit}"
        if not unit:
            return number
        if self.quarterly_target == 1:
            unit = SINGULAR.get(unit, unit[:-1] if unit.endswith("s") and not unit.endswith("ss") else unit)
        return f"{number} {unit}"

    @property
    def target_per_quarter(self) -> str:
        """The target in a sentence's words: "90% each quarter", or what a narrative measure asks for."""
        if self.kind == self.Kind.NARRATIVE or self.quarterly_target is None:
            return "a narrative each quarter, with no numeric target"
        return f"{self.target_text} each quarter"

    def clean(self):
        # Every problem at once (the measures form lists them with its own).
        errors = {}
        if self.kind and self.kind != self.Kind.NARRATIVE and self.quarterly_target is None:
            errors["quarterly_target"] = "Enter the quarterly target"
        if (
            self.kind == self.Kind.PERCENTAGE
            and self.quarterly_target is not None
            and self.quarterly_target > 100
        ):
            errors["quarterly_target"] = "A percentage target must be 100 or less"
        if self.kind == self.Kind.STAR and not self.star_name:
            errors["star_name"] = "Enter which Outcomes Star is used"
        if errors:
            raise ValidationError(errors)


class CoCommissioningPartner(models.Model):
    commission = models.ForeignKey(Commission, on_delete=models.CASCADE, related_name="partners")
    organisation = models.ForeignKey("opcc.Organisation", on_delete=models.PROTECT, related_name="+")
    contribution = money("Contribution each year")
    notes = models.CharField("Notes", max_length=300, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["commission", "organisation"], name="unique_partner")]

    # ---- Do: one procurement per cycle -----------------------------------------------------------

    def __str__(self):
        return f"{self._meta.verbose_name} {self.pk}"


class Procurement(models.Model):
    commission = models.ForeignKey(Commission, on_delete=models.CASCADE, related_name="procurements")
    cycle = models.PositiveSmallIntegerField()
    route = models.CharField("Route", max_length=20, choices=Route.choices)
    required_route = models.CharField(max_length=20, choices=Route.choices)
    value = money("Estimated total value when the route was chosen")
    route_reason = models.TextField("Why this route", blank=True)
    chosen_quote = models.ForeignKey(
        "Quote", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    quote_choice_reason = models.TextField("Why this supplier", blank=True)
    chosen_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["commission", "cycle"], name="one_procurement_per_cycle")
        ]

    def __str__(self):
        return f"{self.commission.reference} cycle {self.cycle}: {self.get_route_display()}"

    @property
    def is_quotes(self):
        return self.route in QUOTE_ROUTES

    @property
    def is_tender(self):
        return self.route in TENDER_ROUTES

    @property
    def is_single_tender(self):
        return self.route == Route.SINGLE_TENDER

    @property
    def quotes_needed(self) -> int:
        return QUOTE_ROUTES.get(self.route, 0)


class Quote(models.Model):
    procurement = models.ForeignKey(Procurement, on_delete=models.CASCADE, related_name="quotes")
    organisation = models.ForeignKey(
        "opcc.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name="Supplier"
    )
    amount = money("Amount quoted")
    received_on = models.DateField("Date received")
    notes = models.CharField("Notes", max_length=300, blank=True)

    class Meta:
        ordering = ["amount", "id"]

    def __str__(self):
        return f"{self._meta.verbose_name} {self.pk}"


class Tender(models.Model):
    procurement = models.OneToOneField(Procurement, on_delete=models.CASCADE, related_name="tender")
    funding_envelope = money("Funding envelope")
    envelope_reason = models.TextField(
        "Why the envelope is above the estimated value",
        blank=True,
        help_text="Needed when the envelope exceeds the estimated total value by more "
        "than the office's margin (CommissioningRules.envelope_margin_percent)",
    )
    quality_weight = models.PositiveSmallIntegerField("Quality (%)", validators=PERCENT)
    price_weight = models.PositiveSmallIntegerField("Price (%)", validators=PERCENT)
    score_scale_max = models.PositiveSmallIntegerField(default=5)
    portal_reference = models.CharField("E-tendering portal reference", max_length=60)
    published_on = models.DateField("Published on")
    clarification_deadline = models.DateField("Clarification questions close", null=True, blank=True)
    closes_on = models.DateField("Bids close")
    market_engagement_on = models.DateField("Market engagement event", null=True, blank=True)
    market_engagement_notes = models.TextField("What the market engagement event found", blank=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(quality_weight__lte=100, price_weight__lte=100)
                & Q(quality_weight=100 - F("price_weight")),
                name="quality_and_price_add_up_to_100",
                violation_error_message="Quality and price must add up to 100%",
            ),
        ]

    def __str__(self):
        return f"Tender {self.portal_reference}"

    def clean(self):
        errors = {}
        if self.quality_weight is not None and self.price_weight is not None:
            if self.quality_weight + self.price_weight > 100:
                errors["quality_weight"] = "Quality and price together cannot be more than 100%"
            elif self.quality_weight + self.price_weight != 100:
                errors["quality_weight"] = "Quality and price must add up to 100%"
        if self.published_on and self.closes_on and self.closes_on <= self.published_on:
            errors["closes_on"] = "The closing date must be after the date the tender is published"
        if (
            self.clarification_deadline
            and self.published_on
            and self.closes_on
            and not (self.published_on <= self.clarification_deadline < self.closes_on)
        ):
            errors["clarification_deadline"] = (
                "Clarification questions must close between publication and the closing date"
            )
        if self.market_engagement_on and self.published_on and self.market_engagement_on > self.published_on:
            errors["market_engagement_on"] = (
                "The market engagement event must be before the tender is published"
            )
        if errors:
            raise ValidationError(errors)


class Criterion(models.Model):
    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField("Criterion", max_length=150)
    weight = models.PositiveSmallIntegerField(
        "Weight (%)", validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    guidance = models.CharField("What a good answer shows", max_length=300, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gte=1, weight__lte=100),
                name="criterion_weight_from_1_to_100",
                violation_error_message="A criterion's weight must be between 1% and 100%",
            ),
        ]

    def __str__(self):
        return self.name


# A bid received after the closing date is recorded as late and stays out of the evaluation until the panel
# accepts it, with its reason; a withdrawn bid stays on record, out of the evaluation.
IN_EVALUATION = Q(withdrawn_at__isnull=True) & (
    Q(received_on__lte=F("tender__closes_on")) | Q(late_decision="accepted")
)


class BidQuerySet(models.QuerySet):
    def in_evaluation(self):
        """The bids the panel declares on, scores, moderates and ranks."""
        return self.filter(IN_EVALUATION)


class Bid(models.Model):
    class LateDecision(models.TextChoices):
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="bids")
    organisation = models.ForeignKey(
        "opcc.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name="Bidder"
    )
    price = money("Total price")
    received_on = models.DateField("Received on")
    summary = models.TextField("Summary of the bid", blank=True)
    recorded_by = models.ForeignKey("opcc.User", null=True, on_delete=models.SET_NULL, related_name="+")
    # A late bid: the panel's decision, with its reason.
    late_decision = models.CharField(
        "The panel's decision on the late bid", max_length=10, blank=True, choices=LateDecision.choices
    )
    late_reason = models.TextField("Reason for the panel's decision", blank=True)
    late_decided_by = models.ForeignKey(
        "opcc.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    late_decided_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.TextField("Why the bid was withdrawn", blank=True)
    withdrawn_by = models.ForeignKey(
        "opcc.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = BidQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["tender", "organisation"], name="one_bid_per_bidder"),
            # A decision on a late bid always carries its reason.
            models.CheckConstraint(
                condition=Q(late_decision="") | ~Q(late_reason=""), name="late_decision_has_reason"
            ),
        ]

    def __str__(self):
        return f"Bid from {self.organisation}"

    @property
    def is_late(self) -> bool:
        return self.received_on > self.tender.closes_on

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def is_over_envelope(self) -> bool:
        return self.price > self.tender.funding_envelope

    @property
    def in_evaluation(self) -> bool:
        return not self.is_withdrawn and (
            not self.is_late or self.late_decision == self.LateDecision.ACCEPTED
        )

    @property
    def late_waiting(self) -> bool:
        return self.is_late and not self.is_withdrawn and not self.late_decision


class PanelMember(models.Model):
    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="panel")
    user = models.ForeignKey("opcc.User", on_delete=models.PROTECT, related_name="panel_places")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["tender", "user"], name="one_place_per_panel")]

    def __str__(self):
        return str(self.user)


class Declaration(models.Model):
    """A panel member's declaration about one bidder, made before that bid is visible to them."""

    member = models.ForeignKey(PanelMember, on_delete=models.CASCADE, related_name="declarations")
    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="declarations")
    conflict = models.BooleanField()
    details = models.TextField(blank=True)
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "bid"], name="one_declaration_per_bid")]

    def __str__(self):
        return f"{self._meta.verbose_name} {self.pk}"


class Score(models.Model):
    """One evaluator's score of one bid against one criterion."""

    member = models.ForeignKey(PanelMember, on_delete=models.CASCADE, related_name="scores")
    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    score = models.PositiveSmallIntegerField()
    comment = models.TextField()
    scored_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["member", "bid", "criterion"], name="commissioning_one_score_per_criterion"
            )
        ]

    def __str__(self):
        return f"{self._meta.verbose_name} {self.pk}"


class ModeratedScore(models.Model):
    """The panel's agreed score after moderation, with its rationale."""

    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="moderated")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="moderated")
    score = models.PositiveSmallIntegerField()
    rationale = models.TextField()
    by = models.ForeignKey("opcc.User", null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["bid", "criterion"], name="one_moderated_score")]

    def __str__(self):
        return f"{self._meta.verbose_name} {self.pk}"


class SingleTenderAgreement(models.Model):
    class Ground(models.TextChoices):
        TECHNICAL = "a", "(a) Only one supplier can do it, for technical reasons"
        CONTINUITY = "b", "(b) Continuity of supply with an existing supplier"

    procurement = models.OneToOneField(Procurement, on_delete=models.CASCADE, related_name="sta")
    organisation = models.ForeignKey(
        "opcc.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name="Supplier"
    )
    ground = models.CharField("Ground", max_length=1, choices=Ground.choices)
    justification = models.TextField("Justification")
    value = money("Value of the agreement")
    needs_pcc = models.BooleanField(default=False)
    head_signed_by = models.ForeignKey(
        "opcc.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    head_signed_at = models.DateTimeField(null=True, blank=True)
    pcc_signed_by = models.ForeignKey(
        "opcc.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    pcc_signed_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    def __str__(self):
        return f"{self._meta.verbose_name} {self.pk}"

    @property
    def is_signed_off(self) -> bool:
        return bool(self.head_signed_at and (self.pcc_signed_at or not self.needs_pcc))

    @property
    def next_signer(self) -> str | None:
        """The role whose sign-off the agreement waits for now: the head first, then (above the threshold) the PCC."""

        if not self.head_signed_at:
            return Role.HEAD_OF_COMMISSIONING
        if self.needs_pcc and not self.pcc_signed_at:
            return Role.PCC
        return None

    @property
    def sign_off_status(self) -> str:
        """Who has signed off, and who is next, in words."""
        signed = []
        if self.head_signed_at:
            who = f" ({self.head_signed_by.full_name})" if self.head_signed_by else ""
            signed.append(
                f"the head of commissioning{who} on {timezone.localtime(self.head_signed_at):%-d %B %Y}"
            )
        if self.pcc_signed_at:
            who = f" ({self.pcc_signed_by.full_name})" if self.pcc_signed_by else ""
            signed.append(f"the PCC{who} on {timezone.localtime(self.pcc_signed_at):%-d %B %Y}")
        done = f"Signed off by {' and by '.join(signed)}" if signed else ""
        if not self.head_signed_at:
            waiting = "Waiting for the head of commissioning to sign off" + (
                ", then the PCC" if self.needs_pcc else ""
            )
        elif self.needs_pcc and not self.pcc_signed_at:
            waiting = "waiting for the PCC to sign off"
        else:
            return done
        return f"{done}; {waiting}" if done else waiting


class AwardDecision(models.Model):
    procurement = models.OneToOneField(Procurement, on_delete=models.CASCADE, related_name="decision")
    organisation = models.ForeignKey(
        "opcc.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name="Provider"
    )
    value = money("Total value awarded")
    # The role whose delegation level the value needed (funding.DelegationLevel, contract awards).
    level = models.CharField(max_length=32)
    rationale = models.TextField("Reasons for the decision")
    decision_record = models.CharField("PCC decision record reference", max_length=60, blank=True)
    decided_by = models.ForeignKey("opcc.User", on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField()
    history = HistoricalRecords()

    # ---- Contracts -------------------------------------------------------------------------------

    def __str__(self):
        return f"{self._meta.verbose_name} {self.pk}"

    @property
    def level_label(self) -> str:

        level = DelegationLevel.for_role(DecisionKind.CONTRACT, self.level)
        return level.label if level else self.level


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
