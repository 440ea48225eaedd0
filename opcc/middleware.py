import secrets
import time

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from opcc.views.pages import not_found

SESSION_REFRESH_SECONDS = 60

# Pages a signed-in member of staff may reach before completing two-factor sign-in.
TWO_FACTOR_EXEMPT = (
    "/sign-in/",
    "/sign-out/",
    "/account/two-factor/",
    "/static/",
    "/favicon.ico",
    "/healthz",
    "/accessibility/",
    "/password-reset/",
    "/invitations/",
    "/transparency/",
    "/open-data/",
)


def mark_session_fresh(sender, request, user, **kwargs) -> None:
    """Signing in saves the session anyway: count it as the first refresh (connected in OpccConfig.ready)."""
    if getattr(request, "session", None) is not None:
        request.session["_refreshed"] = int(time.time())


class SessionRefreshMiddleware:
    """The idle timeout (SESSION_COOKIE_AGE since the last request) without writing the session on every
    request: a signed-in person's session is saved, and so its expiry pushed back, at most once a minute.
    A page view then costs no database write, and the timeout is exact to within that minute.
    Sits after SessionMiddleware, so its change is saved on the way out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and session.session_key and not session.is_empty():
            now = int(time.time())
            if now - session.get("_refreshed", 0) >= SESSION_REFRESH_SECONDS:
                session["_refreshed"] = now
        return response


class StaffTwoFactorMiddleware:
    """Staff must complete two-factor sign-in (and set it up on first sign-in) before anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.requires_two_factor
            and not user.is_verified()
            and not request.path.startswith(TWO_FACTOR_EXEMPT)
        ):
            return redirect(reverse("two-factor"))
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """Headers Django does not set itself: a strict Content-Security-Policy and a Permissions-Policy.

    No inline script or style is allowed. A page that truly needs an inline script uses the
    per-request nonce: <script nonce="{{ request.csp_nonce }}">.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):

        request.csp_nonce = secrets.token_urlsafe(16)
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = "; ".join(
                [
                    "default-src 'self'",
                    f"script-src 'self' 'nonce-{request.csp_nonce}'",
                    "style-src 'self'",
                    "img-src 'self' data:",
                    "font-src 'self'",
                    "connect-src 'self'",
                    "object-src 'none'",
                    "base-uri 'none'",
                    "form-action 'self'",
                    "frame-ancestors 'none'",
                ]
            )
        response.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
        )
        return response


class ServiceNotFoundPageMiddleware:
    """With DEBUG on, Django answers a 404 with its technical page, which lists every URL pattern the service
    has. `make run` serves the demo with DEBUG on to people trying the service, so they get the service's
    own "Page not found" instead; a developer who wants Django's page sets DEBUG_TECHNICAL_404=true.
    (With DEBUG off Django already uses handler404, the same page.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code == 404
            and settings.DEBUG
            and not settings.DEBUG_TECHNICAL_404
            and response.get("Content-Type", "").startswith("text/html")
            and not getattr(response, "service_page", False)
        ):
            return not_found(request)
        return response
