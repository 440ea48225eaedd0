"""The daily sweep: give new awards their monitoring tier, create missing returns, open ended quarters, chase,
escalate, digest, remind of visits.

Safe to run twice on a day and safe to kill half way: each batch of returns is locked, re-checked and
committed together with its chase records and outbox messages, so a rerun picks up exactly where the
last committed batch ended. Nothing is sent twice (one ChaseEvent per (return, step), enforced by a
unique constraint, and one outbox message per key) and nobody is skipped (a missed day's step is sent
on the next run: each step applies from its day until the next step's day).

The number of queries is bounded by the number of steps and batches, never one per return.
"""

import logging
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.template import Context
from django.urls import reverse

from funding.models import Award
from opcc.emails import DEFAULTS
from opcc.models import Membership, MessageTemplate, OutboxMessage, Role, User
from opcc.services import assurance, notifications
from opcc.services.notifications import _SANDBOX
from reporting import calendar
from reporting.models import (
    ChaseEvent,
    ChaseStep,
    GrantVisit,
    MonitoringSettings,
    OutcomeFramework,
    QuarterlyReturn,
    ReturnKind,
)
from reporting.services import closeout, frameworks, payments_compliance, returns, tiers
from reporting.services.notifications import link

log = logging.getLogger(__name__)
BATCH_SIZE = 2500
NOT_CHASED_AWARDS = (Award.Status.CANCELLED,)
# An end-of-project report is chased in its own words: the wording of each default step's message for it.
END_REPORT_TEMPLATES = {
    "return-reminder": "end-report-reminder",
    "return-due-today": "end-report-due-today",
    "return-chase": "end-report-chase",
    "return-escalation": "end-report-escalation",
}


def template_key_for(step_template: str, kind: str) -> str:
    if kind == ReturnKind.END_OF_PROJECT:
        return END_REPORT_TEMPLATES.get(step_template, step_template)
    return step_template


def short_name(kind: str, quarter_start_year: int, quarter: int) -> str:
    if kind == ReturnKind.END_OF_PROJECT:
        return "end-of-project report"
    return calendar.Quarter(quarter_start_year, quarter).short_label


def what_is_due(kind: str, quarter_start_year: int, quarter: int) -> str:
    """The return a message is about, in words: "Q2 2026/27 (July to September)" or "the end of the project"."""
    if kind == ReturnKind.END_OF_PROJECT:
        return "the end of the project"
    return calendar.Quarter(quarter_start_year, quarter).label


@dataclass
class SweepResult:
    frameworks: int = 0
    tiers: int = 0
    created: int = 0
    opened: int = 0
    chased: dict = field(default_factory=dict)
    messages: int = 0
    digests: int = 0
    visit_reminders: int = 0

    def __str__(self):
        chased = ", ".join(f"{k} {v}" for k, v in self.chased.items()) or "none"
        return (
            f"{self.tiers} awards given a monitoring tier, {self.created} returns created, {self.opened} opened; "
            f"chased: {chased}; {self.messages} messages "
            f"queued; {self.digests} digests; {self.visit_reminders} visit reminders"
        )


def _after_batch(step_key: str, batch_number: int) -> None:
    """A seam for tests: raising here simulates a worker killed after a committed batch."""


class _Templates:
    def __init__(self, keys):
        self.rows = {}
        for key in keys:
            default = DEFAULTS[key]
            self.rows[key], _ = MessageTemplate.objects.get_or_create(
                key=key,
                defaults={
                    "name": default.name,
                    "subject": default.subject,
                    "body": default.body,
                    "placeholders": default.placeholders,
                },
            )

        # Compiled once per sweep, rendered per message, in the outbox's own sandbox (plain strings only).
        self.compiled = {
            key: (_SANDBOX.from_string(t.subject), _SANDBOX.from_string(t.body))
            for key, t in self.rows.items()
        }

    def message(self, template_key: str, values: dict, **fields) -> OutboxMessage:
        subject, body = self.compiled[template_key]
        context = Context({k: ("" if v is None else str(v)) for k, v in values.items()}, autoescape=False)
        return OutboxMessage(
            template_key=template_key,
            subject=subject.render(context).strip()[:300],
            body=body.render(context),
            **fields,
        )


def _queue(messages: list[OutboxMessage]) -> int:
    """Write messages whose key is new (the keys make a rerun harmless)."""
    if not messages:
        return 0
    taken = set(OutboxMessage.objects.filter(key__in=[m.key for m in messages]).values_list("key", flat=True))
    fresh = [m for m in messages if m.key not in taken]
    OutboxMessage.objects.bulk_create(fresh, batch_size=1000)
    return len(fresh)


def ensure_frameworks() -> int:
    """Active awards that somehow have no framework (e.g. activated before monitoring existed) get one."""
    missing = list(
        Award.objects.filter(status=Award.Status.ACTIVE)
        .exclude(Exists(OutcomeFramework.objects.filter(award=OuterRef("pk"))))
        .select_related("pot")[:500]
    )
    for award in missing:
        frameworks.build_framework(award)
    return len(missing)


