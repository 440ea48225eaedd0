"""Grants: schemes and rounds per stream, applications and their lifecycle, assessment, area decisions,
offers and acceptance.

A grant is a contribution, not a contract. Every grant that is offered commits money through
`funding.services.awards.create_award`; the award becomes active when the provider accepts.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django_fsm import FSMField, FSMModelMixin, transition
from simple_history.models import HistoricalRecords

from funding.models import MONEY, ZERO, Stream


class SchemeKind(models.TextChoices):
    CGS = "cgs", "Commissioner's Grant Scheme"
    CSP = "csp", "Community Safety Partnership grants"
    LPCAF = "lpcaf", "Local Policing and Community Ambassador's Fund"
    LPCAF_ROAD_SAFETY = "lpcaf_road_safety", "LPCAF road safety"


AREA_DECIDED = {SchemeKind.LPCAF, SchemeKind.LPCAF_ROAD_SAFETY}


class Scheme(models.Model):
    """A grant scheme within one funding stream. Its outcome measures and standard conditions are data."""

    kind = models.CharField(max_length=20, choices=SchemeKind.choices, unique=True)
    stream = models.CharField(max_length=20, choices=Stream.choices)
    name = models.CharField(max_length=150)
    description = models.TextField(blank=True)
    # Conditions every grant from this scheme carries (one per line), e.g. quarterly updates.
    standard_conditions = models.TextField(blank=True)
    # Outcome measures reported quarterly: a list of {"name", "kind", "quarterly_target", "unit", "star_name", "help"}.
    measures = models.JSONField(default=list, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def decided_by_area(self) -> bool:
        return self.kind in AREA_DECIDED

    @property
    def is_csp(self) -> bool:
        return self.kind == SchemeKind.CSP

    def condition_lines(self) -> list[str]:
        return [line.strip() for line in self.standard_conditions.splitlines() if line.strip()]


class Round(models.Model):
    """A funding round of a scheme: open and close times (UK time), eligibility, maximum award, criteria."""

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="rounds")
    year = models.ForeignKey("funding.FinancialYear", on_delete=models.PROTECT, related_name="grant_rounds")
    name = models.CharField(max_length=150)
    summary = models.TextField("What the round funds")
    eligibility = models.TextField("Who can apply")
    priorities = models.TextField(
        "Priority areas",
        blank=True,
        help_text="From the needs assessment and the Safer West Mercia Plan, one per line",
    )
    opens_at = models.DateTimeField("Opens")
    closes_at = models.DateTimeField("Closes")
    max_award = models.DecimalField("Maximum award", **MONEY, validators=[MinValueValidator(Decimal("1"))])
    # The pot the awards come from. Empty for LPCAF (the bid's area's pot) and CSP grants (each CSP's pot).
    pot = models.ForeignKey(
        "funding.Pot", null=True, blank=True, on_delete=models.PROTECT, related_name="grant_rounds"
    )
    acceptance_days = models.PositiveSmallIntegerField(
        "Days to accept an offer", default=28, validators=[MinValueValidator(1), MaxValueValidator(120)]
    )
    # Told to applicants when they submit: what happens next, and when.
    decisions_by = models.DateField("Decisions expected by", null=True, blank=True)
    objectives = models.ManyToManyField(
        "opcc.Objective",
        blank=True,
        related_name="grant_rounds",
        verbose_name="Police and Crime Plan objectives",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-closes_at", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(acceptance_days__gte=1, acceptance_days__lte=120),
                name="acceptance_days_from_1_to_120",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            errors["closes_at"] = "The closing time must be after the opening time"
        if (
            self.decisions_by
            and self.closes_at
            and self.decisions_by <= timezone.localtime(self.closes_at).date()
        ):
            errors["decisions_by"] = "The date decisions are expected by must be after the closing date"
        if errors:
            raise ValidationError(errors)

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.opens_at <= now <= self.closes_at

    def has_closed(self, now=None) -> bool:
        return (now or timezone.now()) > self.closes_at

    @property
    def closes_label(self) -> str:
        return _uk(self.closes_at)

    @property
    def opens_label(self) -> str:
        return _uk(self.opens_at)

    def priority_lines(self) -> list[str]:
        return [line.strip() for line in self.priorities.splitlines() if line.strip()]

    def refusal_for(self, organisation) -> str:
        """Why this organisation may not apply to the round, or "" if it may (select_related its `csp`)."""
        if self.scheme.is_csp and not hasattr(organisation, "csp"):
            return "Only a community safety partnership can apply for a CSP grant."
        return ""


def _uk(moment) -> str:
    local = timezone.localtime(moment)
    return f"{local:%-I:%M%p} on {local:%-d %B %Y}".replace("AM", "am").replace("PM", "pm")


class CriterionKind(models.TextChoices):
    QUALITY = "quality", "Quality of outcomes"
    COST = "cost", "Cost"


class Criterion(models.Model):
    """A weighted assessment criterion. A round's weights add up to 100 and cover quality and cost."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(max_length=150)
    kind = models.CharField(max_length=10, choices=CriterionKind.choices)
    weight = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(100)])
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weight__gte=1, weight__lte=100),
                name="grant_criterion_weight_from_1_to_100",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.weight}%)"


