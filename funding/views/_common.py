"""What the funding pages share: the year asked for, and an award the person may see (or a refusal)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from funding.models import Award, FinancialYear


def _year(start_year: int) -> FinancialYear:
    return get_object_or_404(FinancialYear, start_year=start_year)


def _visible_award(request, pk):
    award = get_object_or_404(Award.objects.select_related("organisation"), pk=pk)
    if not request.user.has_perm("funding.view_award", award):
        if request.user.is_provider:
            raise Http404("No such award")
        raise PermissionDenied
    return award
