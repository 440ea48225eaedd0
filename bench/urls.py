"""The app's URLs plus the floors: bare views that render a template with one query.

`floor` is Django's own minimum (anonymous, a bare template). `floor/signed-in` is the same bare view for a
signed-in member of staff, so it pays for what every staff page pays for (the session, the user, the
two-factor check). `floor/layout` adds the service's page layout (header, navigation, footer): the cheapest
real page a signed-in person can be shown. The results table gives each page's ratio to the first."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import include, path

from opcc.models import LocalPolicingArea


def floor(request):
    return render(request, "bench/floor.html", {"count": LocalPolicingArea.objects.count()})


@login_required
def floor_layout(request):
    return render(request, "bench/floor_layout.html", {"count": LocalPolicingArea.objects.count()})


urlpatterns = [
    path("bench/floor/", floor),
    path("bench/floor/signed-in/", login_required(floor)),
    path("bench/floor/layout/", floor_layout),
    path("", include("opcc.urls")),
]
