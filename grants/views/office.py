"""The office's grants page: the rounds and the lists its counts lead to."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from grants import selectors
from grants.models import Application
from opcc.paging import page_of
from opcc.permissions import require_view_perm

# The lists the office's counts lead to (`?status=`), with their headings.
STATUS_LISTS = {
    Application.Status.SUBMITTED: "Submitted, waiting for assessment",
    Application.Status.IN_ASSESSMENT: "In assessment",
    Application.Status.APPROVED: "Approved, not yet offered",
    Application.Status.OFFERED: "Offers waiting for acceptance",
}


@login_required
def index(request):
    require_view_perm(request, "grants.view_grants")
    status = request.GET.get("status")
    listing = None
    if status in STATUS_LISTS:
        page = Paginator(selectors.applications_in_status(status), 50).get_page(request.GET.get("page"))
        listing = {"status": status, "heading": STATUS_LISTS[status], "page": page}
    return render(
        request,
        "grants/index.html",
        {
            "rounds": page_of(request, selectors.rounds(), per_page=25, param="rounds-page"),
            "counts": selectors.office_counts(),
            "listing": listing,
            "can_manage": request.user.has_perm("grants.manage_rounds"),
        },
    )
