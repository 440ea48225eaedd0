"""Outcome monitoring: what each award reports (its framework of measures), the quarterly returns,
how they are chased, and grant visits.

Measures are data, not code, because the Ministry of Justice's return changes. Outcomes Star readings
hold only the star's name, the area and the score a provider reports: never the star's licensed
scales or wording.
"""

from datetime import date
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django_fsm import FSMField, FSMModelMixin, transition
from simple_history.models import HistoricalRecords

from funding.models import MONEY, Stream
from opcc.calendar import Quarter


class MeasureKind(models.TextChoices):
    COUNT = "count", "Count"
    PERCENTAGE = "percentage", "Percentage"
    STAR = "star", "Outcomes Star reading"
    NARRATIVE = "narrative", "Narrative question"


class RAG(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"


class MonitoringSettings(models.Model):
    """The office's monitoring rules, as data (one row): when returns are due and how RAG is judged."""

    due_days_after_quarter_end = models.PositiveSmallIntegerField(
        "Days after the quarter ends that a return is due", default=30, validators=[MaxValueValidator(120)]
    )
    green_at_percent = models.DecimalField(
        "Green at or above (% of target)", max_digits=5, decimal_places=1, default=Decimal("100")
    )
    amber_at_percent = models.DecimalField(
        "Amber at or above (% of target)", max_digits=5, decimal_places=1, default=Decimal("80")
    )
    persistent_red_quarters = models.PositiveSmallIntegerField(
        "Consecutive red quarters that flag an award", default=2, validators=[MinValueValidator(1)]
    )
    digest_weekday = models.PositiveSmallIntegerField(
        "Weekday of the overdue digest (0 Monday to 6 Sunday)", default=0, validators=[MaxValueValidator(6)]
    )
    visit_reminder_days = models.PositiveSmallIntegerField(
        "Days before a visit to remind the officer", default=7
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "monitoring settings"
        verbose_name_plural = "monitoring settings"

    def __str__(self):
        return "Monitoring settings"

    @classmethod
    def current(cls) -> "MonitoringSettings":
        obj = cls.objects.filter(pk=1).first()
        return obj if obj is not None else cls(pk=1)


class MeasureFields(models.Model):
    """What a measure is: shared by template measures and an award's own measures."""

    section = models.CharField(
        max_length=60, blank=True, help_text="A heading on the form, e.g. 'Referrals by crime type'"
    )
    name = models.CharField(max_length=200, help_text="For a star reading: the area of the star")
    kind = models.CharField(max_length=12, choices=MeasureKind.choices)
    quarterly_target = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    unit = models.CharField(max_length=40, blank=True, help_text="e.g. people, referrals, sessions")
    star_name = models.CharField(
        max_length=100, blank=True, help_text="Only the star's name, e.g. 'Outcomes Star'"
    )
    star_min = models.PositiveSmallIntegerField(default=1)
    star_max = models.PositiveSmallIntegerField(default=10)
    help = models.CharField(max_length=300, blank=True)
    required = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)
    # A breakdown: the name of the count this measure is one part of (e.g. a crime type's referrals are part of
    # "Referrals received"); the parts together cannot be more than it.
    part_of = models.CharField(
        max_length=200,
        blank=True,
        help_text="The count this is one part of, e.g. 'Referrals received': the parts "
        "together cannot be more than it",
    )
    # A percentage answered as the two numbers behind it (a rate), so it adds up across services.
    denominator_question = models.CharField(
        max_length=200,
        blank=True,
        help_text="For a percentage answered as two numbers: e.g. 'How many service users left the service this quarter'",
    )
    numerator_question = models.CharField(
        max_length=200,
        blank=True,
        help_text="e.g. 'How many of them said they are better able to cope and recover'",
    )
    # The shared outcome this adds to, or local-only: what the office sums across awards.
    indicator = models.ForeignKey(
        "reporting.OutcomeIndicator",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="%(class)ss",
        verbose_name="Outcome indicator",
    )
    local_only = models.BooleanField(default=False, help_text="Reported for this service only, not added up")

    class Meta:
        abstract = True
        ordering = ["position", "id"]

    def __str__(self):
        return f"{self.star_name}: {self.name}" if self.kind == MeasureKind.STAR else self.name

    @property
    def is_rate(self) -> bool:
        return self.kind == MeasureKind.PERCENTAGE and bool(
            self.denominator_question and self.numerator_question
        )

    @property
    def has_target(self) -> bool:
        return (
            self.kind != MeasureKind.NARRATIVE
            and self.quarterly_target is not None
            and self.quarterly_target > 0
        )

    def as_dict(self) -> dict:
        return {
            "section": self.section,
            "name": self.name,
            "kind": self.kind,
            "quarterly_target": self.quarterly_target,
            "unit": self.unit,
            "star_name": self.star_name,
            "star_min": self.star_min,
            "star_max": self.star_max,
            "help": self.help,
            "required": self.required,
            "part_of": self.part_of,
            "denominator_question": self.denominator_question,
            "numerator_question": self.numerator_question,
            "indicator_id": self.indicator_id,
            "local_only": self.local_only,
        }


class FrameworkTemplate(models.Model):
    """A set of measures the office asks for: the default for a stream, or for one scheme (pot)."""

    key = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=150)
    description = models.TextField(blank=True)
    stream = models.CharField(max_length=20, choices=Stream.choices, blank=True)
    # A scheme's own template (e.g. "lpcaf-road-safety") wins over its stream's default.
    pot_key = models.SlugField(max_length=60, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class TemplateMeasure(MeasureFields):
    template = models.ForeignKey(FrameworkTemplate, on_delete=models.CASCADE, related_name="measures")

    class Meta(MeasureFields.Meta):
        pass


class OutcomeFramework(models.Model):
    """An award's own copy of its measures, taken when it became active (so a later template change
    never rewrites what a provider has already reported against)."""

    award = models.OneToOneField("funding.Award", on_delete=models.CASCADE, related_name="outcome_framework")
    # Where the measures came from: "commissioning", "grants" or "template".
    source = models.CharField(max_length=20)
    template = models.ForeignKey(
        FrameworkTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="frameworks"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"Outcome framework for {self.award_id}"


class Measure(MeasureFields):
    framework = models.ForeignKey(OutcomeFramework, on_delete=models.CASCADE, related_name="measures")
    history = HistoricalRecords()

    class Meta(MeasureFields.Meta):
        pass


class ReturnStatus(models.TextChoices):
    NOT_YET_DUE = "not_yet_due", "Not yet due"
    OPEN = "open", "Open"
    SUBMITTED = "submitted", "Submitted"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    ACCEPTED = "accepted", "Accepted"


class ReturnKind(models.TextChoices):
    QUARTERLY = "quarterly", "Quarterly return"
    # A light-tier award's one report, kept as its return for the quarter it ends in, so that it is chased, reviewed
    # and added up like any other return.
    END_OF_PROJECT = "end_of_project", "End-of-project report"


class QuarterlyReturnQuerySet(models.QuerySet):
    def awaiting_provider(self):
        return self.filter(status__in=QuarterlyReturn.WITH_PROVIDER)

    def overdue(self, today: date):
        # Overdue is derived from the date, never a state someone sets.
        return self.filter(status__in=QuarterlyReturn.NOT_SENT, due_date__lt=today)

    def not_overdue(self, today: date):
        return self.exclude(status__in=QuarterlyReturn.NOT_SENT, due_date__lt=today)

    def to_review(self):
        return self.filter(status=ReturnStatus.SUBMITTED)

    def for_provider(self, user):
        return self.filter(award__organisation__memberships__user=user)


class QuarterlyReturn(FSMModelMixin, models.Model):
    """One award's outcome return for one quarter: activity, outputs, outcomes, feedback, spend."""

    Status = ReturnStatus
    Kind = ReturnKind
    # Not yet with the office: these are chased, and overdue once past the due date.
    NOT_SENT = (ReturnStatus.NOT_YET_DUE, ReturnStatus.OPEN)
    # The provider may edit and submit.
    WITH_PROVIDER = (ReturnStatus.OPEN, ReturnStatus.CHANGES_REQUESTED)

    award = models.ForeignKey("funding.Award", on_delete=models.CASCADE, related_name="quarterly_returns")
    quarter_start_year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(4)])
    period_end = models.DateField()
    due_date = models.DateField()
    status = FSMField(default=ReturnStatus.NOT_YET_DUE, choices=ReturnStatus.choices, protected=True)
    kind = models.CharField(max_length=20, choices=ReturnKind.choices, default=ReturnKind.QUARTERLY)

    activity = models.TextField("What you did this quarter", blank=True)
    case_studies = models.TextField("Anonymised case studies", blank=True)
    service_user_feedback = models.TextField("Service user feedback", blank=True)
    spend_to_date = models.DecimalField(
        "Spend to date", **MONEY, null=True, blank=True, validators=[MinValueValidator(Decimal("0"))]
    )
    declaration_name = models.CharField(max_length=150, blank=True)
    last_saved_at = models.DateTimeField(null=True, blank=True)
    last_saved_by = models.ForeignKey(
        "opcc.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        "opcc.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        "opcc.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_comments = models.TextField(blank=True)
    # The award's RAG for this quarter, fixed when the return is accepted.
    rag = models.CharField(max_length=5, choices=RAG.choices, blank=True)

    objects = QuarterlyReturnQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["last_saved_at"])

    class Meta:
        ordering = ["-quarter_start_year", "-quarter", "award_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["award", "quarter_start_year", "quarter"], name="one_return_per_award_quarter"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_date"]),
            # The officers' returns list pages through every return in due-date order.
            models.Index(fields=["due_date"], name="return_due_date_idx"),
            # The returns list's quarter filter reads the first and the last quarter with a return.
            models.Index(fields=["quarter_start_year", "quarter"], name="return_quarter_idx"),
            # The overdue returns, longest overdue first, without passing every return already sent.
            models.Index(
                fields=["due_date"],
                name="return_not_sent_due_idx",
                condition=models.Q(status__in=[ReturnStatus.NOT_YET_DUE, ReturnStatus.OPEN]),
            ),
            # The daily sweep's look at end-of-project reports (few) among all the returns (many).
            models.Index(
                fields=["status"],
                name="return_end_of_project_idx",
                condition=models.Q(kind=ReturnKind.END_OF_PROJECT),
            ),
        ]

    def __str__(self):
        return f"{self.award_id} {self.quarter_obj.short_label}"

    @property
    def quarter_obj(self) -> Quarter:
        return Quarter(self.quarter_start_year, self.quarter)

    @property
    def is_end_of_project(self) -> bool:
        return self.kind == ReturnKind.END_OF_PROJECT

    @property
    def label(self) -> str:
        return "End-of-project report" if self.is_end_of_project else self.quarter_obj.label

    @property
    def short_label(self) -> str:
        return "End of project" if self.is_end_of_project else self.quarter_obj.short_label

    @property
    def title(self) -> str:
        """What the return is called at the top of its page: "Outcome return Q2 2026/27 (July to September)"."""
        return (
            "End-of-project report" if self.is_end_of_project else f"Outcome return {self.quarter_obj.label}"
        )

    def is_overdue(self, today: date) -> bool:
        return self.status in self.NOT_SENT and self.due_date < today

    def days_overdue(self, today: date) -> int:
        return (today - self.due_date).days if self.is_overdue(today) else 0

    @property
    def is_editable(self) -> bool:
        return self.status in self.WITH_PROVIDER

    @transition(
        field=status,
        source=ReturnStatus.NOT_YET_DUE,
        target=ReturnStatus.OPEN,
        custom={"label": "Open for the provider"},
    )
    def open(self):
        """The quarter has ended: the provider can complete the return."""

    @transition(
        field=status,
        source=[ReturnStatus.OPEN, ReturnStatus.CHANGES_REQUESTED],
        target=ReturnStatus.SUBMITTED,
        permission="reporting.submit_return",
        custom={"label": "Submit"},
    )
    def submit(self):
        """The provider declares the return complete and accurate and sends it to the office."""

    @transition(
        field=status,
        source=ReturnStatus.SUBMITTED,
        target=ReturnStatus.ACCEPTED,
        permission="reporting.review_return",
        custom={"label": "Accept"},
    )
    def accept(self):
        """The officer accepts the return: that quarter's payment in arrears becomes payable."""

    @transition(
        field=status,
        source=ReturnStatus.SUBMITTED,
        target=ReturnStatus.CHANGES_REQUESTED,
        permission="reporting.review_return",
        custom={"label": "Request changes"},
    )
    def request_changes(self):
        """The officer sends the return back with comments."""


