from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from freezegun import freeze_time

from opcc.models import Invitation, Membership, Role, User
from opcc.services import invitations
from tests.conftest import current_code, sign_in
from tests.factories import PASSWORD, UserFactory


def post_sign_in(client, email, password=PASSWORD):
    return client.post("/sign-in/", {"username": email, "password": password})


@pytest.mark.parametrize("role", [r for r in Role if r != Role.PROVIDER])
def test_staff_sign_in_needs_the_security_code_before_anything_else(client, world, role):
    user = world.users[role]
    response = post_sign_in(client, user.email)
    assert response.status_code == 302
    # Any page but the two-factor step sends them back to it.
    response = client.get("/home/")
    assert response.status_code == 302 and response["Location"] == "/sign-in/two-factor/"
    # Not in yet: the security-code page offers no menu and does not say they are signed in, only "Sign out".
    code_page = client.get("/sign-in/two-factor/").content.decode()
    assert "Your account" not in code_page and "Signed in as" not in code_page and "Sign out" in code_page
    response = client.post("/sign-in/two-factor/", {"token": current_code(user)})
    assert response.status_code == 302
    home = client.get("/home/")
    assert home.status_code == 200
    assert user.full_name in home.content.decode()


def test_a_wrong_security_code_is_refused_with_a_clear_error(client, world):
    user = world.users[Role.PCC]
    post_sign_in(client, user.email)
    code = current_code(user)
    wrong = "000000" if code != "000000" else "111111"
    response = client.post("/sign-in/two-factor/", {"token": wrong})
    assert response.status_code == 200
    assert "The security code is wrong or has expired" in response.content.decode()
    assert client.get("/home/").status_code == 302


def test_a_provider_signs_in_without_two_factor(client, world):
    user = world.users[Role.PROVIDER]
    response = post_sign_in(client, user.email)
    assert response.status_code == 302
    home = client.get("/home/")
    assert home.status_code == 200
    assert "Marches Support" in home.content.decode()


def test_staff_without_a_device_must_set_one_up(client, db):
    user = UserFactory(role=Role.FINANCE_OFFICER, two_factor=False)
    post_sign_in(client, user.email)
    response = client.get("/sign-in/two-factor/")
    assert response.status_code == 302 and response["Location"] == "/account/two-factor/set-up/"
    page = client.get("/account/two-factor/set-up/")
    assert "Set up two-factor sign-in" in page.content.decode()
    assert "<svg" in page.content.decode()
    assert (
        client.post("/account/two-factor/set-up/", {"token": current_unconfirmed_code(user)}).status_code
        == 302
    )
    assert client.get("/home/").status_code == 200


def current_unconfirmed_code(user):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user=user, confirmed=False)
    return str(totp(device.bin_key)).zfill(6)


@pytest.mark.parametrize(
    "email,password", [("provider@example.org", "wrong password"), ("nobody@example.org", PASSWORD)]
)
def test_wrong_password_and_unknown_email_get_the_same_clear_error(client, world, email, password):
    response = post_sign_in(client, email, password)
    body = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in body
    assert "Enter a correct email address and password" in body
    assert f'value="{email}"' in body  # what they typed is kept
    assert "_auth_user_id" not in client.session


def test_empty_sign_in_names_each_missing_field(client, db):
    body = client.post("/sign-in/", {"username": "", "password": ""}).content.decode()
    assert "Enter your email address" in body and "Enter your password" in body
    assert "<title>Error: Sign in" in body


def test_lockout_after_repeated_failures_refuses_even_the_right_password(client, world, settings):
    user = world.users[Role.PROVIDER]
    for _ in range(settings.AXES_FAILURE_LIMIT):
        post_sign_in(client, user.email, "not the password")
    response = post_sign_in(client, user.email, PASSWORD)
    assert response.status_code == 429
    body = response.content.decode()
    assert "govuk-error-summary" in body and "locked for 15 minutes" in body
    assert "_auth_user_id" not in client.session


def test_sign_out_is_a_post_and_ends_the_session(client, world):
    sign_in(client, world.users[Role.PROVIDER])
    assert client.get("/sign-out/").status_code == 405
    client.post("/sign-out/")
    assert client.get("/home/").status_code == 302


def test_a_forged_csrf_token_is_refused_and_changes_nothing(world):
    client = Client(enforce_csrf_checks=True)
    sign_in(client, world.users[Role.COMMISSIONING_OFFICER])
    before = world.organisation.name
    response = client.post(
        f"/organisations/{world.organisation.pk}/edit/",
        {"name": "Hijacked", "csrfmiddlewaretoken": "forged"},
    )
    assert response.status_code == 403
    body = response.content.decode()
    assert "govuk-error-summary" in body and "Nothing was saved" in body
    world.organisation.refresh_from_db()
    assert world.organisation.name == before