def _can(perm):
    """A django-fsm permission that asks the rules for this object (so a provider acts only for its own)."""

    def check(instance, user) -> bool:
        return bool(user and user.has_perm(perm, instance))

    check.__name__ = f"can_{perm.split('.')[-1]}"
    return check


def _round_open(instance) -> bool:
    return instance.round.is_open()


def _assessed_by_office(instance) -> bool:
    from grants.gates import assessed_by_office  # noqa: PLC0415 - gates.py reads these models

    return assessed_by_office(instance)


class Application(FSMModelMixin, models.Model):
    """A provider's application (a bid) to a round."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        IN_ASSESSMENT = "in_assessment", "In assessment"
        MORE_INFORMATION = "more_information", "More information needed"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"
        OFFERED = "offered", "Offered"
        ACCEPTED = "accepted", "Accepted"
        LAPSED = "lapsed", "Offer lapsed"
        WITHDRAWN = "withdrawn", "Withdrawn"

    EDITABLE = (Status.DRAFT, Status.MORE_INFORMATION)

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="applications")
    organisation = models.ForeignKey(
        "opcc.Organisation", on_delete=models.PROTECT, related_name="grant_applications"
    )
    reference = models.CharField(max_length=20, unique=True)
    status = FSMField(default=Status.DRAFT, choices=Status.choices, protected=True)
    created_by = models.ForeignKey("opcc.User", null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # The project
    title = models.CharField("Project name", max_length=200, blank=True)
    summary = models.TextField("Summary of the project", blank=True)
    area = models.ForeignKey(
        "opcc.LocalPolicingArea",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="grant_applications",
        verbose_name="Local policing area",
    )
    start_date = models.DateField("Start date", null=True, blank=True)
    end_date = models.DateField("End date", null=True, blank=True)
    # Need and outcomes
    need = models.TextField("The need it meets", blank=True)
    outcomes = models.TextField("The outcomes it will achieve", blank=True)
    prevention = models.BooleanField("Prevention or early intervention", null=True, blank=True)
    # Money
    amount_requested = models.DecimalField("Amount requested", null=True, blank=True, **MONEY)
    budget = models.TextField("How the money will be spent", blank=True)
    match_funding_amount = models.DecimalField("Match funding", default=ZERO, **MONEY)
    match_funding_source = models.CharField("Source of match funding", max_length=200, blank=True)
    # Sections the applicant said are finished, beyond their required answers (e.g. attachments).
    sections_done = models.JSONField(default=list, blank=True)
    # Declaration
    declaration_name = models.CharField("Full name", max_length=150, blank=True)
    declaration_role = models.CharField("Role in the organisation", max_length=150, blank=True)
    declared_at = models.DateTimeField(null=True, blank=True)
    # The decision
    decided_amount = models.DecimalField("Amount approved", null=True, blank=True, **MONEY)
    decided_by = models.ForeignKey(
        "opcc.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    award = models.OneToOneField(
        "funding.Award", null=True, blank=True, on_delete=models.PROTECT, related_name="grant_application"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status"])]
        constraints = [
            # Starting again continues the draft already started (grants.services.applications.start_application).
            models.UniqueConstraint(
                fields=["round", "organisation"],
                condition=models.Q(status="draft"),
                name="one_draft_per_round_and_organisation",
            ),
        ]

    def __str__(self):
        return f"{self.reference}: {self.title or 'Untitled application'}"

    @property
    def display_title(self) -> str:
        return self.title or "Untitled application"

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    @property
    def amount(self) -> Decimal:
        return self.decided_amount if self.decided_amount is not None else (self.amount_requested or ZERO)

    # Transitions: each is checked by a rules permission on this object and run by apply_transition.

    @transition(
        field=status,
        source=Status.DRAFT,
        target=Status.SUBMITTED,
        conditions=[_round_open],
        permission=_can("grants.edit_application"),
        custom={"label": "Submit"},
    )
    def submit(self):
        """The provider submits before the round closes."""
        self.submitted_at = timezone.now()

    @transition(
        field=status,
        source=Status.MORE_INFORMATION,
        target=Status.SUBMITTED,
        permission=_can("grants.edit_application"),
        custom={"label": "Send the information"},
    )
    def resubmit(self):
        """The provider answers the office's request for more information."""
        self.submitted_at = timezone.now()

    @transition(
        field=status,
        source=Status.SUBMITTED,
        target=Status.IN_ASSESSMENT,
        conditions=[_assessed_by_office],
        permission=_can("grants.assess_application"),
        custom={"label": "Start the assessment"},
    )
    def start_assessment(self):
        """An officer starts the assessment."""

    @transition(
        field=status,
        source=[Status.SUBMITTED, Status.IN_ASSESSMENT],
        target=Status.MORE_INFORMATION,
        permission=_can("grants.assess_application"),
        custom={"label": "Ask for more information"},
    )
    def request_information(self):
        """The office asks the provider for more information; the application opens for changes."""

    @transition(
        field=status,
        source=[Status.SUBMITTED, Status.IN_ASSESSMENT],
        target=Status.APPROVED,
        permission=_can("grants.decide_application"),
        custom={"label": "Approve"},
    )
    def approve(self):
        """Approved by someone with the delegated authority (or, for LPCAF, both of the area's deciders)."""

    @transition(
        field=status,
        source=[Status.SUBMITTED, Status.IN_ASSESSMENT],
        target=Status.DECLINED,
        permission=_can("grants.decide_application"),
        custom={"label": "Decline"},
    )
    def decline(self):
        """Declined, with the reason told to the provider."""

    @transition(
        field=status,
        source=Status.APPROVED,
        target=Status.OFFERED,
        permission=_can("grants.make_offer"),
        custom={"label": "Make the offer"},
    )
    def make_offer(self):
        """The offer letter is issued and the money committed as a pending award."""

    @transition(
        field=status,
        source=Status.OFFERED,
        target=Status.ACCEPTED,
        permission=_can("grants.accept_offer"),
        custom={"label": "Accept the offer"},
    )
    def accept(self):
        """The provider accepts online; the award becomes active."""

    @transition(field=status, source=Status.OFFERED, target=Status.LAPSED, custom={"label": "Lapse"})
    def lapse(self):
        """Not accepted by the deadline: the award is cancelled and the money returns to the pot. Run by the daily
        task, never by a person, so it asks for no permission."""

    @transition(
        field=status,
        source=[
            Status.DRAFT,
            Status.SUBMITTED,
            Status.IN_ASSESSMENT,
            Status.MORE_INFORMATION,
            Status.APPROVED,
            Status.OFFERED,
        ],
        target=Status.WITHDRAWN,
        permission=_can("grants.withdraw_application"),
        custom={"label": "Withdraw"},
    )
    def withdraw(self):
        """The applicant withdraws."""


