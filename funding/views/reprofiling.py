"""Moving an award's money between its financial years."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from funding.forms import ReprofileForm
from funding.services import reprofiling
from funding.views._common import _visible_award
from opcc.permissions import require_view_perm
from opcc.views.forms import run


@login_required
def reprofile(request, pk):
    award = _visible_award(request, pk)
    require_view_perm(request, "funding.reprofile_award", award)
    form = ReprofileForm(request.POST or None, years=reprofiling.current_profile(award))
    done, _ = run(
        request,
        form,
        lambda data: reprofiling.reprofile_award(
            award=award, profile=form.profile(), by=request.user, reason=data["reason"]
        ),
        success=f"{award.reference}: the money has been moved between years and the payment schedule follows.",
    )
    if done:
        return redirect("funding:award", pk=award.pk)
    return render(request, "funding/reprofile.html", {"award": award, "form": form})
