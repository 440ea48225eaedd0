import base64
import time

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from opcc.forms import (
    AcceptInvitationForm,
    GOVUKPasswordResetForm,
    GOVUKSetPasswordForm,
    SignInForm,
    TokenForm,
)
from opcc.ratelimit import limit
from opcc.services import invitations
from opcc.services.demo_accounts import demo_accounts

DEMO_DEVICE_NAME = "demo"


def admin_login(request):
    """The admin site's sign-in is the service's own. Someone already signed in reaches it only because
    the admin site is not for their role: a 403, not a redirect back to the admin (which would loop)."""
    if request.user.is_authenticated:
        if request.user.is_active and request.user.is_staff:
            return redirect("admin:index")
        raise PermissionDenied
    query = request.META.get("QUERY_STRING", "")
    return redirect(f"{reverse('sign-in')}{'?' + query if query else ''}")


@method_decorator(limit(scope="sign-in", per_minute=settings.RATE_LIMIT_SIGN_IN), name="dispatch")
class SignInView(auth_views.LoginView):
    template_name = "registration/sign_in.html"
    form_class = SignInForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if settings.DEMO_MODE:
            context["demo_accounts"] = demo_accounts()
        return context


def locked_out(request, original_response=None, credentials=None):
    """Axes' lockout response: the sign-in page again, with the reason in the error summary."""
    form = SignInForm(request, data=request.POST or None)
    form.is_valid()  # binds the typed email so it is kept
    form.errors.clear()
    form.add_error(
        None,
        "Too many failed attempts: sign-in to this account is locked for 15 minutes. "
        "You can reset your password instead.",
    )
    context = {"form": form, "locked": True}
    if settings.DEMO_MODE:
        context["demo_accounts"] = demo_accounts()
    return render(request, "registration/sign_in.html", context, status=429)


def _safe_next(request):
    target = request.GET.get("next") or request.POST.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("home")


def _demo_code(device):
    if not (settings.DEMO_MODE and device is not None and device.name == DEMO_DEVICE_NAME):
        return None
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=0)
    return str(code).zfill(device.digits)


@login_required
def two_factor(request):
    """Second step of signing in: the code from the authenticator app."""
    user = request.user
    if user.is_verified():
        return redirect(_safe_next(request))
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        return redirect("two-factor-setup")
    form = TokenForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        otp_login(request, device)
        return redirect(_safe_next(request))
    return render(request, "registration/two_factor.html", {"form": form, "demo_code": _demo_code(device)})


@login_required
def two_factor_setup(request):
    """Set up an authenticator app: required for staff, optional for providers."""
    user = request.user
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists() and not user.is_verified():
        return redirect("two-factor")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    form = TokenForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        TOTPDevice.objects.filter(user=user, confirmed=True).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        otp_login(request, device)
        messages.success(request, "Two-factor sign-in is set up. You will need a code each time you sign in.")
        return redirect("home")
    qr = segno.make(device.config_url, error="m")
    qr_svg = qr.svg_inline(
        scale=4, dark="#0b0c0c", light="#ffffff", title="QR code for your authenticator app"
    )
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return render(
        request,
        "registration/two_factor_setup.html",
        {
            "form": form,
            "qr_svg": qr_svg,
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "required": user.requires_two_factor,
        },
    )


@require_POST
def sign_out(request):
    logout(request)
    messages.success(request, "You have signed out.")
    return redirect("sign-in")


def accept_invitation(request, token):
    invitation = invitations.find_invitation(token)
    problem = None
    if invitation is None:
        problem = "This invitation link is not valid. Check you copied the whole link from the email."
    elif invitation.accepted_at is not None:
        problem = "This invitation has already been used. Sign in with the email address it was sent to."
    elif invitation.is_expired:
        problem = "This invitation has expired. Ask the person who invited you to send you a new one."
    if problem:
        return render(
            request,
            "registration/invitation_problem.html",
            {"problem": problem},
            status=410 if invitation else 404,
        )
    form = AcceptInvitationForm(
        request.POST or None, email=invitation.email, initial={"full_name": invitation.full_name}
    )
    if request.method == "POST" and form.is_valid():
        try:
            user = invitations.accept_invitation(
                token=token, full_name=form.cleaned_data["full_name"], password=form.cleaned_data["password1"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, "Your account is ready.")
            return redirect("two-factor-setup" if user.requires_two_factor else "home")
    return render(request, "registration/accept_invitation.html", {"form": form, "invitation": invitation})


@method_decorator(
    limit(scope="password-reset", per_minute=settings.RATE_LIMIT_PASSWORD_RESET), name="dispatch"
)
class PasswordResetView(auth_views.PasswordResetView):
    template_name = "registration/password_reset.html"
    form_class = GOVUKPasswordResetForm
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("password-reset-sent")


class PasswordResetSentView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_sent.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"
    form_class = GOVUKSetPasswordForm
    success_url = reverse_lazy("password-reset-complete")
    post_reset_login = False


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"


@login_required
def account(request):
    devices = TOTPDevice.objects.filter(user=request.user, confirmed=True)
    return render(request, "opcc/account.html", {"devices": devices, "now": time.time()})
