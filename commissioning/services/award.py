"""After the award decision: the contract award notice drafted, the assessment summaries drawn and sent, the notice's
publication recorded (the standstill then runs from it), and once the contract is entered into, its contract details
notice drafted and its key performance indicators kept. What the law asks is in commissioning/award.py."""

import hashlib
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from commissioning import award as rules
from commissioning import gates
from commissioning.models import (
    AssessmentSummary,
    AwardDecision,
    Commission,
    Contract,
    ContractKPI,
    NoticeKind,
)
from commissioning.services._common import _refuse
from commissioning.services.notices import ensure_notice, record_publication
from commissioning.summaries import render_summary_pdf, summary_content
from opcc.permissions import require_perm
from opcc.services.documents import PDF, store_bytes
from opcc.services.notifications import queue_message
from opcc.types import Actor

MAX_KPIS = 3


def draft_after_decision(decision: AwardDecision, *, by: Actor | None = None) -> None:
    """What the award decision calls for: the contract award notice (drafted, published later by the officer) and
    an assessment summary for every assessed supplier. Called inside the decision's transaction."""
    procurement = decision.procurement
    if not rules.needs_award_notice(procurement):
        return
    ensure_notice(
        kind=NoticeKind.CONTRACT_AWARD,
        key=rules.award_notice_key(procurement),
        triggered_on=decision.decided_on,
        procurement=procurement,
    )
    if rules.needs_summaries(procurement):
        draw_summaries(procurement=procurement, by=by, on=decision.decided_on)


def draw_summaries(
    *, procurement, by: Actor | None = None, on: date | None = None
) -> list[AssessmentSummary]:
    """One summary per assessed tender (every bid in the evaluation, the winner's too), each a stored PDF with its
    hash. A summary already sent is never redrawn: what the supplier received stays what is stored."""
    summaries = []
    for bid in procurement.tender.bids.in_evaluation().select_related("organisation"):
        summary, _ = AssessmentSummary.objects.get_or_create(
            bid=bid, defaults={"procurement": procurement, "generated_at": timezone.now()}
        )
        if summary.is_sent:
            summaries.append(summary)
            continue
        data = render_summary_pdf(summary_content(procurement, bid, on=on))
        summary.document = store_bytes(
            data=data,
            kind=PDF,
            original_name=f"Assessment summary {procurement.commission.reference} {bid.organisation.name}.pdf",
            attached_to=summary,
            by=by,
            purpose="assessment_summary",
            title=f"Assessment summary for {bid.organisation.name}",
        )
        summary.sha256 = hashlib.sha256(data).hexdigest()
        summary.generated_at = timezone.now()
        summary.save(update_fields=["document", "sha256", "generated_at"])
        summaries.append(summary)
    return summaries


@transaction.atomic
def redraw(*, decision: AwardDecision, by: Actor) -> None:
    """The award notice and summaries for a decision recorded before they were drawn (idempotent)."""
    require_perm(by, "commissioning.change_commission")
    locked = Commission.objects.select_for_update().get(pk=decision.procurement.commission_id)
    _refuse(gates.do_closed(locked))
    if gates._one(decision.procurement, "contract") is not None:
        raise ValidationError("The contract has been recorded: the summaries stay as they were")
    draft_after_decision(decision, by=by)


