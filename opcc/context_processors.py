from django.conf import settings

from opcc import navigation


def service(request):
    user = getattr(request, "user", None)
    return {
        "OFFICE_NAME": settings.OFFICE_NAME,
        "SERVICE_NAME": settings.SERVICE_NAME,
        "DEMO_MODE": settings.DEMO_MODE,
        "service_navigation": navigation.items_for(user, request.path) if user is not None else [],
    }
