"""Between the award decision and the contract: which procurements need a contract award notice, the assessment
summaries and the standstill, and where a procurement stands in them. Reads only; the writes are in
commissioning/services/award.py.

The law (Procurement Act 2023; sources in the README):
- s.50(1): a contract award notice (UK6) before entering into a public contract (one above threshold, light-touch
  contracts included); s.50(3): before it, an assessment summary to every supplier that submitted an assessed tender.
- s.51: the standstill is the eight working days beginning with the day the notice is published; the contract may
  be entered into once they have passed (from the next day). Light-touch contracts are exempt from the mandatory
  standstill; s.51 provides for a voluntary one, which the office observes, so a light-touch award keeps it.
- s.53: a contract details notice (UK7) within 30 days of entering into the contract (120 for light-touch); s.87:
  one for a notifiable below-threshold contract (£30,000 or more for a sub-central authority) too.
- s.52: at least three key performance indicators for a contract over £5 million (not for light-touch contracts).
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Q
from django.utils import timezone

from commissioning.models import AssessmentSummary, AwardDecision, Notice, NoticeKind, Procurement, Route
from commissioning.procurement import required_route
from opcc.calendar import last_of_working_days

STANDSTILL_WORKING_DAYS = 8
KPI_CONTRACT_VALUE = Decimal("5000000")
NOTIFIABLE_BELOW_THRESHOLD = Decimal("30000")
DETAILS_DAYS = 30
DETAILS_DAYS_LIGHT_TOUCH = 120


def _day(d: date | None) -> str:
    return f"{d:%-d %B %Y}" if d else ""


def contract_value(procurement: Procurement) -> Decimal:
    """The value the Act's thresholds are read against: the estimate when the route was chosen, or the value
    decided if that is higher (an award cannot slip under a threshold by being estimated low)."""
    try:
        decided = procurement.decision.value
    except AwardDecision.DoesNotExist:
        return procurement.value
    return max(procurement.value, decided)


def is_public_contract(procurement: Procurement) -> bool:
    """Above the threshold for its kind (the regulated band, which knows the light-touch threshold)."""
    light_touch = procurement.commission.light_touch
    return required_route(contract_value(procurement), light_touch=light_touch) == Route.REGULATED


def needs_award_notice(procurement: Procurement) -> bool:
    return is_public_contract(procurement)


def needs_summaries(procurement: Procurement) -> bool:
    """Only a competitive award has assessed tenders; a direct award (a single tender agreement) has none."""
    return needs_award_notice(procurement) and procurement.is_tender


def needs_details_notice(procurement: Procurement) -> bool:
    """A public contract (s.53), or a notifiable below-threshold one (s.87)."""
    return is_public_contract(procurement) or contract_value(procurement) >= NOTIFIABLE_BELOW_THRESHOLD


def details_due_by(procurement: Procurement, entered_on: date) -> date:
    """The last day of the period beginning with the day the contract was entered into (30 days, or 120 for a
    light-touch contract). For a below-threshold contract the Act asks "as soon as reasonably practicable": the
    office holds itself to the 30 days."""
    days = DETAILS_DAYS_LIGHT_TOUCH if procurement.commission.light_touch else DETAILS_DAYS
    return entered_on + timedelta(days=days - 1)


def needs_kpis(procurement: Procurement) -> bool:
    return (
        is_public_contract(procurement)
        and not procurement.commission.light_touch
        and contract_value(procurement) > KPI_CONTRACT_VALUE
    )


def standstill_ends(published_on: date) -> date:
    """The last day of the standstill: the eighth working day beginning with the day of publication."""
    return last_of_working_days(published_on, STANDSTILL_WORKING_DAYS)


def award_notice_key(procurement: Procurement) -> str:
    return f"procurement:{procurement.pk}"


@dataclass
class AwardStage:
    """Where a procurement stands between its award decision and its contract."""

    needed: bool
    voluntary: bool = False
    notice: Notice | None = None
    summaries: Sequence[AssessmentSummary] = field(default_factory=list)

    @property
    def unsent(self) -> list[AssessmentSummary]:
        return [s for s in self.summaries if not s.is_sent]

    @property
    def published_on(self) -> date | None:
        if self.notice is not None and self.notice.status == Notice.Status.PUBLISHED:
            return self.notice.published_on
        return None

    @property
    def ends_on(self) -> date | None:
        return standstill_ends(self.published_on) if self.published_on else None

    @property
    def contract_from(self) -> date | None:
        return self.ends_on + timedelta(days=1) if self.ends_on else None

    def in_standstill(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.ends_on is not None and today <= self.ends_on

    def tag(self, today: date | None = None) -> tuple[str, str] | None:
        """The GOV.UK tag for the standstill: (text, colour class)."""
        if self.ends_on is None:
            return None
        if self.in_standstill(today):
            return f"In standstill until {_day(self.ends_on)}", "govuk-tag--yellow"
        return "Standstill ended", "govuk-tag--green"

    def gaps(self, today: date | None = None) -> list[str]:
        """What stops the contract being recorded now, in words an officer acts on."""
        if not self.needed:
            return []
        gaps = []
        if self.unsent:
            gaps.append(
                f"Send the assessment summaries before the contract award notice ({len(self.unsent)} not sent)"
            )
        if self.published_on is None:
            gaps.append("Publish the contract award notice and record its identifier")
        elif self.in_standstill(today):
            gaps.append(
                f"The standstill ends on {_day(self.ends_on)}: the contract can be entered into from "
                f"{_day(self.contract_from)}"
            )
        return gaps

    def signed_on_error(self, signed_on: date) -> str | None:
        """Why a contract entered into on `signed_on` would break the standstill (None if it would not)."""
        if not self.needed or self.published_on is None or self.contract_from is None:
            return None
        if signed_on < self.published_on:
            return (
                f"The contract award notice was published on {_day(self.published_on)}: a contract cannot be "
                "entered into before it"
            )
        if signed_on < self.contract_from:
            return (
                f"The standstill ends on {_day(self.ends_on)}: the contract cannot be entered into before "
                f"{_day(self.contract_from)}"
            )
        return None


def publication_problems(notice: Notice, published_on: date | None) -> dict[str, str]:
    """A contract award notice's own rules for recording its publication, from whichever page records it: every
    assessment summary is sent first (s.50(3)), so the notice is not dated before the day the last was sent, and it
    is not published before the award decision."""
    procurement = notice.procurement
    if notice.kind != NoticeKind.CONTRACT_AWARD or procurement is None:
        return {}
    stage = award_stage(procurement)
    decision = AwardDecision.objects.filter(procurement=procurement).first()
    errors = {}
    if stage.unsent:
        names = ", ".join(str(s.organisation) for s in stage.unsent)
        errors["platform_identifier"] = (
            f"Send every assessment summary before publishing the contract award notice (not sent: {names})"
        )
    if decision is None:
        errors["published_on"] = "Record the award decision before publishing the contract award notice"
    elif published_on is not None and published_on < decision.decided_on:
        errors["published_on"] = (
            f"The notice cannot be published before the award decision of {decision.decided_on:%-d %B %Y}"
        )
    last_sent = last_summary_sent_on(stage)
    if published_on is not None and last_sent is not None and published_on < last_sent:
        errors.setdefault(
            "published_on",
            f"The notice cannot be published before the last assessment summary was sent, on "
            f"{last_sent:%-d %B %Y}: the summaries come first",
        )
    return errors


def last_summary_sent_on(stage: AwardStage) -> date | None:
    """The day the last assessment summary was sent (in local time), or None when none has been."""
    sent = [timezone.localdate(s.sent_at) for s in stage.summaries if s.sent_at is not None]
    return max(sent) if sent else None


# The contract award notice's checklist items (notice_content/award.py) that publication_problems above reports itself.
DECISION_ITEM = "Record the award decision"
SEND_ITEM = "Send the assessment summary to {}"


def items_reported(notice: Notice) -> frozenset[str]:
    """The checklist items whose problem publication_problems already names, so it is not said twice."""
    procurement = notice.procurement
    if notice.kind != NoticeKind.CONTRACT_AWARD or procurement is None:
        return frozenset()
    return frozenset(
        [DECISION_ITEM, *(SEND_ITEM.format(s.organisation) for s in award_stage(procurement).unsent)]
    )


def award_stage(procurement: Procurement) -> AwardStage:
    """The procurement's award notice, summaries and standstill, in three queries."""
    if not needs_award_notice(procurement):
        return AwardStage(needed=False)
    notice = Notice.objects.filter(kind=NoticeKind.CONTRACT_AWARD, key=award_notice_key(procurement)).first()
    people = Q(bid__organisation__memberships__user__is_active=True)
    summaries = list(
        AssessmentSummary.objects.filter(procurement=procurement)
        .select_related("bid__organisation", "document", "sent_by")
        # How many people at the supplier have an account: sending emails them; with none, the officer sends the PDF.
        .annotate(people=Count("bid__organisation__memberships", filter=people))
        .order_by("bid__organisation__name", "pk")
    )
    return AwardStage(
        needed=True, voluntary=procurement.commission.light_touch, notice=notice, summaries=summaries
    )
