"""Procurement Act 2023 notices: one record per notice the office must (or chooses to) publish on the central
digital platform (Find a Tender).

The system prepares each notice from the records it holds; the officer publishes it on the platform (there is
no network here) and records the identifier the platform returns. A notice is drafted when the event that calls
for it happens (commissioning/services/notices.py `ensure_notice`), so the same event never makes two.
"""

from django.db import models
from django.db.models import Q
from django_fsm import FSMField, FSMModelMixin, transition

from commissioning.models.contracts import Contract
from commissioning.models.procurement import Procurement


class NoticeKind(models.TextChoices):
    """The Act's notices a police and crime commissioner uses. The values are ours and stable; the platform's
    form numbers (UK2, UK4, ...) are in FORM_CODES, so a renumbering changes one table."""

    PRELIMINARY_MARKET_ENGAGEMENT = "preliminary_market_engagement", "Preliminary market engagement notice"
    PLANNED_PROCUREMENT = "planned_procurement", "Planned procurement notice"
    TENDER = "tender", "Tender notice"
    BELOW_THRESHOLD_TENDER = "below_threshold_tender", "Below-threshold tender notice"
    TRANSPARENCY = "transparency", "Transparency notice"
    CONTRACT_AWARD = "contract_award", "Contract award notice"
    CONTRACT_DETAILS = "contract_details", "Contract details notice"
    CONTRACT_PERFORMANCE = "contract_performance", "Contract performance notice"
    CONTRACT_CHANGE = "contract_change", "Contract change notice"
    CONTRACT_TERMINATION = "contract_termination", "Contract termination notice"
    PROCUREMENT_TERMINATION = "procurement_termination", "Procurement termination notice"
    PAYMENTS_COMPLIANCE = "payments_compliance", "Payments compliance notice"


# The platform's form numbers. UK1 to UK5 are on Find a Tender's "Notice types and sequences" page; UK7, UK10,
# UK11 and UK12 on its "Changes to published notices" page and on published notices; the below-threshold tender
# notice is a UK4 too (the platform has one tender notice form); UK9 and UK17 from the legal press (no source was
# found for a UK8 payments compliance notice). Sources in the README.
FORM_CODES = {
    NoticeKind.PRELIMINARY_MARKET_ENGAGEMENT: "UK2",
    NoticeKind.PLANNED_PROCUREMENT: "UK3",
    NoticeKind.TENDER: "UK4",
    NoticeKind.BELOW_THRESHOLD_TENDER: "UK4",
    NoticeKind.TRANSPARENCY: "UK5",
    NoticeKind.CONTRACT_AWARD: "UK6",
    NoticeKind.CONTRACT_DETAILS: "UK7",
    NoticeKind.CONTRACT_PERFORMANCE: "UK9",
    NoticeKind.CONTRACT_CHANGE: "UK10",
    NoticeKind.CONTRACT_TERMINATION: "UK11",
    NoticeKind.PROCUREMENT_TERMINATION: "UK12",
    NoticeKind.PAYMENTS_COMPLIANCE: "UK17",
}


# Notices the office may record as not needed, with its reason: optional ones (a planned procurement notice, a
# below-threshold tender notice the office chooses whether to publish) and conditional ones (a preliminary market
# engagement notice, whose absence the tender notice may explain instead; a contract change notice a change turns
# out not to need). Every other notice is a duty once its event happens.
MAY_BE_SET_ASIDE = frozenset(
    {
        NoticeKind.PRELIMINARY_MARKET_ENGAGEMENT,
        NoticeKind.PLANNED_PROCUREMENT,
        NoticeKind.BELOW_THRESHOLD_TENDER,
        NoticeKind.CONTRACT_CHANGE,
    }
)


def _may_be_set_aside(notice) -> bool:
    return notice.kind in MAY_BE_SET_ASIDE


def _nobody(notice, user) -> bool:
    """Run by the system only (the procurement ended), never offered on a page."""
    return False


class Notice(FSMModelMixin, models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        READY = "ready", "Ready to publish"
        PUBLISHED = "published", "Published"
        NOT_NEEDED = "not_needed", "Not needed"

    kind = models.CharField("Notice", max_length=32, choices=NoticeKind.choices)
    # What the notice is about: a procurement (most), its contract (details, change, performance, termination),
    # or neither (the office's six-monthly payments compliance notice).
    procurement = models.ForeignKey(
        Procurement, null=True, blank=True, on_delete=models.CASCADE, related_name="notices"
    )
    contract = models.ForeignKey(
        Contract, null=True, blank=True, on_delete=models.CASCADE, related_name="notices"
    )
    # The event's own key, so one event makes one notice: "procurement:12", "contract:4:change:7",
    # "payments:2026-04-01".
    key = models.CharField(max_length=80)
    triggered_on = models.DateField("Date of the event that calls for it")
    due_by = models.DateField("Publish by", null=True, blank=True)
    status = FSMField(default=Status.DRAFT, choices=Status.choices, protected=True)
    platform_identifier = models.CharField("Find a Tender notice identifier", max_length=40, blank=True)
    published_on = models.DateField("Date published", null=True, blank=True)
    published_by = models.ForeignKey(
        "opcc.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What was published, fixed at the moment the identifier was recorded (an OCDS release).
    published_release = models.JSONField(null=True, blank=True)
    not_needed_reason = models.TextField("Why it is not needed", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_by", "id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="one_notice_per_event"),
            models.UniqueConstraint(
                fields=["platform_identifier"],
                condition=~Q(platform_identifier=""),
                name="one_notice_per_platform_identifier",
                violation_error_message="That identifier is already recorded for another notice",
            ),
            models.CheckConstraint(
                name="published_notice_has_identifier",
                condition=~Q(status="published")
                | (~Q(platform_identifier="") & Q(published_on__isnull=False)),
            ),
        ]
        indexes = [models.Index(fields=["status", "due_by"], name="notice_status_due")]

    def __str__(self):
        return f"{self.form_code} {self.get_kind_display().lower()}"

    @property
    def form_code(self) -> str:
        return FORM_CODES[NoticeKind(self.kind)]

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.READY)

    @transition(
        field=status, source=Status.DRAFT, target=Status.READY, custom={"label": "Mark as ready to publish"}
    )
    def mark_ready(self):
        """Everything the notice needs is recorded: the officer can copy it onto the platform."""

    @transition(field=status, source=Status.READY, target=Status.DRAFT, custom={"label": "Back to draft"})
    def reopen(self):
        """Something needs changing before it is published."""

    @transition(
        field=status,
        source=[Status.DRAFT, Status.READY],
        target=Status.PUBLISHED,
        custom={"label": "Record its publication"},
    )
    def publish(self):
        """The officer published it on the platform and recorded the identifier it returned."""

    @transition(
        field=status,
        source=[Status.DRAFT, Status.READY],
        target=Status.NOT_NEEDED,
        conditions=[_may_be_set_aside],
        custom={"label": "Record that it is not needed"},
    )
    def set_aside(self):
        """An optional or conditional notice the office decided not to publish, with its reason."""

    @transition(
        field=status,
        source=[Status.DRAFT, Status.READY],
        target=Status.NOT_NEEDED,
        permission=_nobody,
        custom={"label": "Not needed: the procurement ended"},
    )
    def abandon(self):
        """The procurement ended before this notice was published (the commission was withdrawn)."""
