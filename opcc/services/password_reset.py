"""Password-reset emails go through the outbox with the link withheld; the link is made when the email is sent."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.crypto import get_random_string
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from opcc.models import OutboxMessage, User
from opcc.services.notifications import LinkNoLongerValidError, queue_message


def queue_reset_email(*, user: User, to_email: str, subject: str, body: str) -> OutboxMessage | None:
    """`body` has notifications.WITHHELD_LINK where the link goes."""
    return queue_message(
        key=f"password-reset:{user.pk}:{get_random_string(12)}",
        to_email=to_email,
        subject=subject,
        body=body,
        to_user=user,
        secret_link=OutboxMessage.SecretLink.PASSWORD_RESET,
    )


def reset_link(message: OutboxMessage) -> str:
    """A fresh reset link for the message's recipient: it works for PASSWORD_RESET_TIMEOUT from now, once."""
    user = message.to_user
    if user is None or not user.is_active:
        raise LinkNoLongerValidError("the account has been closed")
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    path = reverse(
        "password-reset-confirm", kwargs={"uidb64": uid, "token": default_token_generator.make_token(user)}
    )
    return settings.SITE_URL.rstrip("/") + path