def test_sessions_expire_after_two_idle_hours_and_activity_keeps_them_alive(client, world):
    from django.contrib.sessions.models import Session
    from freezegun import freeze_time

    with freeze_time("2026-11-25 09:00:00") as clock:
        sign_in(client, world.users[Role.PROVIDER])
        assert client.get("/home/").status_code == 200
        key = client.session.session_key

        def expiry():
            return Session.objects.get(session_key=key).expire_date

        first = expiry()
        clock.tick(timedelta(seconds=30))
        assert client.get("/home/").status_code == 200
        assert expiry() == first  # within the minute: no write
        for _ in range(3):  # an hour and a half of steady work, a request every half hour
            clock.tick(timedelta(minutes=30))
            assert client.get("/home/").status_code == 200
        assert expiry() > first + timedelta(minutes=85)
        clock.tick(timedelta(hours=1, minutes=59))
        assert client.get("/home/").status_code == 200  # still within two hours of the last request
        clock.tick(timedelta(hours=2, minutes=1))
        response = client.get("/home/")
        assert response.status_code == 302 and "/sign-in/" in response["Location"]


class TestInvitations:
    def test_an_officer_invites_a_provider_contact_who_creates_an_account(
        self, client, world, django_capture_on_commit_callbacks
    ):
        sign_in(client, world.users[Role.COMMISSIONING_OFFICER])
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                f"/organisations/{world.organisation.pk}/invite/",
                {"full_name": "Sam New", "email": "Sam.New@Example.org"},
            )
        assert response.status_code == 302
        assert len(mail.outbox) == 1
        link = next(line for line in mail.outbox[0].body.splitlines() if "/invitations/" in line)
        token = link.rsplit("/invitations/", 1)[1].strip("/")
        client.post("/sign-out/")
        response = client.post(
            f"/invitations/{token}/",
            {
                "full_name": "Sam New",
                "password1": "a long new passphrase",
                "password2": "a long new passphrase",
            },
        )
        assert response.status_code == 302
        user = User.objects.get(email="sam.new@example.org")
        assert user.role == Role.PROVIDER
        assert Membership.objects.filter(user=user, organisation=world.organisation).exists()
        # The link works once.
        again = client.get(f"/invitations/{token}/")
        assert again.status_code == 410 and "already been used" in again.content.decode()

    def test_an_expired_invitation_gets_a_clear_message_and_creates_nobody(self, client, world):
        invitation, token = invitations.invite(
            email="late@example.org",
            organisation=world.organisation,
            by=world.users[Role.COMMISSIONING_OFFICER],
        )
        Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
        response = client.post(
            f"/invitations/{token}/",
            {"full_name": "Late", "password1": "a long new passphrase", "password2": "a long new passphrase"},
        )
        assert response.status_code == 410
        assert "This invitation has expired" in response.content.decode()
        assert "govuk-error-summary" in response.content.decode()
        assert not User.objects.filter(email="late@example.org").exists()

    def test_a_made_up_token_is_not_found(self, client, db):
        response = client.get("/invitations/not-a-real-token/")
        assert response.status_code == 404
        assert "not valid" in response.content.decode()

    def test_mismatched_passwords_keep_what_was_typed(self, client, world):
        _, token = invitations.invite(
            email="typo@example.org",
            organisation=world.organisation,
            by=world.users[Role.COMMISSIONING_OFFICER],
        )
        response = client.post(
            f"/invitations/{token}/",
            {
                "full_name": "Tia Typo",
                "password1": "a long new passphrase",
                "password2": "a long new passphrasf",
            },
        )
        body = response.content.decode()
        assert "The passwords do not match" in body and 'value="Tia Typo"' in body
        assert not User.objects.filter(email="typo@example.org").exists()

    def test_a_provider_cannot_invite_to_another_organisation(self, client, world):
        sign_in(client, world.users[Role.PROVIDER])
        response = client.post(
            f"/organisations/{world.other_organisation.pk}/invite/",
            {"full_name": "X", "email": "x@example.org"},
        )
        assert response.status_code == 404
        assert not Invitation.objects.exists()

    def test_inviting_an_existing_account_is_refused(self, client, world):
        sign_in(client, world.users[Role.COMMISSIONING_OFFICER])
        response = client.post(
            f"/organisations/{world.organisation.pk}/invite/",
            {"full_name": "Dup", "email": world.other_provider.email},
        )
        assert "An account with this email address already exists" in response.content.decode()


def test_password_reset_sends_a_link_through_the_outbox_that_sets_a_new_password(
    client, world, django_capture_on_commit_callbacks
):
    user = world.users[Role.PROVIDER]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/password-reset/", {"email": user.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/password-reset/" in line)
    path = link.split("://", 1)[1].split("/", 1)[1]
    response = client.get("/" + path, follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url,
        {"new_password1": "an entirely new passphrase", "new_password2": "an entirely new passphrase"},
    )
    assert response.status_code == 302
    client.post("/sign-out/")
    assert post_sign_in(client, user.email, "an entirely new passphrase").status_code == 302
    assert client.get("/home/").status_code == 200