class ReturnAnswer(models.Model):
    """What the provider reported for one measure: a number (count, percentage, star score) or text. A rate
    keeps the two numbers behind its percentage (value is then the percentage they make)."""

    quarterly_return = models.ForeignKey(QuarterlyReturn, on_delete=models.CASCADE, related_name="answers")
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="answers")
    value = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    text = models.TextField(blank=True)
    numerator = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    denominator = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["quarterly_return", "measure"], name="one_answer_per_measure"),
            models.CheckConstraint(
                condition=models.Q(numerator__isnull=True)
                | models.Q(denominator__isnull=True)
                | models.Q(numerator__gte=0, numerator__lte=models.F("denominator")),
                name="answer_numerator_within_denominator",
            ),
        ]

    def __str__(self):
        return f"{self.measure_id}: {self.value if self.value is not None else self.text[:30]}"


class ChaseStep(models.Model):
    """One step of the chasing schedule: days relative to the due date (negative = before), and who is told."""

    class Audience(models.TextChoices):
        PROVIDER = "provider", "The provider"
        HEAD = "head", "The head of commissioning"

    key = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100)
    days_from_due = models.SmallIntegerField(
        help_text="Negative before the due date, 0 on it, positive after"
    )
    audience = models.CharField(max_length=10, choices=Audience.choices, default=Audience.PROVIDER)
    template_key = models.SlugField(max_length=80)
    active = models.BooleanField(default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["days_from_due"]

    def __str__(self):
        return self.name


class ChaseEvent(models.Model):
    """A chasing message sent about a return: the chase history. One per (return, step), ever."""

    quarterly_return = models.ForeignKey(
        QuarterlyReturn, on_delete=models.CASCADE, related_name="chase_events"
    )
    step_key = models.CharField(max_length=40)
    description = models.CharField(max_length=150)
    recipients = models.TextField(blank=True)
    sent_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["quarterly_return", "step_key"], name="one_chase_per_step")
        ]

    def __str__(self):
        return f"{self.description} ({self.sent_on})"


class GrantVisit(models.Model):
    """A monitoring visit to a funded service: scheduled, then recorded."""

    award = models.ForeignKey("funding.Award", on_delete=models.CASCADE, related_name="visits")
    scheduled_for = models.DateField("Date of the visit")
    officer = models.ForeignKey(
        "opcc.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="Officer visiting",
    )
    purpose = models.CharField("Purpose", max_length=200, blank=True)
    visited_on = models.DateField("Date visited", null=True, blank=True)
    attendees = models.TextField("Who attended", blank=True)
    findings = models.TextField("Findings", blank=True)
    service_user_feedback = models.TextField("Service user feedback", blank=True)
    actions = models.TextField("Actions agreed", blank=True)
    recorded_by = models.ForeignKey(
        "opcc.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-scheduled_for", "-id"]
        indexes = [models.Index(fields=["visited_on", "scheduled_for"])]

    def __str__(self):
        return f"Visit to {self.award_id} on {self.scheduled_for}"

    @property
    def is_recorded(self) -> bool:
        return self.visited_on is not None
