from django.conf import settings

from opcc import navigation


def service(request):
    user = getattr(request, "user", None)
    # Staff who have not yet given their security code are not in yet: no menu but "Sign out".
    signing_in = bool(
        user is not None and user.is_authenticated and user.requires_two_factor and not user.is_verified()
    )
    return {
        "signing_in": signing_in,
        "OFFICE_NAME": settings.OFFICE_NAME,
        "SERVICE_NAME": settings.SERVICE_NAME,
        "DEMO_MODE": settings.DEMO_MODE,
        # Callables: the template works them out only on a page that shows them.
        "footer_links": navigation.footer_links,
        "sign_in_notes": navigation.sign_in_notes,
        "service_navigation": navigation.items_for(user, request.path)
        if user is not None and not signing_in
        else [],
    }
