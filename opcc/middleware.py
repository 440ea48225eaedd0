from django.shortcuts import redirect
from django.urls import reverse

# Pages a signed-in member of staff may reach before completing two-factor sign-in.
TWO_FACTOR_EXEMPT = (
    "/sign-in/",
    "/sign-out/",
    "/account/two-factor/",
    "/static/",
    "/healthz",
    "/accessibility/",
    "/password-reset/",
    "/invitations/",
    "/transparency/",
    "/open-data/",
)


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
        import secrets

        request.csp_nonce = secrets.token_urlsafe(16)
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = "; ".join([
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
            ])
        response.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
        )
        return response
