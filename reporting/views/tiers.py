"""Proportionate monitoring pages: an award's tier (an officer may change it, with a reason), its annual reviews, and
the office's list of visits and annual reviews due."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from funding.models import Award
from opcc.paging import page_of
from opcc.permissions import require_view_perm
from opcc.views.forms import run
from reporting.forms.tiers import AnnualReviewForm, TierOverrideForm
from reporting.selectors import tiers as selectors
from reporting.services import tiers


def _office_award(request, pk) -> Award:
    require_view_perm(request, "reporting.view_monitoring")
    return get_object_or_404(Award.objects.select_related("organisation", "pot"), pk=pk)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


@login_required
def award_tier(request, pk):
    award = _office_award(request, pk)
    require_view_perm(request, "reporting.change_monitoring_tier", award)
    tier, record = selectors.award_tier(award)
    form = TierOverrideForm(request.POST or None, initial={"tier": tier.pk})

    def overridden(done) -> str:
        message = f"{award.reference} is now monitored at the {done.record.tier.name.lower()} tier."
        if done.calendar.removed or done.calendar.added:
            message += (
                f" Returns removed: {done.calendar.removed}; added: {done.calendar.added}. The chasing "
                f"follows the new calendar."
            )
        if done.calendar.kept:
            message += f" {_plural(done.calendar.kept, 'return')} the provider has started kept."
        return message

    done, _ = run(
        request,
        form,
        lambda data: tiers.override(award=award, tier=data["tier"], reason=data["reason"], by=request.user),
        success=overridden,
    )
    if done:
        return redirect("reporting:award", pk=award.pk)
    return render(
        request, "reporting/award_tier.html", {"award": award, "tier": tier, "record": record, "form": form}
    )


@login_required
def annual_review(request, pk):
    award = _office_award(request, pk)
    require_view_perm(request, "reporting.record_annual_review")
    form = AnnualReviewForm(request.POST or None)
    done, _ = run(
        request,
        form,
        lambda data: tiers.record_annual_review(award=award, by=request.user, **data),
        success=lambda review: f"The annual review of {review.reviewed_on:%-d %B %Y} has been recorded.",
    )
    if done:
        return redirect("reporting:award", pk=award.pk)
    return render(request, "reporting/annual_review_form.html", {"award": award, "form": form})


@login_required
def due(request):
    require_view_perm(request, "reporting.view_monitoring")
    today = timezone.localdate()
    return render(
        request,
        "reporting/visits_and_reviews_due.html",
        {
            "page": page_of(request, selectors.visits_and_reviews_due(today), per_page=50),
            "today": today,
            "within_days": selectors.DUE_WITHIN_DAYS,
        },
    )
