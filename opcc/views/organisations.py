from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from opcc import selectors
from opcc.forms import DocumentUploadForm, InviteContactForm, OrganisationForm
from opcc.models import Organisation, OrganisationType, Role
from opcc.paging import page_of
from opcc.permissions import require_view_perm
from opcc.services import invitations
from opcc.services.documents import documents_for, store_document


def _get_visible(request, pk):
    organisation = get_object_or_404(Organisation, pk=pk)
    if not request.user.has_perm("opcc.view_organisation", organisation):
        if request.user.role == Role.PROVIDER:
            # A provider asking for another organisation learns nothing, not even that it exists.
            raise Http404("No such organisation")
        raise PermissionDenied
    return organisation


@login_required
def organisation_list(request):
    require_view_perm(request, "opcc.list_organisations")
    query = request.GET.get("q", "").strip()
    org_type = request.GET.get("type", "")
    area = request.GET.get("area", "")
    qs = selectors.search_organisations(
        selectors.organisations_for(request.user), query=query, org_type=org_type, area=area
    )
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "opcc/organisation_list.html",
        {
            "page": page,
            "query": query,
            "org_type": org_type,
            "area": area,
            "types": OrganisationType.choices,
            "areas": selectors.areas_for(request.user),
        },
    )


@login_required
def my_organisations(request):
    if request.user.role != Role.PROVIDER:
        return redirect("organisations:list")
    return render(
        request,
        "opcc/my_organisations.html",
        {"organisations": selectors.provider_organisations(request.user)},
    )


@login_required
def organisation_detail(request, pk):
    organisation = _get_visible(request, pk)
    return render(
        request,
        "opcc/organisation_detail.html",
        {
            "organisation": organisation,
            "members": page_of(
                request, selectors.organisation_members(organisation), per_page=25, param="people-page"
            ),
            "can_change": request.user.has_perm("opcc.change_organisation", organisation),
            "can_invite": request.user.has_perm("opcc.invite_contact", organisation),
            "invitations": page_of(
                request,
                organisation.invitations.filter(accepted_at__isnull=True),
                per_page=25,
                param="invitations-page",
            )
            if request.user.has_perm("opcc.invite_contact", organisation)
            else [],
            "documents": page_of(request, documents_for(organisation), per_page=25, param="documents-page"),
        },
    )


@login_required
def organisation_create(request):
    require_view_perm(request, "opcc.add_organisation")
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            organisation = form.save()
        messages.success(request, f"{organisation.name} has been added.")
        return redirect("organisations:detail", pk=organisation.pk)
    return render(request, "opcc/organisation_form.html", {"form": form, "creating": True})


@login_required
def organisation_edit(request, pk):
    organisation = _get_visible(request, pk)
    require_view_perm(request, "opcc.change_organisation", organisation)
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
        messages.success(request, "The organisation's details have been saved.")
        return redirect("organisations:detail", pk=organisation.pk)
    return render(request, "opcc/organisation_form.html", {"form": form, "organisation": organisation})


@login_required
def invite_contact(request, pk):
    organisation = _get_visible(request, pk)
    require_view_perm(request, "opcc.invite_contact", organisation)
    form = InviteContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation, _token = invitations.invite(
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
                organisation=organisation,
                make_admin=form.cleaned_data["make_admin"],
                by=request.user,
                # A provider's administrator must not learn who has an account; staff can see every account anyway.
                tell_existing_holder=request.user.is_provider,
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request,
                f"An invitation has been sent to {invitation.email}. It expires in "
                f"{settings.INVITATION_VALID_DAYS} days.",
            )
            return redirect("organisations:detail", pk=organisation.pk)
    return render(request, "opcc/invite_contact.html", {"form": form, "organisation": organisation})


@login_required
def upload_document(request, pk):
    organisation = _get_visible(request, pk)
    require_view_perm(request, "opcc.change_organisation", organisation)
    form = DocumentUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                store_document(
                    uploaded=form.cleaned_data["file"],
                    attached_to=organisation,
                    by=request.user,
                    purpose="organisation",
                    title=form.cleaned_data["title"],
                )
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            messages.success(request, f"{form.cleaned_data['title']} has been uploaded.")
            return redirect("organisations:detail", pk=organisation.pk)
    return render(request, "opcc/upload_document.html", {"form": form, "organisation": organisation})
