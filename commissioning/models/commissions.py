"""The commission itself, its outcome measures and co-commissioning partners (Understand and Plan)."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django_fsm import FSMField, FSMModelMixin, transition
from simple_history.models import HistoricalRecords

from commissioning.models._common import money
from funding.models import Stream
from opcc.money import ZERO


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

    def __str__(self):
        return f"{self._meta.verbose_name} {self.pk}"
