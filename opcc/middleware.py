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
    """Headers Django does not set itself."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
        )
        return response
