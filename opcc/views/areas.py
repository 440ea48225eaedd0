from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from opcc import selectors
from opcc.models import LocalPolicingArea
from opcc.paging import page_of
from opcc.permissions import require_view_perm


@login_required
def area_list(request):
    require_view_perm(request, "opcc.list_localpolicingareas")
    return render(request, "opcc/area_list.html", {"areas": selectors.areas_for(request.user)})


@login_required
def area_detail(request, slug):
    area = get_object_or_404(LocalPolicingArea.objects.select_related("csp__organisation"), slug=slug)
    if not request.user.has_perm("opcc.view_localpolicingarea", area):
        if request.user.has_perm("opcc.list_localpolicingareas"):
            # Ambassadors and commanders are told nothing about other areas.
            raise Http404("No such area")
        raise PermissionDenied
    return render(
        request,
        "opcc/area_detail.html",
        {
            "area": area,
            "people": selectors.area_people(area),
            "organisations": page_of(request, area.organisations.order_by("name", "pk")),
        },
    )