@transaction.atomic
def send_summary(*, summary: AssessmentSummary, by: Actor) -> AssessmentSummary:
    """Send one summary: each person in the supplier's organisation is emailed a link to it in their portal (the
    outbox, once per person), and the sending is recorded. A supplier with nobody in the portal is sent the PDF by
    the officer, who records it here."""
    require_perm(by, "commissioning.change_commission")
    summary = (
        AssessmentSummary.objects.select_for_update()
        .select_related("bid__organisation", "procurement")
        .get(pk=summary.pk)
    )
    if summary.is_sent:
        raise ValidationError(
            f"The summary for {summary.organisation} was sent on {summary.sent_at:%-d %B %Y}"
        )
    if summary.document_id is None:
        raise ValidationError("The summary has not been drawn yet")
    organisation = summary.organisation
    link = settings.SITE_URL.rstrip("/") + reverse("commissioning:my-summary", args=[summary.pk])
    for membership in organisation.memberships.select_related("user").filter(user__is_active=True):
        user = membership.user
        queue_message(
            key=f"assessment-summary:{summary.pk}:{user.pk}",
            to_email=user.email,
            to_user=user,
            template_key="assessment-summary",
            values={
                "contact": user.full_name,
                "organisation": organisation.name,
                "title": summary.procurement.commission.title,
                "link": link,
            },
            about=summary,
        )
    summary.sent_at = timezone.now()
    summary.sent_by = by
    summary.save(update_fields=["sent_at", "sent_by"])
    return summary


@transaction.atomic
def record_award_notice(*, commission: Commission, identifier: str, published_on: date, by: Actor):
    """Record the contract award notice as published on Find a Tender: the standstill runs from that day."""
    require_perm(by, "commissioning.change_commission")
    locked = Commission.objects.select_for_update().get(pk=commission.pk)
    _refuse(gates.do_closed(locked))
    procurement = gates.current_procurement(locked)
    stage = rules.award_stage(procurement) if procurement is not None else rules.AwardStage(needed=False)
    if procurement is None or not stage.needed or stage.notice is None:
        raise ValidationError("This procurement needs no contract award notice")
    # The summaries-first and not-before-the-decision rules are the notice's own: record_publication applies them.
    return record_publication(notice=stage.notice, identifier=identifier, published_on=published_on, by=by)


def draft_contract_details(contract: Contract) -> None:
    """The contract details notice the contract calls for, due 30 days (120 for light-touch) from the day it was
    entered into. Called inside create_contract's transaction."""
    procurement = contract.procurement
    if not rules.needs_details_notice(procurement):
        return
    ensure_notice(
        kind=NoticeKind.CONTRACT_DETAILS,
        key=f"contract:{contract.pk}",
        triggered_on=contract.signed_on,
        due_by=rules.details_due_by(procurement, contract.signed_on),
        contract=contract,
    )


def kpi_problems(rows: list[tuple[str, str]]) -> dict[str, str]:
    """rows: (indicator, target) per slot, in order; a slot left empty is skipped. Errors keyed like the form's
    fields (name_1, target_1, ...)."""
    errors, seen = {}, set()
    for number, (name, target) in enumerate(rows, start=1):
        name, target = (name or "").strip(), (target or "").strip()
        if name and not target:
            errors[f"target_{number}"] = f"Enter the target for indicator {number}"
        elif target and not name:
            errors[f"name_{number}"] = f"Enter the name of indicator {number}"
        elif name.lower() in seen:
            errors[f"name_{number}"] = f"Indicator {number} has the same name as another"
        if name:
            seen.add(name.lower())
    if len(rows) > MAX_KPIS:
        errors["name_1"] = f"Record up to {MAX_KPIS} indicators"
    return errors


@transaction.atomic
def save_kpis(*, contract: Contract, rows: list[tuple[str, str]], by: Actor) -> list[ContractKPI]:
    """Replace the contract's key performance indicators with these (up to three)."""
    require_perm(by, "commissioning.change_commission")
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    if problems := kpi_problems(rows):
        raise ValidationError(problems)
    contract.kpis.all().delete()
    kpis = []
    for name, target in rows:
        if (name or "").strip():
            kpi = ContractKPI(contract=contract, name=name.strip(), target=target.strip())
            kpi.full_clean()
            kpi.save()
            kpis.append(kpi)
    return kpis


__all__ = [
    "draft_after_decision",
    "draft_contract_details",
    "draw_summaries",
    "redraw",
    "record_award_notice",
    "save_kpis",
    "send_summary",
]
