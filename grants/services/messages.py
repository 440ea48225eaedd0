"""Messages from the office to an applicant: shown on the application and emailed to its organisation's contacts."""

from grants.models import (
    Application,
    ApplicationMessage,
)
from opcc.services.notifications import queue_message
from opcc.types import Actor


def send_message(*, application: Application, by: Actor, subject: str, body: str, from_office: bool = True):
    message = ApplicationMessage.objects.create(
        application=application, by=by, subject=subject, body=body, from_office=from_office
    )
    if from_office:
        for membership in application.organisation.memberships.select_related("user"):
            queue_message(
                key=f"grants-message:{message.pk}:{membership.user_id}",
                to_email=membership.user.email,
                to_user=membership.user,
                template_key="application-message",
                about=application,
                values={
                    "name": membership.user.full_name,
                    "reference": application.reference,
                    "project": application.display_title,
                    "subject": subject,
                    "message": body,
                },
            )
    return message