class ProjectLine(models.Model):
    """One project in a Community Safety Partnership's plan."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="projects")
    title = models.CharField("Project", max_length=200)
    description = models.TextField("What it will do")
    amount = models.DecimalField("Cost", **MONEY, validators=[MinValueValidator(Decimal("0.01"))])
    priority = models.CharField("Priority it meets", max_length=200, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.title


class ApplicationMessage(models.Model):
    """A message between the office and the applicant, shown on the application."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="messages")
    from_office = models.BooleanField(default=True)
    by = models.ForeignKey("opcc.User", null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    subject = models.CharField(max_length=200)
    body = models.TextField()

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"Message on {self.application_id}"


class Assessment(models.Model):
    """The office's assessment of one application."""

    class Recommendation(models.TextChoices):
        APPROVE = "approve", "Approve"
        APPROVE_REDUCED = "approve_reduced", "Approve a reduced amount"
        DECLINE = "decline", "Decline"

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="assessment")
    eligible = models.BooleanField("Is the application eligible?", null=True, blank=True)
    eligibility_notes = models.TextField("Eligibility notes", blank=True)
    needs_assessment = models.TextField("Cross-check with the needs assessment", blank=True)
    meets_priorities = models.BooleanField("Does it meet the round's priority areas?", null=True, blank=True)
    match_funding_confirmed = models.BooleanField("Is the match funding confirmed?", null=True, blank=True)
    prevention = models.BooleanField("Is it prevention or early intervention?", null=True, blank=True)
    recommendation = models.CharField(max_length=20, choices=Recommendation.choices, blank=True)
    recommended_amount = models.DecimalField("Recommended amount", null=True, blank=True, **MONEY)
    recommendation_notes = models.TextField("Reasons for the recommendation", blank=True)
    assessed_by = models.ForeignKey("opcc.User", null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    def __str__(self):
        return f"Assessment of {self.application_id}"


class ConflictDeclaration(models.Model):
    """An assessor's declaration of interests, made before they can see the scoring form."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="declarations")
    assessor = models.ForeignKey("opcc.User", on_delete=models.CASCADE, related_name="+")
    conflict = models.BooleanField()
    details = models.TextField(blank=True)
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "assessor"], name="one_declaration_per_assessor")
        ]

    def __str__(self):
        return f"Conflict declaration on {self.application_id}"


class Score(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    assessor = models.ForeignKey("opcc.User", on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField(validators=[MaxValueValidator(5)])
    comment = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(score__gte=0, score__lte=5), name="score_from_0_to_5"),
            models.UniqueConstraint(
                fields=["application", "criterion", "assessor"], name="one_score_per_criterion"
            ),
        ]

    def __str__(self):
        return f"Score {self.score} on {self.criterion_id}"


class AreaDecision(models.Model):
    """An LPCAF decision by the bid's area's community ambassador or local policing area commander."""

    class Decision(models.TextChoices):
        APPROVE = "approve", "Approve"
        DECLINE = "decline", "Decline"

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="area_decisions")
    role = models.CharField(max_length=32)
    by = models.ForeignKey("opcc.User", on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(max_length=10, choices=Decision.choices)
    note = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at"]
        constraints = [models.UniqueConstraint(fields=["application", "role"], name="one_decision_per_role")]

    def __str__(self):
        return f"{self.decision} by {self.role} on {self.application_id}"


class Offer(models.Model):
    """The offer of a grant: terms, the deadline to accept, and once accepted the stored letter."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="offer")
    conditions = models.TextField("Conditions specific to this grant", blank=True)
    outcomes = models.TextField("Outcomes to be reported", blank=True)
    accept_by = models.DateField("Accept by")
    # Who signs the letter: a named person and their role (offers made before this was asked name the maker).
    signatory_name = models.CharField("Name of the person signing the letter", max_length=150, blank=True)
    signatory_role = models.CharField("Role of the person signing the letter", max_length=150, blank=True)
    made_by = models.ForeignKey("opcc.User", null=True, on_delete=models.SET_NULL, related_name="+")
    made_at = models.DateTimeField(auto_now_add=True)
    accepted_name = models.CharField("Full name", max_length=150, blank=True)
    accepted_role = models.CharField("Role", max_length=150, blank=True)
    accepted_by = models.ForeignKey(
        "opcc.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    letter = models.ForeignKey(
        "opcc.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lapsed_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    def __str__(self):
        return f"Offer for {self.application.reference}"


class OfferLetterTemplate(models.Model):
    """The offer letter's wording, edited by staff. Rendered in a sandbox that sees only plain strings."""

    name = models.CharField(max_length=100, default="Grant offer letter")
    letterhead = models.TextField("Letterhead", help_text="The office's name and address, one line each")
    body = models.TextField("Letter")
    updated_by = models.ForeignKey(
        "opcc.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    def __str__(self):
        return self.name


class LetterBatch(models.Model):
    """Offer letters for a whole round, rendered in the background; the page polls its progress."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="letter_batches")
    requested_by = models.ForeignKey("opcc.User", null=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]

    def __str__(self):
        return f"Letters for round {self.round_id}"

    @property
    def percent(self) -> int:
        return int(self.done * 100 / self.total) if self.total else 100


def _can_decide_variation(instance, user) -> bool:
    return bool(user and user.has_perm("grants.decide_variation", instance))


class Variation(FSMModelMixin, models.Model):
    """A change to an active grant's amount, end date, purpose or conditions: asked for by the provider or proposed
    by the office, decided at the delegation level of the award's new total, then a variation letter the provider
    accepts online before its deadline. The award changes only on acceptance."""

    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested by the provider"
        PROPOSED = "proposed", "Proposed by the office"
        APPROVED = "approved", "Approved"
        REFUSED = "refused", "Refused"
        LETTER_SENT = "letter_sent", "Letter sent"
        ACCEPTED = "accepted", "Accepted"
        LAPSED = "lapsed", "Lapsed"
        WITHDRAWN = "withdrawn", "Withdrawn"

    OPEN = (Status.REQUESTED, Status.PROPOSED, Status.APPROVED, Status.LETTER_SENT)
    UNDECIDED = (Status.REQUESTED, Status.PROPOSED)

    award = models.ForeignKey("funding.Award", on_delete=models.PROTECT, related_name="variations")
    reference = models.CharField(max_length=30, unique=True)
    status = FSMField(default=Status.REQUESTED, choices=Status.choices, protected=True)
    from_provider = models.BooleanField(default=True)
    reason = models.TextField("Reason for the variation")
    # What is asked for: empty means "no change" to that part of the award.
    new_amount = models.DecimalField("New total amount", null=True, blank=True, **MONEY)
    new_end_date = models.DateField("New end date", null=True, blank=True)
    new_purpose = models.TextField("New purpose", blank=True)
    new_conditions = models.TextField("New conditions specific to this grant", blank=True)
    # The award as it was when the variation was asked for, for the letter and the timeline.
    old_amount = models.DecimalField(**MONEY)
    old_end_date = models.DateField()
    old_purpose = models.TextField(blank=True)
    old_conditions = models.TextField(blank=True)
    requested_by = models.ForeignKey("opcc.User", null=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        "opcc.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    decision_record = models.CharField("PCC decision record reference", max_length=60, blank=True)
    accept_by = models.DateField("Accept by", null=True, blank=True)
    letter = models.ForeignKey(
        "opcc.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    accepted_letter = models.ForeignKey(
        "opcc.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    accepted_name = models.CharField("Full name", max_length=150, blank=True)
    accepted_role = models.CharField("Role", max_length=150, blank=True)
    accepted_by = models.ForeignKey(
        "opcc.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["status"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(new_amount__isnull=True) | models.Q(new_amount__gt=0),
                name="variation_new_amount_positive",
            ),
        ]

    def __str__(self):
        return self.reference

    @property
    def new_total(self) -> Decimal:
        """The award's total if the variation is accepted: what its decision is delegated by."""
        return self.new_amount if self.new_amount is not None else self.old_amount

    @property
    def amount_change(self) -> Decimal:
        return self.new_total - self.old_amount

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    @transition(
        field=status,
        source=[Status.REQUESTED, Status.PROPOSED],
        target=Status.APPROVED,
        permission=_can_decide_variation,
        custom={"label": "Approve"},
    )
    def approve(self):
        """Approved by someone whose delegated authority covers the award's new total."""

    @transition(
        field=status,
        source=[Status.REQUESTED, Status.PROPOSED],
        target=Status.REFUSED,
        permission=_can_decide_variation,
        custom={"label": "Refuse"},
    )
    def refuse(self):
        """Refused, with the reason told to the provider; the award stays as it is."""

    @transition(
        field=status,
        source=Status.APPROVED,
        target=Status.LETTER_SENT,
        permission=_can_decide_variation,
        custom={"label": "Send the variation letter"},
    )
    def send_letter(self):
        """The variation letter is drawn, stored with its hash, and the provider told to accept it by its deadline."""

    @transition(
        field=status,
        source=Status.LETTER_SENT,
        target=Status.ACCEPTED,
        permission=_can("grants.accept_variation"),
        custom={"label": "Accept the variation"},
    )
    def accept(self):
        """The provider accepts online before the deadline; the award changes."""

    @transition(field=status, source=Status.LETTER_SENT, target=Status.LAPSED, custom={"label": "Lapse"})
    def lapse(self):
        """Not accepted by the deadline: the award stays as it was. Run by the daily task, so it asks no permission."""

    @transition(
        field=status,
        source=[Status.REQUESTED, Status.PROPOSED, Status.APPROVED, Status.LETTER_SENT],
        target=Status.WITHDRAWN,
        permission=_can("grants.withdraw_variation"),
        custom={"label": "Withdraw"},
    )
    def withdraw(self):
        """Withdrawn before it was accepted: by the provider who asked for it, or by the office."""
