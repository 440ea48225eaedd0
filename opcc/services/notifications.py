"""The outbox: messages are written in the caller's transaction and sent by a task after commit."""

import hashlib
import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template import Context, Engine
from django.utils import timezone
from django.utils.module_loading import import_string

from opcc.emails import DEFAULTS
from opcc.models import MessageTemplate, OutboxMessage

log = logging.getLogger(__name__)

# Where a link that lets its holder in (a password reset, an invitation) goes in a stored message. The link
# itself is never stored: it is made from the database and SECRET_KEY when the email is sent, so nobody who
# can read the outbox (the settings site, a backup, a log) can use it, and a sent message cannot make another.
WITHHELD_LINK = "[link withheld: it is made when the email is sent, and only the recipient's copy holds it]"
_LINK_MAKERS = {
    OutboxMessage.SecretLink.PASSWORD_RESET: "opcc.services.password_reset.reset_link",
    OutboxMessage.SecretLink.INVITATION: "opcc.services.invitations.invitation_link",
}


class LinkNoLongerValidError(Exception):
    """The thing a withheld link opens has gone (used, expired, deactivated): the message is not sent."""


# A bare engine for staff-written templates: no tags or filters beyond the built-ins, no loaders,
# and a context of plain strings only, so a template author cannot reach settings or other data.
_SANDBOX = Engine(debug=False, libraries={}, builtins=[], autoescape=False, string_if_invalid="")


def render_text(source: str, values: dict) -> str:
    plain = {k: ("" if v is None else str(v)) for k, v in values.items()}
    return _SANDBOX.from_string(source).render(Context(plain, autoescape=False))


def _template(key: str) -> MessageTemplate:
    template = MessageTemplate.objects.filter(key=key).first()
    if template is None:
        default = DEFAULTS[key]
        template, _ = MessageTemplate.objects.get_or_create(
            key=key,
            defaults={
                "name": default.name,
                "subject": default.subject,
                "body": default.body,
                "placeholders": default.placeholders,
            },
        )
    return template


def queue_message(
    *,
    key: str,
    to_email: str,
    template_key: str | None = None,
    values: dict | None = None,
    subject: str | None = None,
    body: str | None = None,
    to_user=None,
    about=None,
    secret_link: str = OutboxMessage.SecretLink.NONE,
) -> OutboxMessage | None:
    """Write one message to the outbox, once per key. Returns None if that key was already queued.

    A message with a `secret_link` has WITHHELD_LINK where the link goes (in a template, as {{ link }}).
    """
    values = values or {}
    if secret_link:
        values = {**values, "link": WITHHELD_LINK}
    if template_key:
        template = _template(template_key)
        subject = render_text(template.subject, values)
        body = render_text(template.body, values)
    if subject is None or body is None:
        raise ValueError("A message needs a template or a subject and body")
    fields = dict(
        template_key=template_key or "",
        to_email=to_email,
        to_user=to_user,
        subject=subject.strip()[:300],
        body=body,
        secret_link=secret_link,
    )
    if about is not None:
        fields.update(content_type=ContentType.objects.get_for_model(type(about)), object_id=about.pk)
    try:
        with transaction.atomic():
            message = OutboxMessage.objects.create(key=key[:200], **fields)
    except IntegrityError:
        return None
    from opcc.tasks import send_outbox_message  # noqa: PLC0415 - the tasks module imports this one

    transaction.on_commit(lambda: send_outbox_message.delay(message.pk))
    return message


def message_id_for(key: str) -> str:
    """The Message-ID header of the email for an outbox key: the same however often it is delivered.

    Sending is at least once (the mail server may take a message just before the process dies, and the
    next flush sends it again), so a repeat must be recognisable as the same message.
    """
    domain = (
        settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip("> ") or urlsplit(settings.SITE_URL).hostname
    )
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:32]}@{domain or 'localhost'}>"


def flush_after_commit() -> None:
    """Send everything still pending once the caller's transaction commits (or now, outside one).

    Every sweep ends with this, whether or not it queued anything: messages an earlier run committed and
    could not send (a crash, a mail server outage) go now, not on some later day that has news of its own.
    """
    from opcc.tasks import flush_outbox  # noqa: PLC0415 - the tasks module imports this one

    transaction.on_commit(flush_outbox.delay)


def send_message(message_id: int) -> bool:
    """Send one outbox message if it is still pending. Safe to call twice, or from two workers at once.

    The row stays locked while the mail server is spoken to, so a second worker skips it rather than
    sending it again. A failure is recorded on the message (and raised for the task to retry).
    """
    failure = None
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(pk=message_id, status=OutboxMessage.Status.PENDING)
            .first()
        )
        if message is None:
            return False
        message.attempts += 1
        try:
            body = _with_link(message)
        except LinkNoLongerValidError as exc:
            message.status = OutboxMessage.Status.FAILED
            message.last_error = f"Not sent: the link is no longer valid ({exc})"
            message.save(update_fields=["attempts", "status", "last_error"])
            return False
        try:
            EmailMessage(
                subject=message.subject,
                body=body,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[message.to_email],
                headers={"Message-ID": message_id_for(message.key)},
            ).send()
        except Exception as exc:  # noqa: BLE001 - any transport failure is retried
            failure = exc
            message.last_error = f"{exc.__class__.__name__}: {exc}"[:2000]
            if message.attempts >= 5:
                message.status = OutboxMessage.Status.FAILED
            log.warning("Outbox message %s failed: %s", message.pk, exc)
        else:
            message.status = OutboxMessage.Status.SENT
            message.sent_at = timezone.now()
        message.save(update_fields=["attempts", "status", "sent_at", "last_error"])
    if failure is not None:
        raise failure
    return True


def _with_link(message: OutboxMessage) -> str:
    """The body to send: the stored one, with a withheld link made now and put in its place."""
    if not message.secret_link:
        return message.body
    link = import_string(_LINK_MAKERS[message.secret_link])(message)
    return message.body.replace(WITHHELD_LINK, link)


def pending_message_ids(*, after: int = 0, limit: int = 500) -> list[int]:
    """The next pending messages, oldest first, after the one with id `after` (for a flush in batches)."""
    return list(
        OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING, pk__gt=after)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )


def messages_about(obj):
    return OutboxMessage.objects.filter(
        content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk
    ).order_by("-created_at")
