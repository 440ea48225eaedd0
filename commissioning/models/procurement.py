"""Do: one procurement per cycle, its quotes, tender, bids, panel, scores, single tender agreement and award decision."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from commissioning.models._common import PERCENT, QUOTE_ROUTES, TENDER_ROUTES, Route, money
from commissioning.models.commissions import Commission
from funding.models import DecisionKind, DelegationLevel
from opcc.models import Role


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


class Schedule5(models.TextChoices):
    """The direct award justifications of Schedule 5 to the Procurement Act 2023 a police and crime commissioner's
    single tender agreement may rely on above the threshold, by paragraph (read from legislation.gov.uk; the
    README lists the sources). Paragraphs the office would not use (commodities, insolvency, defence) are left out."""

    PROTOTYPE = "2", "Paragraph 2: a prototype or other novel services, for testing, research or development"
    ART = "4", "Paragraph 4: a unique work of art or artistic performance"
    EXCLUSIVE_RIGHTS = (
        "5",
        (
            "Paragraph 5: only this supplier can supply it because of intellectual property or other exclusive "
            "rights, and there is no reasonable alternative"
        ),
    )
    TECHNICAL = (
        "6",
        (
            "Paragraph 6: only this supplier can supply it because competition is absent for technical reasons, "
            "and there is no reasonable alternative"
        ),
    )
    ADDITIONAL = (
        "7",
        (
            "Paragraph 7: additional or repeat services from the existing supplier, where a change of supplier would "
            "bring incompatible services and disproportionate technical difficulties"
        ),
    )
    SIMILAR = (
        "8",
        (
            "Paragraph 8: similar services from the supplier of a contract competitively tendered within the last 5 "
            "years, whose tender notice said this might happen"
        ),
    )
    USER_CHOICE = "15", "Paragraph 15: user choice services, where the person served chooses the supplier"


class SingleTenderAgreement(models.Model):
    class Ground(models.TextChoices):
        TECHNICAL = "a", "(a) Only one supplier can do it, for technical reasons"
        CONTINUITY = "b", "(b) Continuity of supply with an existing supplier"

    # The strategy's ground (a) is Schedule 5's paragraph 6; ground (b) has no paragraph of its own.
    GROUND_JUSTIFICATION = {Ground.TECHNICAL: Schedule5.TECHNICAL}

    procurement = models.OneToOneField(Procurement, on_delete=models.CASCADE, related_name="sta")
    organisation = models.ForeignKey(
        "opcc.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name="Supplier"
    )
    ground = models.CharField("Ground", max_length=1, choices=Ground.choices)
    justification = models.TextField("Justification")
    value = money("Value of the agreement")
    # Above the threshold (a direct award under s.41 of the Procurement Act 2023): the justification relied on.
    schedule5 = models.CharField(
        "Schedule 5 justification", max_length=2, choices=Schedule5.choices, blank=True
    )
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

    def __str__(self):
        return f"{self._meta.verbose_name} {self.pk}"

    @property
    def level_label(self) -> str:

        level = DelegationLevel.for_role(DecisionKind.CONTRACT, self.level)
        return level.label if level else self.level
