"""Contract copies: officers upload a redacted PDF of each contract over £10,000, a second person reviews it, and the
public downloads the approved copy from the contract's transparency page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from funding.models import Award
from opcc.paging import page_of
from opcc.permissions import require_view_perm
from opcc.views.documents import as_download
from opcc.views.forms import run
from reporting.forms.copies import ApproveForm, ContractCopyForm, SendBackForm
from reporting.models import ContractCopy
from reporting.selectors import contract_copies as copies
from reporting.selectors import transparency as published
from reporting.services import contract_copies as services
from reporting.services import descriptions as description_services
from reporting.views import public_texts


@require_GET
@login_required
def copy_list(request):
    require_view_perm(request, "reporting.view_contractcopy")
    return render(
        request,
        "reporting/copies/list.html",
        {
            "waiting": page_of(request, copies.awaiting_review(), param="waiting"),
            "missing": page_of(request, copies.contracts_without_copy(), param="missing"),
        },
    )


@login_required
def upload(request, pk):
    require_view_perm(request, "reporting.upload_contract_copy")
    award = get_object_or_404(Award.objects.select_related("organisation"), pk=pk)
    if services.copy_problems(award) is not None:
        raise Http404("This award takes no published copy")
    form = ContractCopyForm(request.POST or None, request.FILES or None)
    done, _ = run(
        request,
        form,
        lambda data: services.upload_copy(
            award=award, uploaded=data["file"], redactions=data["redactions"], by=request.user
        ),
        success="The copy has been uploaded. Someone else must review it before it is published.",
    )
    if done:
        return redirect("reporting:contract-copies")
    return render(
        request,
        "reporting/copies/upload.html",
        {"form": form, "award": award, "history": copies.copies_of(award)},
    )


def _copy(pk) -> ContractCopy:
    return get_object_or_404(
        ContractCopy.objects.select_related("award__organisation", "uploaded_by", "reviewed_by", "document"),
        pk=pk,
    )


@login_required
def review(request, pk):
    require_view_perm(request, "reporting.view_contractcopy")
    copy = _copy(pk)
    form = SendBackForm(request.POST or None)
    done, _ = run(
        request,
        form,
        lambda data: services.reject_copy(copy=copy, reason=data["reason"], by=request.user),
        success=f"The copy of {copy.award.reference} has been sent back to {copy.uploaded_by}.",
    )
    if done:
        return redirect("reporting:contract-copies")
    return render(
        request,
        "reporting/copies/review.html",
        {
            "copy": copy,
            "form": form,
            "own": copy.uploaded_by_id == request.user.pk,
            "may_review": request.user.has_perm("reporting.review_contract_copy"),
        },
    )


@require_POST
@login_required
def approve(request, pk):
    require_view_perm(request, "reporting.review_contract_copy")
    copy = _copy(pk)
    form = ApproveForm(request.POST)
    done, _ = run(
        request,
        form,
        lambda data: services.approve_copy(copy=copy, by=request.user),
        success=f"The copy of {copy.award.reference} is published on the contract's transparency page.",
    )
    if done:
        return redirect("reporting:contract-copies")
    return render(
        request,
        "reporting/copies/review.html",
        {"copy": copy, "form": SendBackForm(), "approve_form": form, "may_review": True},
    )


@require_GET
def public_copy(request, reference):
    """The approved copy, without sign-in; anything else (none yet, awaiting review, sent back) is not found."""
    copy = copies.published_copy(reference)
    if copy is None:
        raise Http404("No published copy of this contract")
    return as_download(
        FileResponse(copy.document.file.open("rb"), content_type="application/pdf"),
        filename=f"contract-{copy.award.reference}-redacted.pdf",
    )


# ---- The publication review of award purposes ------------------------------------------------------------------


@require_GET
@login_required
def descriptions(request):
    require_view_perm(request, "reporting.review_public_text")
    return render(
        request,
        "reporting/copies/descriptions.html",
        {
            "page": page_of(request, published.descriptions_to_review(), per_page=20),
            "user_pk": request.user.pk,
            "sections": public_texts.sections(request),
        },
    )


@require_POST
@login_required
def approve_description(request, pk):
    require_view_perm(request, "reporting.review_public_text")
    award = get_object_or_404(Award, pk=pk)
    try:
        description_services.approve_description(award=award, by=request.user)
    except (PermissionDenied, ValidationError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, f"The title and description of {award.reference} are published.")
    return redirect("reporting:public-descriptions")
