"""The app's URLs plus the floor: a bare view that renders a template with one query."""

from django.shortcuts import render
from django.urls import include, path

from opcc.models import LocalPolicingArea


def floor(request):
    return render(request, "bench/floor.html", {"count": LocalPolicingArea.objects.count()})


urlpatterns = [
    path("bench/floor/", floor),
    path("", include("opcc.urls")),
]
