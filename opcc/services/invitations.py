import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac

from opcc.models import Invitation, Membership, OutboxMessage, Role, User
from opcc.services.notifications import LinkNoLongerValidError, queue_message


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_token(invitation: Invitation) -> str:
    """The invitation's token, made from the row and SECRET_KEY: the outbox can make the link again when it
    sends the email, so no copy of it is stored anywhere (the invitation keeps only its hash)."""
    value = f"{invitation.pk}:{invitation.email}:{invitation.created_at.isoformat()}"
    return salted_hmac("opcc.invitation", value, algorithm="sha256").hexdigest()


def invitation_link(message: OutboxMessage) -> str:
    """The link for an invitation's email, made as it is sent (the outbox calls this)."""
    invitation = Invitation.objects.select_for_update().filter(pk=message.object_id).first()
    if invitation is None or invitation.accepted_at is not None:
        raise LinkNoLongerValidError("the invitation has been used or withdrawn")
    if invitation.is_expired:
        raise LinkNoLongerValidError("the invitation has expired")
    token = invitation_token(invitation)
    if invitation.token_hash != _hash(token):
        # Made under another SECRET_KEY (or before tokens were made this way): nobody has been sent the
        # old link, so the one in this email replaces it.
        invitation.token_hash = _hash(token)
        invitation.save(update_fields=["token_hash"])
    return settings.SITE_URL.rstrip("/") + reverse("accept-invitation", args=[token])


@transaction.atomic
def invite(
    *,
    email: str,
    full_name: str = "",
    organisation=None,
    role: str = Role.PROVIDER,
    make_admin: bool = False,
    by,
    template_key: str = "invitation",
    tell_existing_holder: bool = False,
) -> tuple[Invitation, str]:
    """Create an invitation and queue its email. Returns the invitation and the one-time token.

    An address that already has an account is refused, except with `tell_existing_holder` (a provider inviting a
    colleague, who must not learn who has an account): then the invitation is listed as for anyone else, but no
    link is ever made for it; the holder is told by email instead, and the token returned is "".
    """
    email = email.strip().lower()
    if role == Role.PROVIDER and organisation is None:
        raise ValidationError({"organisation": "Choose the organisation this person will act for"})
    holder = User.objects.filter(email__iexact=email).first()
    if holder is not None and not tell_existing_holder:
        raise ValidationError({"email": "An account with this email address already exists"})
    invitation = Invitation.objects.create(
        email=email,
        full_name=full_name,
        role=role,
        organisation=organisation,
        make_admin=make_admin,
        token_hash=secrets.token_hex(32),  # a placeholder until the row, and so its token, exists
        invited_by=by,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    if holder is not None:
        # Listed as waiting like any other, so the inviter cannot tell; its link is never made or sent (the
        # random placeholder matches no token), and the holder is told what happened instead.
        queue_message(
            key=f"invitation-existing:{invitation.pk}",
            to_email=holder.email,
            to_user=holder,
            template_key="invitation-existing-account",
            values={
                "name": holder.full_name or holder.email,
                "organisation": organisation.name if organisation else settings.OFFICE_NAME,
                "invited_by": by.full_name if by else settings.OFFICE_NAME,
                "office": settings.OFFICE_NAME,
            },
            about=invitation,
        )
        return invitation, ""
    token = invitation_token(invitation)
    invitation.token_hash = _hash(token)
    invitation.save(update_fields=["token_hash"])
    queue_message(
        key=f"invitation:{invitation.pk}",
        to_email=email,
        template_key=template_key,
        values={
            "name": full_name or email,
            "organisation": organisation.name if organisation else settings.OFFICE_NAME,
            "invited_by": by.full_name if by else settings.OFFICE_NAME,
            "expires": timezone.localtime(invitation.expires_at).strftime("%-d %B %Y"),
            "office": settings.OFFICE_NAME,
        },
        about=invitation,
        secret_link=OutboxMessage.SecretLink.INVITATION,
    )
    return invitation, token


def find_invitation(token: str) -> Invitation | None:
    return Invitation.objects.select_related("organisation").filter(token_hash=_hash(token)).first()


@transaction.atomic
def accept_invitation(*, token: str, full_name: str, password: str) -> User:
    invitation = Invitation.objects.select_for_update().filter(token_hash=_hash(token)).first()
    if invitation is None:
        raise ValidationError("This invitation link is not valid. Check you copied the whole link.")
    if invitation.accepted_at is not None:
        raise ValidationError("This invitation has already been used. Sign in instead.")
    if invitation.is_expired:
        raise ValidationError(
            "This invitation has expired. Ask the person who invited you to send a new one."
        )
    if User.objects.filter(email=invitation.email).exists():
        raise ValidationError("An account with this email address already exists. Sign in instead.")
    user = User.objects.create_user(
        email=invitation.email, password=password, full_name=full_name, role=invitation.role
    )
    if invitation.organisation_id:
        Membership.objects.create(
            user=user, organisation=invitation.organisation, is_admin=invitation.make_admin
        )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return user