def _candidates(step: ChaseStep, next_step: ChaseStep | None, today: date):
    """Returns this step applies to today: its day has come and the next step's has not."""
    qs = (
        QuarterlyReturn.objects.filter(
            status__in=QuarterlyReturn.NOT_SENT, due_date__lte=today - timedelta(days=step.days_from_due)
        )
        .exclude(award__status__in=NOT_CHASED_AWARDS)
        .exclude(Exists(ChaseEvent.objects.filter(quarterly_return=OuterRef("pk"), step_key=step.key)))
    )
    if next_step is not None:
        qs = qs.filter(due_date__gt=today - timedelta(days=next_step.days_from_due))
    return qs


def _chase_step(step, next_step, today, templates, heads, batch_size, ct) -> tuple[int, int]:
    events_total = messages_total = 0
    batch_number = 0
    while True:
        ids = list(
            _candidates(step, next_step, today).order_by("pk").values_list("pk", flat=True)[:batch_size]
        )
        if not ids:
            break
        with transaction.atomic():
            # Plain rows, not model instances: a catch-up sweep handles tens of thousands of returns.
            locked = list(
                QuarterlyReturn.objects.select_for_update(of=("self",))
                .filter(pk__in=ids, status__in=QuarterlyReturn.NOT_SENT)
                .order_by("pk")
                .values(
                    "pk",
                    "kind",
                    "quarter_start_year",
                    "quarter",
                    "due_date",
                    "award__reference",
                    "award__title",
                    "award__organisation_id",
                    "award__organisation__name",
                    "award__organisation__email",
                )
            )
            done = set(
                ChaseEvent.objects.filter(quarterly_return_id__in=ids, step_key=step.key).values_list(
                    "quarterly_return_id", flat=True
                )
            )
            todo = [r for r in locked if r["pk"] not in done]
            people = {}
            if step.audience == ChaseStep.Audience.PROVIDER:
                for org_id, email, user_id in (
                    Membership.objects.filter(
                        organisation_id__in={r["award__organisation_id"] for r in todo}, user__is_active=True
                    )
                    .order_by("user__email")
                    .values_list("organisation_id", "user__email", "user_id")
                ):
                    people.setdefault(org_id, []).append((email, user_id))
            events, outbox = [], []
            for r in todo:
                pk, org_email = r["pk"], r["award__organisation__email"]
                if step.audience == ChaseStep.Audience.HEAD:
                    recipients = heads
                else:
                    recipients = people.get(r["award__organisation_id"]) or (
                        [(org_email, None)] if org_email else []
                    )
                values = {
                    "organisation": r["award__organisation__name"],
                    "award": f"{r['award__reference']} {r['award__title']}",
                    "quarter": what_is_due(r["kind"], r["quarter_start_year"], r["quarter"]),
                    "due_date": f"{r['due_date']:%-d %B %Y}",
                    "link": link(f"/monitoring/returns/{pk}/"),
                    "comments": "",
                }
                for email, user_id in recipients:
                    outbox.append(
                        templates.message(
                            template_key_for(step.template_key, r["kind"]),
                            values,
                            key=f"return-chase:{pk}:{step.key}:{email}"[:200],
                            to_email=email,
                            to_user_id=user_id,
                            content_type=ct,
                            object_id=pk,
                        )
                    )
                events.append(
                    ChaseEvent(
                        quarterly_return_id=pk,
                        step_key=step.key,
                        description=step.name,
                        sent_on=today,
                        recipients=", ".join(e for e, _ in recipients) or "Nobody to send to",
                    )
                )
            ChaseEvent.objects.bulk_create(events, batch_size=1000)
            messages_total += _queue(outbox)
            events_total += len(events)
            if not todo and not locked:
                break  # every candidate moved on (e.g. submitted) between the read and the lock
        batch_number += 1
        _after_batch(step.key, batch_number)
    return events_total, messages_total


