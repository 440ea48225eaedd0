"""The Procurement Act 2023's tasks in Do: the transparency notice before a direct award, the tender notice, the
conflicts assessment and exclusion checks, and between the award decision and the contract of a public contract the
assessment summaries, the contract award notice, the standstill and the contract details notice."""

from django.urls import reverse
from django.utils import timezone

from commissioning.gates.task import Task, _one, _url, current_procurement
from commissioning.models import Commission, NoticeKind, Procurement
from commissioning.procurement import is_direct_award
from commissioning.services.notices import published


def transparency_tasks(p: Procurement, sta) -> list[Task]:
    """A single tender agreement above the threshold is a direct award: its transparency notice is published before
    the award decision (Procurement Act 2023 s.44)."""
    if sta is None or not is_direct_award(sta.value, light_touch=p.commission.light_touch):
        return []
    notice = published(p, NoticeKind.TRANSPARENCY)
    # The notice's page prepares it and records its publication (the open one until it is published).
    page = notice or p.notices.filter(kind=NoticeKind.TRANSPARENCY).order_by("-pk").first()
    return [
        Task(
            "Transparency notice",
            notice is not None,
            "Publish the transparency notice on Find a Tender and record its identifier: a direct award above the "
            "threshold must be announced before it is made",
            reverse("commissioning:notice", args=[page.pk]) if page else None,
            hint=f"Published as {notice.platform_identifier}" if notice else "",
        )
    ]


def tender_notice_tasks(p: Procurement) -> list[Task]:
    """A tender under the Procurement Act is advertised by its tender notice (UK4, s.21): no award without it. Only
    procurements that have one drafted (the regulated route, from 24 February 2025) are asked."""
    drafted = p.notices.filter(kind=NoticeKind.TENDER).order_by("-pk").first()
    if drafted is None:
        return []
    notice = published(p, NoticeKind.TENDER)
    return [
        Task(
            "Tender notice",
            notice is not None,
            "Publish the tender notice on Find a Tender and record its identifier: the tender is advertised by it",
            reverse("commissioning:notice", args=[(notice or drafted).pk]),
            hint=f"Published as {notice.platform_identifier}" if notice else "",
        )
    ]


def details_notice_hint(c: Commission, contract, task: Task) -> None:
    """Once the contract is entered into, its contract details notice: when it is due, and where it is prepared."""
    from commissioning.models import Notice, NoticeKind  # noqa: PLC0415 - notices are read only here

    notice = Notice.objects.filter(kind=NoticeKind.CONTRACT_DETAILS, contract=contract).first()
    if notice is None:
        return
    task.url = _url("award", c)
    task.hint = (
        f"Contract details notice published on {notice.published_on:%-d %B %Y}"
        if notice.status == Notice.Status.PUBLISHED
        else f"Publish the contract details notice by {notice.due_by:%-d %B %Y}"
    )


def award_tasks(c: Commission, p: Procurement) -> list[Task]:
    """Between the decision and the contract of a public contract (commissioning/award.py): the assessment
    summaries, the contract award notice and the standstill it starts."""
    from commissioning.award import award_stage  # noqa: PLC0415 - award.py reads the models gates reads

    stage = award_stage(p)
    if not stage.needed:
        return []
    today = timezone.localdate()
    page = _url("award", c)
    tasks = []
    if stage.summaries or p.is_tender:
        tasks.append(
            Task(
                "Assessment summaries sent",
                bool(stage.summaries) and not stage.unsent,
                f"Send the assessment summary to each assessed supplier ({len(stage.unsent)} not sent)",
                page,
                "Each supplier whose tender was assessed receives its own scores, the winner's and the reasons",
            )
        )
    published = stage.published_on is not None
    tasks.append(
        Task(
            "Contract award notice published",
            published,
            "Publish the contract award notice on Find a Tender and record its identifier",
            page,
            f"Published on {stage.published_on:%-d %B %Y} as {stage.notice.platform_identifier}"
            if published
            else "After the summaries are sent: the standstill begins on the day it is published",
            can_start=not stage.unsent,
        )
    )
    ended = published and not stage.in_standstill(today)
    hint = (
        f"Eight working days from {stage.published_on:%-d %B %Y}: it ends on {stage.ends_on:%-d %B %Y}, and "
        f"the contract can be entered into from {stage.contract_from:%-d %B %Y}"
        if published
        else "Eight working days beginning with the day the contract award notice is published"
    )
    if stage.voluntary:
        hint += ". A light-touch contract's standstill is voluntary; the office observes it"
    tasks.append(
        Task(
            "Standstill",
            ended,
            f"Wait for the standstill to end on {stage.ends_on:%-d %B %Y}"
            if published
            else "The standstill begins when the contract award notice is published",
            None,
            hint,
            can_start=published,
            tag=stage.tag(today),
        )
    )
    return tasks


def conflicts_and_exclusions_tasks(c: Commission, p: Procurement) -> list[Task]:
    """A covered procurement's conflicts assessment and supplier exclusion checks (commissioning/exclusions.py)."""
    from commissioning.exclusions import act_tasks  # noqa: PLC0415 - it builds on this module's Task

    return act_tasks(c, p)


def supplier_refusal(c: Commission) -> list[str]:
    """Why the one supplier a quote or single tender agreement names cannot be awarded (excluded or debarred)."""
    from commissioning.exclusions import award_refusal  # noqa: PLC0415 - it builds on this module

    p = current_procurement(c)
    sta = _one(p, "sta") if p is not None and p.is_single_tender else None
    supplier = sta.organisation if sta else (p.chosen_quote.organisation if p and p.chosen_quote_id else None)
    return award_refusal(p, supplier) if supplier is not None else []


def standstill_gaps(p: Procurement) -> list[str]:
    """A public contract waits for its summaries, its contract award notice and the standstill."""
    from commissioning.award import award_stage  # noqa: PLC0415 - award.py reads the models gates reads

    return award_stage(p).gaps()
