"""Registering a provider organisation, the service behind the portal's registration page.

The person registering is told the same thing whatever address they give ("check your email"), so the page cannot
be used to find out who has an account. What happens next is told only to the address's owner, by email:

- a new address is sent an invitation to create the account, as the organisation's administrator; the account
  exists only once the link in that email is used, so nobody can register (or sign in) as an address they cannot
  read;
- an address that already has an account is told that someone tried to register with it, and how to sign in or
  reset the password; nothing is saved.
"""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.crypto import get_random_string

from opcc.models import Organisation, Role, User
from opcc.services import invitations
from opcc.services.notifications import queue_message


@transaction.atomic
def register_organisation(*, organisation: Organisation, areas_served, full_name: str, email: str) -> None:
    """Register `organisation` (not yet saved) with its first contact, or tell the holder of `email` it is taken."""
    email = email.strip().lower()
    holder = User.objects.filter(email__iexact=email).first()
    if holder is not None:
        site = settings.SITE_URL.rstrip("/")
        queue_message(
            key=f"registration-attempt:{holder.pk}:{get_random_string(12)}",
            to_email=holder.email,
            to_user=holder,
            template_key="registration-attempt",
            values={
                "name": holder.full_name or holder.email,
                "office": settings.OFFICE_NAME,
                "sign_in_link": site + reverse("sign-in"),
                "reset_link": site + reverse("password-reset"),
            },
        )
        return
    organisation.full_clean()
    organisation.save()
    organisation.areas_served.set(areas_served)
    invitations.invite(
        email=email,
        full_name=full_name,
        organisation=organisation,
        role=Role.PROVIDER,
        make_admin=True,
        by=None,
        template_key="registration-confirm",
    )
