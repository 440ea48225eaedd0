"""Registering an organisation tells nobody whether an email address has an account; nor do password reset and
invitation links."""

import re

from django.core import mail

from opcc.models import Invitation, Membership, Organisation, OutboxMessage, Role, User

PASSWORD = "a long pass phrase 2026"


def registration(email: str, name: str = "Leominster Youth Club") -> dict:
    return {
        "name": name,
        "org_type": "registered_charity",
        "charity_number": "1123456",
        "company_number": "",
        "address_line_1": "1 Etnam Street",
        "town": "Leominster",
        "postcode": "hr6 8ah",
        "full_name": "Sam Price",
        "job_title": "Director",
        "contact_email": email,
    }


def register(client, email: str, name: str, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/grants/register/", registration(email, name))
    page = client.get(response["Location"]) if response.status_code == 302 else response
    return response, re.sub(re.escape(email), "EMAIL", page.content.decode(), flags=re.IGNORECASE)


def test_a_known_address_and_a_new_one_get_the_same_answer(client, world, django_capture_on_commit_callbacks):
    holder = world.users[Role.PROVIDER]
    response, page = register(
        client, "sam@example.org", "Leominster Youth Club", django_capture_on_commit_callbacks
    )
    known_response, known_page = register(
        client, holder.email.upper(), "Copycat Trust", django_capture_on_commit_callbacks
    )

    assert (response.status_code, response["Location"]) == (
        known_response.status_code,
        known_response["Location"],
    )
    assert response["Location"] == "/grants/register/sent/"
    csrf = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert csrf.sub("", page) == csrf.sub("", known_page)
    assert "Check your email" in page and "already" not in page.lower()
    assert "_auth_user_id" not in client.session  # nobody is signed in by registering

    # Nothing is made for the address that has an account; its holder is told by email instead.
    assert not Organisation.objects.filter(name="Copycat Trust").exists()
    assert User.objects.filter(email__iexact=holder.email).count() == 1
    assert not Invitation.objects.filter(email=holder.email).exists()
    warning = OutboxMessage.objects.get(template_key="registration-attempt")
    assert (warning.to_email, warning.to_user) == (holder.email, holder)
    assert (
        "tried to register" in warning.body
        and "/sign-in/" in warning.body
        and "/password-reset/" in warning.body
    )
    assert "/invitations/" not in warning.body
    sent = [m for m in mail.outbox if m.to == [holder.email]]
    assert len(sent) == 1 and sent[0].subject == "Someone tried to register with your email address"

    # The new address is sent a link to create its account: no account exists until it is used.
    assert Organisation.objects.filter(name="Leominster Youth Club").exists()
    assert not User.objects.filter(email="sam@example.org").exists()
    assert [m.to for m in mail.outbox] == [["sam@example.org"], [holder.email]]


def test_the_new_contact_creates_the_account_from_the_emailed_link(
    client, db, django_capture_on_commit_callbacks
):
    register(client, "Sam@Example.org", "Leominster Youth Club", django_capture_on_commit_callbacks)
    (email,) = mail.outbox
    link = re.search(r"https?://[^/\s]+(/invitations/[^\s]+/)", email.body).group(1)
    page = client.get(link).content.decode()
    assert "Leominster Youth Club" in page and "sam@example.org" in page
    response = client.post(link, {"full_name": "Sam Price", "password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 302
    user = User.objects.get(email="sam@example.org")
    membership = Membership.objects.get(user=user)
    assert user.role == Role.PROVIDER and membership.is_admin
    assert (
        membership.organisation.name == "Leominster Youth Club"
        and membership.organisation.postcode == "HR6 8AH"
    )
    assert client.session["_auth_user_id"] == str(user.pk)


def test_the_registration_page_asks_for_no_password_and_says_what_happens_next(client, db):
    page = client.get("/grants/register/").content.decode()
    assert 'type="password"' not in page
    assert "We will email you a link to create your account" in page


def test_password_reset_answers_the_same_for_a_known_and_an_unknown_address(
    client, world, django_capture_on_commit_callbacks
):
    holder = world.users[Role.PROVIDER]
    answers = []
    for address in (holder.email, "nobody@example.org"):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/password-reset/", {"email": address})
        answers.append((response.status_code, response["Location"], client.get(response["Location"]).content))
    assert answers[0] == answers[1]
    assert [m.to for m in mail.outbox] == [[holder.email]]


def test_an_invitation_link_that_does_not_work_names_no_address(client, world):
    response = client.get("/invitations/not-a-real-token/")
    page = response.content.decode()
    assert response.status_code == 404 and "This invitation link is not valid" in page
    assert "@" not in page.split("<main", 1)[1].split("</main>", 1)[0]


def test_registering_over_and_over_is_slowed_down(client, db, settings):
    for _ in range(settings.RATE_LIMIT_PASSWORD_RESET):
        assert client.post("/grants/register/", registration("sam@example.org")).status_code in (200, 302)
    assert client.post("/grants/register/", registration("sam@example.org")).status_code == 429


def test_a_provider_inviting_a_colleague_learns_nothing_about_who_has_an_account(
    client, world, django_capture_on_commit_callbacks
):
    from tests.conftest import sign_in

    sign_in(client, world.users[Role.PROVIDER])
    url = f"/organisations/{world.organisation.pk}/invite/"
    pages = []
    for email in ("new.colleague@example.org", world.other_provider.email):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, {"full_name": "A Colleague", "email": email})
        assert response.status_code == 302
        page = client.get(response["Location"]).content.decode()
        banner = re.search(r'govuk-notification-banner__heading">(.*?)</', page, re.S).group(1)
        pages.append((response["Location"], re.sub(re.escape(email), "EMAIL", banner).strip()))
    assert pages[0] == pages[1] and "An invitation has been sent to EMAIL" in pages[0][1]
    # Both are listed as waiting for the invitee, as any invitation is.
    assert "new.colleague@example.org: expires" in page and f"{world.other_provider.email}: expires" in page
    assert "already" not in page.lower()

    # The holder of the existing account is told, and nothing joins them to the organisation.
    assert not Membership.objects.filter(user=world.other_provider, organisation=world.organisation).exists()
    told = OutboxMessage.objects.get(template_key="invitation-existing-account")
    assert told.to_email == world.other_provider.email and world.organisation.name in told.body
    assert "/invitations/" not in told.body
    assert [m.to for m in mail.outbox] == [["new.colleague@example.org"], [world.other_provider.email]]
    assert "/invitations/" not in mail.outbox[1].body


def test_a_registration_email_says_you_registered_not_that_someone_invited_you(
    client, db, django_capture_on_commit_callbacks
):
    register(client, "sam@example.org", "Leominster Youth Club", django_capture_on_commit_callbacks)
    (email,) = mail.outbox
    assert email.subject == "Create your account for Leominster Youth Club"
    assert "You registered Leominster Youth Club" in email.body and "invited you" not in email.body