def test_password_reset_for_an_unknown_email_says_the_same_and_sends_nothing(client, db):
    response = client.post("/password-reset/", {"email": "nobody@example.org"}, follow=True)
    assert "Check your email" in response.content.decode()
    assert len(mail.outbox) == 0


@freeze_time(
    "2026-11-02 10:00:05"
)  # the limits count per clock minute: a slow run must not cross into the next
def test_sign_in_and_password_reset_are_rate_limited_per_address(client, db, settings):
    from django.core.cache import cache

    cache.clear()
    for _ in range(settings.RATE_LIMIT_PASSWORD_RESET):
        assert client.post("/password-reset/", {"email": "someone@example.org"}).status_code == 302
    response = client.post("/password-reset/", {"email": "someone@example.org"})
    assert response.status_code == 429 and "Too many requests" in response.content.decode()
    assert response["Retry-After"] == "60"
    for _ in range(settings.RATE_LIMIT_SIGN_IN):
        client.post("/sign-in/", {"username": f"x{_}@example.org", "password": "x"})
    assert client.post("/sign-in/", {"username": "y@example.org", "password": "x"}).status_code == 429
    assert client.get("/sign-in/").status_code == 200  # reading the page is never limited
    cache.clear()


def test_the_sign_in_page_shows_organisations_how_to_register(client, db):
    page = client.get("/sign-in/").content.decode()
    assert 'href="/grants/register/"' in page and "register your organisation" in page


@pytest.mark.parametrize("role", [Role.PROVIDER, Role.AUDITOR])
def test_the_admin_site_refuses_signed_in_people_it_is_not_for_instead_of_looping(client, world, role):
    sign_in(client, world.users[role])
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403
    assert len(response.redirect_chain) <= 2


def test_the_admin_site_sends_anonymous_visitors_to_the_service_sign_in(client, db):
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/sign-in/?next=")


@pytest.mark.parametrize("role", [Role.COMMISSIONING_OFFICER, Role.HEAD_OF_COMMISSIONING])
def test_the_admin_site_lists_the_settings_an_officer_may_edit(client, world, role):
    sign_in(client, world.users[role])
    page = client.get("/admin/").content.decode()
    assert "have permission to view or edit anything" not in page
    for section in (
        "/admin/opcc/messagetemplate/",
        "/admin/commissioning/procurementband/",
        "/admin/reporting/chasestep/",
    ):
        assert f'href="{section}"' in page, section
    listing = client.get("/admin/opcc/messagetemplate/").content.decode()
    assert "have permission to view or edit anything" not in listing


def test_the_demo_sign_in_list_says_which_agency_an_evaluator_acts_for(client, db, settings):
    from tests.factories import OrganisationFactory

    settings.DEMO_MODE = True
    agency = OrganisationFactory(name="Worcestershire County Council (demo)")
    UserFactory(email="evaluator@demo.westmercia-opcc.example", role=Role.EVALUATOR, agency=agency)
    page = client.get("/sign-in/").content.decode()
    row = page[page.index("evaluator@demo.westmercia-opcc.example") :]
    assert "Worcestershire County Council (demo)" in row[: row.index("</tr>")]


def test_the_head_of_commissioning_edits_the_grant_schemes_and_delegation_levels_and_officers_read_them(
    client, world
):
    from funding.models import DelegationLevel
    from grants import defaults
    from grants.models import Scheme

    defaults.ensure()
    scheme, level = (
        Scheme.objects.get(kind="cgs"),
        DelegationLevel.objects.get(decides="grant", role=Role.COMMISSIONING_OFFICER),
    )
    sign_in(client, world.users[Role.HEAD_OF_COMMISSIONING])
    index = client.get("/admin/").content.decode()
    assert 'href="/admin/grants/scheme/"' in index and 'href="/admin/funding/delegationlevel/"' in index
    form = client.get(f"/admin/funding/delegationlevel/{level.pk}/change/")
    assert form.status_code == 200 and 'name="up_to"' in form.content.decode()
    response = client.post(
        f"/admin/funding/delegationlevel/{level.pk}/change/", {"label": level.label, "up_to": "30000"}
    )
    assert response.status_code == 302
    level.refresh_from_db()
    assert level.up_to == 30000
    sign_in(client, world.users[Role.COMMISSIONING_OFFICER])
    page = client.get(f"/admin/grants/scheme/{scheme.pk}/change/").content.decode()
    assert "View scheme" in page and 'name="standard_conditions"' not in page  # read only
    assert (
        client.post(
            f"/admin/funding/delegationlevel/{level.pk}/change/", {"label": level.label, "up_to": "99999999"}
        ).status_code
        == 403
    )
