"""Default wording of every email the office sends. Staff may edit the stored copy in the admin site;
these defaults are written the first time a message of that kind is needed, never over an edit.

Each app's `emails.py` registers its messages here; the app's AppConfig.ready() imports it.
"""

from dataclasses import dataclass

from opcc.models import MessageTemplate


@dataclass(frozen=True)
class DefaultMessage:
    key: str
    name: str
    subject: str
    body: str
    placeholders: str


DEFAULTS: dict[str, DefaultMessage] = {}


def register(key: str, name: str, subject: str, body: str, placeholders: str) -> None:
    DEFAULTS[key] = DefaultMessage(key, name, subject, body, placeholders)


register(
    "invitation",
    "Invitation to create an account",
    "You have been invited to the {{ office }}'s commissioning and grants service",
    "Hello {{ name }},\n\n{{ invited_by }} has invited you to use the commissioning and grants service "
    "of the {{ office }} on behalf of {{ organisation }}.\n\nCreate your account by opening this link "
    "before {{ expires }}:\n\n{{ link }}\n\nIf you were not expecting this email, you can ignore it.",
    "name, organisation, invited_by, link, expires, office",
)

register(
    "invitation-existing-account",
    "Invitation to an address that already has an account",
    "{{ invited_by }} asked to add you to {{ organisation }}",
    "Hello {{ name }},\n\n{{ invited_by }} asked to add you as a contact for {{ organisation }} on the "
    "commissioning and grants service of the {{ office }}. You already have an account, so no invitation was "
    "made and nothing about your account has changed.\n\nTo act for {{ organisation }} as well as the "
    "organisations you act for now, contact the commissioning team.\n\nIf you were not expecting this email, "
    "you can ignore it.",
    "name, organisation, invited_by, office",
)


register(
    "due-diligence-soon",
    "Due diligence: an item expires soon",
    "{{ item }} for {{ organisation }} expires on {{ expires_on }}",
    "Hello,\n\nThe {{ item }} we hold for {{ organisation }} expires on {{ expires_on }}. Upload the renewed "
    "document before then, or we cannot make offers or payments to {{ organisation }}:\n\n{{ link }}",
    "organisation, item, expires_on, link",
)

register(
    "due-diligence-expired",
    "Due diligence: an item has expired",
    "{{ item }} for {{ organisation }} expired on {{ expires_on }}",
    "Hello,\n\nThe {{ item }} we hold for {{ organisation }} expired on {{ expires_on }}. Until you upload a "
    "renewed document and we verify it, we cannot make offers, contracts or payments to {{ organisation }}:"
    "\n\n{{ link }}",
    "organisation, item, expires_on, link",
)


def ensure_all():
    """Write any default not yet stored (used by seed_demo and after migrations)."""
    for default in DEFAULTS.values():
        MessageTemplate.objects.get_or_create(
            key=default.key,
            defaults={
                "name": default.name,
                "subject": default.subject,
                "body": default.body,
                "placeholders": default.placeholders,
            },
        )
