"""A password-reset or invitation link exists only in the email sent: staff can read no working one anywhere."""

import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode

from opcc.models import Invitation, OutboxMessage, Role, User
from opcc.services import invitations
from opcc.tasks import flush_outbox
from tests.conftest import sign_in

RESET = re.compile(r"/password-reset/([A-Za-z0-9_\-]+)/([A-Za-z0-9_\-]+)/")
INVITE = re.compile(r"/invitations/([A-Za-z0-9_\-]+)/")
NEW_PASSWORD = "an entirely new passphrase"


def working_links(text: str) -> list[str]:
    """Every reset or invitation link in the text that would still let someone in."""
    found = []
    for uid, token in RESET.findall(text):
        try:
            user = User.objects.filter(pk=force_str(urlsafe_base64_decode(uid))).first()
        except (ValueError, TypeError):
            user = None
        if user is not None and default_token_generator.check_token(user, token):
            found.append(f"/password-reset/{uid}/{token}/")
    for token in INVITE.findall(text):
        invitation = invitations.find_invitation(token)
        if invitation is not None and invitation.accepted_at is None:
            found.append(f"/invitations/{token}/")
    return found


def link_in(email, marker: str) -> str:
    line = next(line for line in email.body.splitlines() if marker in line)
    return "/" + line.strip().split("://", 1)[1].split("/", 1)[1]


@pytest.fixture
def secrets_queued(client, world, django_capture_on_commit_callbacks):
    """Two resets and two invitations: one of each sent, one of each still waiting to be sent."""
    provider, officer = world.users[Role.PROVIDER], world.users[Role.COMMISSIONING_OFFICER]
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/password-reset/", {"email": provider.email}).status_code == 302
    client.post("/password-reset/", {"email": world.other_provider.email})  # its send never ran: pending
    sign_in(client, officer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/organisations/{world.organisation.pk}/invite/",
            {"full_name": "Sam New", "email": "sam@example.org"},
        )
    client.post(
        f"/organisations/{world.organisation.pk}/invite/",
        {"full_name": "Kim Late", "email": "kim@example.org"},
    )
    client.post("/sign-out/")
    assert len(mail.outbox) == 2
    assert OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING).count() == 2
    return {
        "reset": link_in(mail.outbox[0], "/password-reset/"),
        "invitation": link_in(mail.outbox[1], "/invitations/"),
    }


def test_the_emails_sent_hold_working_links(secrets_queued):
    assert working_links(secrets_queued["reset"]) == [secrets_queued["reset"]]
    assert working_links(secrets_queued["invitation"]) == [secrets_queued["invitation"]]


def test_the_stored_messages_hold_no_link_or_token(secrets_queued):
    sent_tokens = [
        secrets_queued["reset"].strip("/").rsplit("/", 1)[1],
        secrets_queued["invitation"].strip("/").rsplit("/", 1)[1],
    ]
    messages = list(OutboxMessage.objects.filter(key__regex=r"^(password-reset|invitation):"))
    assert len(messages) == 4
    for message in messages:
        stored = f"{message.key} {message.subject} {message.body} {message.last_error}"
        assert not working_links(stored), message.key
        assert not any(token in stored for token in sent_tokens)
        assert "link withheld" in message.body


@pytest.mark.parametrize("role", [Role.HEAD_OF_COMMISSIONING, Role.COMMISSIONING_OFFICER])
def test_staff_find_no_working_link_anywhere_they_can_read(client, world, secrets_queued, role):
    sign_in(client, world.users[role])
    pages = [
        "/admin/opcc/outboxmessage/",
        "/admin/opcc/outboxmessage/?status__exact=pending",
        "/admin/opcc/outboxmessage/?q=password-reset",
        "/home/",
        f"/organisations/{world.organisation.pk}/",
    ]
    pages += [
        f"/admin/opcc/outboxmessage/{pk}/change/" for pk in OutboxMessage.objects.values_list("pk", flat=True)
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert not working_links(page), url
        assert secrets_queued["reset"] not in page and secrets_queued["invitation"] not in page
    # The change page says what was withheld, so nobody mistakes it for a broken email.
    message = OutboxMessage.objects.filter(key__startswith="password-reset:").first()
    assert "link withheld" in client.get(f"/admin/opcc/outboxmessage/{message.pk}/change/").content.decode()


def test_a_reset_link_made_when_a_late_message_is_sent_resets_the_password(client, world):
    user = world.users[Role.PROVIDER]
    client.post("/password-reset/", {"email": user.email})  # left waiting, as after a crash
    assert flush_outbox() == 1
    link = link_in(mail.outbox[0], "/password-reset/")
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert not working_links(link)  # used once, then dead


def test_an_invitation_link_made_when_its_message_is_sent_creates_the_account(client, world):
    invitation, token = invitations.invite(
        email="late@example.org", organisation=world.organisation, by=world.users[Role.COMMISSIONING_OFFICER]
    )
    assert flush_outbox() == 1
    link = link_in(mail.outbox[0], "/invitations/")
    assert link == f"/invitations/{token}/"
    response = client.post(
        link, {"full_name": "Lee Late", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert User.objects.filter(email="late@example.org").exists()


def test_an_invitation_accepted_or_withdrawn_before_its_email_goes_is_not_sent(world):
    invitation, _token = invitations.invite(
        email="gone@example.org", organisation=world.organisation, by=world.users[Role.COMMISSIONING_OFFICER]
    )
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    flush_outbox()
    assert not mail.outbox
    message = OutboxMessage.objects.get(key=f"invitation:{invitation.pk}")
    assert message.status == OutboxMessage.Status.FAILED
    assert "no longer valid" in message.last_error


def test_links_stored_before_they_were_withheld_are_taken_out_and_waiting_ones_get_new_links(world):
    import importlib
    from datetime import timedelta

    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType

    migration = importlib.import_module("opcc.migrations.0004_outbox_secret_links")
    provider = world.users[Role.PROVIDER]
    old_reset = OutboxMessage.objects.create(
        key=f"password-reset:{provider.pk}:abc",
        to_email=provider.email,
        to_user=provider,
        subject="Reset",
        body="Open this link:\n\nhttp://127.0.0.1:8000/password-reset/MTA/dj2t76-db1aeda5519a/\n\nThanks",
        status=OutboxMessage.Status.SENT,
    )
    invitation = Invitation.objects.create(
        email="old@example.org",
        organisation=world.organisation,
        token_hash=invitations._hash("old-token"),
        expires_at=timezone.now() + timedelta(days=3),
    )
    old_invite = OutboxMessage.objects.create(
        key=f"invitation:{invitation.pk}",
        to_email=invitation.email,
        subject="Join",
        body="Create your account:\n\nhttp://127.0.0.1:8000/invitations/old-token/\n\nThanks",
        content_type=ContentType.objects.get_for_model(Invitation),
        object_id=invitation.pk,
    )

    migration.withhold_stored_links(apps, None)
    old_reset.refresh_from_db()
    old_invite.refresh_from_db()
    for message in (old_reset, old_invite):
        assert "/password-reset/MTA/" not in message.body and "old-token" not in message.body
        assert "link withheld" in message.body and message.body.endswith("Thanks")
    assert (old_reset.secret_link, old_invite.secret_link) == ("", "invitation")
    # The stored (and so staff-readable) token stops working; the email sent now has one that works.
    assert invitations.find_invitation("old-token") is not None
    flush_outbox()
    assert invitations.find_invitation("old-token") is None
    assert working_links(link_in(mail.outbox[0], "/invitations/"))