def send_digests(today: date, templates, ct) -> tuple[int, int]:
    """Each commissioning officer's weekly list of overdue returns (on or after the digest weekday, once a week)."""
    settings = MonitoringSettings.current()
    if today.weekday() < settings.digest_weekday:
        return 0, 0
    week = calendar.iso_week_key(today)
    officers = list(User.objects.filter(role=Role.COMMISSIONING_OFFICER, is_active=True).order_by("pk"))
    overdue = (
        QuarterlyReturn.objects.overdue(today)
        .exclude(award__status__in=NOT_CHASED_AWARDS)
        .order_by("due_date", "pk")
    )
    total = overdue.count()
    if not officers or not total:
        return 0, 0
    rows = overdue.values_list(
        "award__reference", "award__organisation__name", "kind", "quarter_start_year", "quarter", "due_date"
    )[:100]
    lines = [
        f"- {ref} {org}: {short_name(kind, y, q)}, due {due:%-d %B %Y}" for ref, org, kind, y, q, due in rows
    ]
    if total > len(lines):
        lines.append(f"- and {total - len(lines)} more")
    step_key = f"digest-{week}"
    with transaction.atomic():
        outbox = [
            templates.message(
                "returns-digest",
                {
                    "name": officer.get_short_name(),
                    "count": total,
                    "lines": "\n".join(lines),
                    "link": link(reverse("reporting:returns") + "?overdue=yes"),
                },
                key=f"returns-digest:{officer.pk}:{week}",
                to_email=officer.email,
                to_user_id=officer.pk,
            )
            for officer in officers
        ]
        sent = _queue(outbox)
        if sent:
            recipients = ", ".join(o.email for o in officers)
            ids = overdue.values_list("pk", flat=True).iterator(chunk_size=5000)
            batch = []
            for pk in ids:
                batch.append(
                    ChaseEvent(
                        quarterly_return_id=pk,
                        step_key=step_key,
                        sent_on=today,
                        description="Listed in the weekly digest of overdue returns to officers",
                        recipients=recipients,
                    )
                )
                if len(batch) >= 5000:
                    ChaseEvent.objects.bulk_create(batch, ignore_conflicts=True)
                    batch = []
            ChaseEvent.objects.bulk_create(batch, ignore_conflicts=True)
    return sent, sent


def remind_visits(today: date, templates, ct) -> int:
    settings = MonitoringSettings.current()
    visits = GrantVisit.objects.filter(
        visited_on__isnull=True,
        scheduled_for__gte=today,
        scheduled_for__lte=today + timedelta(days=settings.visit_reminder_days),
    ).select_related("officer", "award__organisation", "award__created_by")
    outbox = []
    visit_ct = ContentType.objects.get_for_model(GrantVisit)
    for visit in visits:
        person = visit.officer or visit.award.created_by
        if person is None or not person.is_active:
            continue
        outbox.append(
            templates.message(
                "visit-reminder",
                {
                    "name": person.get_short_name(),
                    "organisation": visit.award.organisation.name,
                    "award": f"{visit.award.reference} {visit.award.title}",
                    "date": f"{visit.scheduled_for:%-d %B %Y}",
                    "link": link(f"/monitoring/awards/{visit.award_id}/visits/{visit.pk}/"),
                },
                key=f"visit-reminder:{visit.pk}:{visit.scheduled_for:%Y%m%d}",
                to_email=person.email,
                to_user_id=person.pk,
                content_type=visit_ct,
                object_id=visit.pk,
            )
        )
    with transaction.atomic():
        return _queue(outbox)


def run_sweep(*, today: date, batch_size: int = BATCH_SIZE, notify_worker: bool = True) -> SweepResult:
    """The whole daily job, once. Called by `manage.py chase_returns` and by Celery beat each morning.

    It ends by sending whatever is pending, its own messages and any a killed run left behind."""
    result = SweepResult()
    frameworks.ensure_defaults()
    result.frameworks = ensure_frameworks()
    result.tiers = tiers.ensure_tiers(today=today)
    tiers.realign_end_reports(today=today)
    result.created = returns.ensure_returns(today=today)
    result.opened = returns.open_ended_quarters(today=today)
    tiers.release_unreported_arrears(today=today)
    tiers.refresh_due_dates()
    payments_compliance.ensure_notices(today=today)
    payments_compliance.chase_notices(today=today)
    steps = list(ChaseStep.objects.filter(active=True).order_by("days_from_due"))
    keys = {s.template_key for s in steps}
    templates = _Templates(
        keys
        | {template_key_for(k, ReturnKind.END_OF_PROJECT) for k in keys}
        | {"returns-digest", "visit-reminder"}
    )
    heads = [
        (e, pk)
        for e, pk in User.objects.filter(role=Role.HEAD_OF_COMMISSIONING, is_active=True)
        .order_by("email")
        .values_list("email", "pk")
    ]
    ct = ContentType.objects.get_for_model(QuarterlyReturn)
    for i, step in enumerate(steps):
        next_step = steps[i + 1] if i + 1 < len(steps) else None
        events, messages = _chase_step(step, next_step, today, templates, heads, batch_size, ct)
        result.chased[step.key] = events
        result.messages += messages
    digests, messages = send_digests(today, templates, ct)
    result.digests = digests
    result.messages += messages
    result.visit_reminders = remind_visits(today, templates, ct)
    result.messages += result.visit_reminders
    result.messages += assurance.chase_expiring_items(today=today)  # due diligence about to lapse
    # Grants that have ended: their final reports are opened, then reminded and chased.
    result.messages += closeout.sweep(today=today)
    if notify_worker:
        notifications.flush_after_commit()
    log.info("Return sweep for %s: %s", today, result)
    return result
