"""Grant variations: the award's list, asking or proposing, the decision, the letter, acceptance and withdrawal."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from funding.models import Award, AwardKind
from grants import selectors, variation_letters
from grants.forms.variations import (
    AcceptVariationForm,
    DecideVariationForm,
    VariationForm,
    WithdrawVariationForm,
)
from grants.models import Variation
from grants.services import variations as variation_services
from opcc.models import Role
from opcc.paging import page_of
from opcc.permissions import require_view_perm
from opcc.services.transitions import timeline_for
from opcc.views.documents import as_download
from opcc.views.forms import run

HIDDEN_FROM = (Role.PROVIDER, Role.COMMUNITY_AMBASSADOR, Role.AREA_COMMANDER)


def _award(request, pk) -> Award:
    """The grant award, if this person may see it. A provider asking about another's learns nothing."""
    award = Award.objects.select_related("organisation", "pot").filter(pk=pk, kind=AwardKind.GRANT).first()
    if award is None:
        raise Http404("No such grant")
    if not request.user.has_perm("funding.view_award", award):
        if request.user.role in HIDDEN_FROM:
            raise Http404("No such grant")
        raise PermissionDenied
    return award


def _variation(request, pk) -> Variation:
    variation = (
        Variation.objects.select_related(
            "award__organisation", "award__pot", "requested_by", "decided_by", "letter", "accepted_letter"
        )
        .filter(pk=pk)
        .first()
    )
    if variation is None:
        raise Http404("No such variation")
    if not request.user.has_perm("grants.view_variation", variation):
        if request.user.role in HIDDEN_FROM:
            raise Http404("No such variation")
        raise PermissionDenied
    return variation


@login_required
def award_variations(request, award_pk):
    award = _award(request, award_pk)
    user = request.user
    return render(
        request,
        "grants/variations/award.html",
        {
            "award": award,
            "variations": page_of(request, award.variations.select_related("requested_by"), per_page=20),
            "can_start": award.status == Award.Status.ACTIVE
            and (
                user.has_perm("grants.request_variation", award) or user.has_perm("grants.propose_variation")
            ),
            "is_provider": user.role == Role.PROVIDER,
        },
    )


@login_required
def variation_new(request, award_pk):
    award = _award(request, award_pk)
    is_provider = request.user.role == Role.PROVIDER
    require_view_perm(
        request, "grants.request_variation" if is_provider else "grants.propose_variation", award
    )
    if award.status != Award.Status.ACTIVE:
        messages.info(request, "Only an active grant can be varied.")
        return redirect("grants:award-variations", award_pk=award.pk)
    form = VariationForm(request.POST or None, award=award)
    done, variation = run(
        request,
        form,
        lambda data: variation_services.start_variation(award=award, by=request.user, **data),
        success=lambda v: (
            f"Variation {v.reference} has been {'sent to the office' if is_provider else 'proposed'}."
        ),
    )
    if done:
        return redirect("grants:variation", pk=variation.pk)
    return render(
        request,
        "grants/variations/form.html",
        {
            "award": award,
            "form": form,
            "is_provider": is_provider,
            "paid": variation_services.ledger.paid_on_award(award),
        },
    )


@login_required
def variation_detail(request, pk):
    variation = _variation(request, pk)
    user = request.user
    undecided = variation.status in Variation.UNDECIDED
    return render(
        request,
        "grants/variations/detail.html",
        {
            "variation": variation,
            "award": variation.award,
            "changes": variation_letters.changes(variation),
            "timeline": timeline_for(variation),
            "hide_timeline_notes": user.role == Role.PROVIDER,
            "can_decide": undecided and user.has_perm("grants.decide_variation", variation),
            "decided_by_others": undecided
            and user.role != Role.PROVIDER
            and variation_services.refusal_for(variation, user),
            "can_accept": variation.status == Variation.Status.LETTER_SENT
            and user.has_perm("grants.accept_variation", variation),
            "can_withdraw": variation.is_open and user.has_perm("grants.withdraw_variation", variation),
            "lapsed_deadline": variation.status == Variation.Status.LETTER_SENT
            and variation.accept_by is not None
            and variation.accept_by < timezone.localdate(),
        },
    )


@login_required
def variation_decide(request, pk):
    variation = _variation(request, pk)
    require_view_perm(request, "grants.decide_variation", variation)
    if variation.status not in Variation.UNDECIDED:
        messages.info(request, "This variation has already been decided.")
        return redirect("grants:variation", pk=variation.pk)
    form = DecideVariationForm(
        request.POST or None,
        variation=variation,
        by=request.user,
        initial={"accept_by": variation_services.default_accept_by()},
    )
    done, _ = run(
        request,
        form,
        lambda data: variation_services.decide_variation(
            variation=variation, by=request.user, expected_state=variation.status, **data
        ),
        success=lambda v: (
            "The variation has been approved and its letter sent to the provider."
            if v.status == Variation.Status.LETTER_SENT
            else "The variation has been refused and the provider told why."
        ),
    )
    if done:
        return redirect("grants:variation", pk=variation.pk)
    return render(
        request,
        "grants/variations/decide.html",
        {
            "variation": variation,
            "award": variation.award,
            "form": form,
            "changes": variation_letters.changes(variation),
        },
    )


@login_required
def variation_letter(request, pk):
    variation = _variation(request, pk)
    document = variation.accepted_letter or variation.letter
    if document is None:
        raise Http404("No letter yet")
    with document.file.open("rb") as stored:
        data = stored.read()
    return as_download(
        HttpResponse(data, content_type="application/pdf"),
        filename=f"variation-letter-{variation.reference}.pdf",
    )


@login_required
def variation_accept(request, pk):
    variation = _variation(request, pk)
    require_view_perm(request, "grants.accept_variation", variation)
    if variation.status != Variation.Status.LETTER_SENT:
        messages.info(request, "There is no variation letter waiting to be accepted.")
        return redirect("grants:variation", pk=variation.pk)
    form = AcceptVariationForm(
        request.POST or None, initial={"name": request.user.full_name, "role": request.user.job_title}
    )
    done, _ = run(
        request,
        form,
        lambda data: variation_services.accept_variation(variation=variation, by=request.user, **data),
        success="You have accepted the variation. Your grant has changed as the letter says.",
    )
    if done:
        return redirect("grants:variation", pk=variation.pk)
    return render(
        request,
        "grants/variations/accept.html",
        {
            "variation": variation,
            "award": variation.award,
            "form": form,
            "changes": variation_letters.changes(variation),
        },
    )


@login_required
def variation_withdraw(request, pk):
    variation = _variation(request, pk)
    require_view_perm(request, "grants.withdraw_variation", variation)
    if not variation.is_open:
        messages.info(request, "This variation is finished, so it cannot be withdrawn.")
        return redirect("grants:variation", pk=variation.pk)
    form = WithdrawVariationForm(request.POST or None)
    done, _ = run(
        request,
        form,
        lambda data: variation_services.withdraw_variation(variation=variation, by=request.user, **data),
        success="The variation has been withdrawn. The grant is unchanged.",
    )
    if done:
        return redirect("grants:variation", pk=variation.pk)
    return render(request, "grants/variations/withdraw.html", {"variation": variation, "form": form})


@login_required
def variations_waiting(request):
    """Variations waiting for a decision that this person's delegated authority covers."""
    require_view_perm(request, "grants.list_decisions")
    waiting = selectors.variations_waiting_for(request.user.role)
    return render(request, "grants/variations/waiting.html", {"page": page_of(request, waiting, per_page=50)})
