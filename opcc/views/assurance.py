"""Due diligence pages: an organisation's checklist (the office and the organisation's own people), sending and
verifying evidence, bank details, the register files, and the officers' list of organisations needing attention."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from opcc import assurance
from opcc.forms_assurance import (
    BankDetailsForm,
    EvidenceForm,
    RegisterImportForm,
    VerifyBankForm,
    VerifyEvidenceForm,
)
from opcc.models import CheckKind, Evidence, Organisation, Register, RegisterEntry, RegisterImport, Role
from opcc.models.assurance import DOCUMENT_KINDS
from opcc.paging import page_of
from opcc.permissions import require_view_perm
from opcc.services import assurance as services
from opcc.services import registers

REGISTER_MAX_BYTES = 200 * 1024 * 1024


def _organisation(request, pk, perm: str = "opcc.view_due_diligence") -> Organisation:
    organisation = get_object_or_404(Organisation, pk=pk)
    if not request.user.has_perm("opcc.view_due_diligence", organisation):
        if request.user.role == Role.PROVIDER:
            raise Http404("No such organisation")  # another organisation's people learn nothing of it
        raise PermissionDenied
    require_view_perm(request, perm, organisation)
    return organisation


def _back(organisation):
    return redirect("organisations:due-diligence", pk=organisation.pk)


@login_required
def due_diligence(request, pk):
    organisation = _organisation(request, pk)
    all_bands = assurance.bands()
    items = assurance.item_states(organisation)
    by_band = [(band, set(assurance.required_kinds(organisation, band))) for band in all_bands]
    entry = None
    if organisation.charity_number or organisation.company_number:
        register, number = (
            (Register.CHARITY, organisation.charity_number)
            if organisation.charity_number
            else (Register.COMPANY, organisation.company_number)
        )
        entry = (
            RegisterEntry.objects.filter(register=register, number=number.upper())
            .select_related("source")
            .first()
        )
    return render(
        request,
        "opcc/due_diligence.html",
        {
            "organisation": organisation,
            "rows": [(item, [band.name for band, kinds in by_band if item.kind in kinds]) for item in items],
            "bands": all_bands,
            "document_kinds": set(DOCUMENT_KINDS),
            "entry": entry,
            "can_submit": request.user.has_perm("opcc.submit_evidence", organisation),
            "can_verify": request.user.has_perm("opcc.verify_evidence", organisation),
            "can_bank": request.user.has_perm("opcc.change_bank_details", organisation),
        },
    )


@login_required
def upload_evidence(request, pk, kind):
    organisation = _organisation(request, pk, "opcc.submit_evidence")
    if kind not in DOCUMENT_KINDS:
        raise Http404("No such check")
    form = EvidenceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_evidence(
                organisation=organisation,
                kind=kind,
                by=request.user,
                uploaded=form.cleaned_data["file"],
                expires_on=form.cleaned_data["expires_on"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            form.add_problems(exc)
        else:
            messages.success(request, f"{CheckKind(kind).label} has been sent to the office to verify.")
            return _back(organisation)
    return render(
        request,
        "opcc/due_diligence_evidence.html",
        {"form": form, "organisation": organisation, "label": CheckKind(kind).label},
    )


@login_required
def verify_evidence(request, pk, evidence_pk):
    organisation = _organisation(request, pk, "opcc.verify_evidence")
    evidence = get_object_or_404(
        Evidence.objects.select_related("document"), pk=evidence_pk, organisation=organisation
    )
    form = VerifyEvidenceForm(request.POST or None, initial={"expires_on": evidence.expires_on})
    if request.method == "POST" and form.is_valid():
        try:
            services.verify_evidence(
                evidence=evidence, by=request.user, expires_on=form.cleaned_data["expires_on"]
            )
        except ValidationError as exc:
            form.add_problems(exc)
        else:
            messages.success(request, f"{evidence.get_kind_display()} has been verified.")
            return _back(organisation)
    return render(
        request,
        "opcc/due_diligence_verify.html",
        {"form": form, "organisation": organisation, "evidence": evidence},
    )


@sensitive_post_parameters("account_number", "sort_code")
@login_required
def bank_details(request, pk):
    organisation = _organisation(request, pk, "opcc.change_bank_details")
    form = BankDetailsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account = services.set_bank_details(
                organisation=organisation, by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_problems(exc)
        else:
            messages.success(
                request,
                f"The account ending {account.account_last4} has been saved. An officer will verify it before "
                "any payment is made.",
            )
            return _back(organisation)
    return render(
        request,
        "opcc/due_diligence_bank.html",
        {"form": form, "organisation": organisation, "current": assurance.current_bank_account(organisation)},
    )


@login_required
def verify_bank_details(request, pk):
    organisation = _organisation(request, pk, "opcc.verify_evidence")
    account = assurance.current_bank_account(organisation)
    if account is None:
        raise Http404("No bank details to verify")
    form = VerifyBankForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.verify_bank_details(
                organisation=organisation, by=request.user, note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            form.add_problems(exc)
        else:
            messages.success(request, f"The account ending {account.account_last4} has been verified.")
            return _back(organisation)
    return render(
        request,
        "opcc/due_diligence_verify_bank.html",
        {"form": form, "organisation": organisation, "account": account},
    )


@login_required
@require_POST
def register_check(request, pk):
    organisation = _organisation(request, pk, "opcc.verify_evidence")
    try:
        services.record_register_check(organisation=organisation, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "The registration check has been recorded.")
    return _back(organisation)


@login_required
def needing_attention(request):
    require_view_perm(request, "opcc.list_due_diligence")
    page = page_of(request, assurance.organisations_needing_attention(), per_page=25)
    states = assurance.states_for_page(list(page.object_list))
    rows = [(o, [s for s in states[o.pk] if s.status != assurance.Status.VERIFIED]) for o in page.object_list]
    return render(request, "opcc/due_diligence_list.html", {"page": page, "rows": rows})


@login_required
def register_import(request):
    require_view_perm(request, "opcc.import_register")
    form = RegisterImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        if uploaded.size > REGISTER_MAX_BYTES:
            form.add_error("file", "The selected file must be smaller than 200MB")
        else:
            try:
                with transaction.atomic():
                    record = registers.import_register(
                        register=form.cleaned_data["register"],
                        data=uploaded.read(),
                        name=uploaded.name or "upload",
                        by=request.user,
                    )
            except registers.RegisterFileError as exc:
                form.add_error("file", str(exc))
            else:
                messages.success(
                    request,
                    f"{record.file_name}: {record.rows_read:,} entries read, {record.rows_kept:,} kept for "
                    "organisations the office works with.",
                )
                return redirect("organisations:register-import")
    imports = page_of(request, RegisterImport.objects.select_related("imported_by"), per_page=10)
    return render(request, "opcc/register_import.html", {"form": form, "imports": imports})
