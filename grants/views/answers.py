"""The applicant's answers: each section, the partnership's plan, the documents, and submitting."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django_fsm import TransitionNotAllowed

from grants import gates, sections
from grants.forms._fields import to_bool, yes_no
from grants.forms.application import (
    AttachmentForm,
    BudgetForm,
    DeclarationForm,
    NeedForm,
    ProjectForm,
    ProjectLineForm,
)
from grants.models import Application
from grants.services import applications as application_services
from grants.views._common import _editable
from opcc.forms import errors_to_form as _errors_to_form
from opcc.services.documents import documents_for
from opcc.views.forms import run

SECTION_FORMS = {
    "project": (sections.PROJECT, ProjectForm, ("title", "summary", "area", "start_date", "end_date")),
    "need": (sections.NEED, NeedForm, ("need", "outcomes", "prevention")),
    "budget": (
        sections.BUDGET,
        BudgetForm,
        ("amount_requested", "budget", "match_funding_amount", "match_funding_source"),
    ),
}


def _section_form(application, slug, data):
    """The section's form, filled in with what the application says so far."""
    _section, form_class, names = SECTION_FORMS[slug]
    kwargs = {}
    if slug == "project":
        kwargs["show_area"] = application.round.scheme.decided_by_area
    if slug == "budget":
        kwargs["max_award"] = application.round.max_award
    initial = {n: getattr(application, n) for n in names}
    if slug == "need":
        initial["prevention"] = yes_no(application.prevention)
    if slug == "budget" and not application.match_funding_amount:
        initial["match_funding_amount"] = None
    return form_class(data, initial=initial, **kwargs)


def _section_values(slug, cleaned: dict) -> dict:
    """The answers as the application stores them: yes/no as a boolean, no match funding as 0, blanks as ""."""
    values = {n: cleaned[n] for n in SECTION_FORMS[slug][2] if n in cleaned}
    if slug == "need":
        values["prevention"] = to_bool(values["prevention"])
    if slug == "budget":
        values["match_funding_amount"] = values["match_funding_amount"] or 0
    for key in ("title", "summary", "need", "outcomes", "budget", "match_funding_source"):
        if key in values and values[key] is None:
            values[key] = ""
    return values


@login_required
def section(request, pk, slug):
    if slug not in SECTION_FORMS:
        raise Http404
    application, stop = _editable(request, pk)
    if stop:
        return stop
    section_ = SECTION_FORMS[slug][0]
    form = _section_form(application, slug, request.POST or None)
    done, _ = run(
        request,
        form,
        lambda data: application_services.save_section(
            application=application, by=request.user, values=_section_values(slug, data)
        ),
        success=f"{section_.title} has been saved.",
    )
    if done:
        return redirect("grants:application", pk=application.pk)
    return render(
        request, "grants/section.html", {"application": application, "form": form, "section": section_}
    )


@login_required
def plan(request, pk):
    application, stop = _editable(request, pk)
    if stop:
        return stop
    if not application.round.scheme.is_csp:
        raise Http404
    form = ProjectLineForm(request.POST or None if "add" in request.POST else None)
    if request.method == "POST":
        if "remove" in request.POST:
            application_services.remove_project(
                application=application, by=request.user, project_id=int(request.POST["remove"] or 0)
            )
            return redirect("grants:plan", pk=application.pk)
        if "done" in request.POST:
            if not application.projects.exists():
                form.add_error(None, "Add at least one project to the plan")
            else:
                application_services.mark_section_done(application=application, by=request.user, slug="plan")
                return redirect("grants:application", pk=application.pk)
        elif form.is_valid():
            try:
                application_services.add_project(
                    application=application, by=request.user, **form.cleaned_data
                )
            except ValidationError as exc:
                _errors_to_form(form, exc)
            else:
                application_services.mark_section_done(
                    application=application, by=request.user, slug="plan", done=False
                )
                messages.success(request, "The project has been added to the plan.")
                return redirect("grants:plan", pk=application.pk)
    projects = list(application.projects.all())
    return render(
        request,
        "grants/plan.html",
        {
            "application": application,
            "form": form,
            "projects": projects,
            "total": sum(p.amount for p in projects),
        },
    )


@login_required
def attachments(request, pk):
    application, stop = _editable(request, pk)
    if stop:
        return stop
    form = AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if "remove" in request.POST:
            try:
                name = application_services.remove_attachment(
                    application=application, by=request.user, document_id=int(request.POST["remove"] or 0)
                )
            except (ValidationError, ValueError) as exc:
                messages.error(
                    request, " ".join(getattr(exc, "messages", ["That document cannot be removed"]))
                )
            else:
                messages.success(request, f"{name} has been removed.")
            return redirect("grants:attachments", pk=application.pk)
        if "done" in request.POST:
            application_services.mark_section_done(
                application=application, by=request.user, slug="attachments"
            )
            messages.success(request, "Supporting documents marked as complete.")
            return redirect("grants:application", pk=application.pk)
        if form.is_valid():
            if not form.cleaned_data["file"]:
                form.add_error("file", "Select a file")
            else:
                try:
                    application_services.add_attachment(
                        application=application,
                        by=request.user,
                        uploaded=form.cleaned_data["file"],
                        title=form.cleaned_data["title"],
                    )
                except ValidationError as exc:
                    form.add_error("file", exc.messages)
                else:
                    messages.success(request, f"{form.cleaned_data['title']} has been uploaded.")
                    return redirect("grants:attachments", pk=application.pk)
    listed = list(documents_for(application, "attachment"))
    for document in listed:
        document.removable = gates.may_remove_attachment(application, document)
    return render(
        request, "grants/attachments.html", {"application": application, "form": form, "documents": listed}
    )


# Which section holds each answer, so a problem found at submission links to where it is changed.
ANSWER_SECTIONS = {name: slug for slug, (_, _, names) in SECTION_FORMS.items() for name in names}


def _answer_field_id(name: str) -> str:
    # The first box of a GOV.UK date input (the day) and the first radio carry the field's id with a suffix.
    suffix = {"start_date": "_0", "end_date": "_0", "prevention": "_1"}.get(name, "")
    return f"id_{name}{suffix}"


def _answer_errors(application, form, exc) -> list[dict]:
    """Split a refused submission: problems with answers given in a section are returned with a link to change
    them; the rest (the declaration, anything general) go on the declaration form."""
    found = []
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        rest = {}
        for name, problems in exc.message_dict.items():
            if name in ANSWER_SECTIONS:
                href = (
                    reverse("grants:section", args=[application.pk, ANSWER_SECTIONS[name]])
                    + "#"
                    + _answer_field_id(name)
                )
                found += [{"message": problem, "href": href} for problem in problems]
            else:
                rest[name] = problems
        exc = ValidationError(rest) if rest else None
    if exc is not None:
        _errors_to_form(form, exc)
    return found


@login_required
def submit(request, pk):
    application, stop = _editable(request, pk)
    if stop:
        return stop
    project_count = len(application.projects.all())
    missing = sections.incomplete_sections(application, project_count=project_count)
    form = DeclarationForm(
        request.POST or None,
        initial={
            "name": application.declaration_name or request.user.full_name,
            "role": application.declaration_role or request.user.job_title,
        },
    )
    answer_errors = []
    if request.method == "POST" and form.is_valid():
        try:
            application_services.submit(application=application, by=request.user, **form.cleaned_data)
        except (ValidationError, TransitionNotAllowed) as exc:
            answer_errors = _answer_errors(application, form, exc)
        else:
            if application.status == Application.Status.DRAFT:
                return redirect("grants:submitted", pk=application.pk)
            messages.success(request, f"Application {application.reference} has been sent to the office.")
            return redirect("grants:application", pk=application.pk)
    return render(
        request,
        "grants/submit.html",
        {
            "application": application,
            "form": form,
            "missing": missing,
            "round": application.round,
            "closed": application.status == Application.Status.DRAFT and application.round.has_closed(),
            "attachments": documents_for(application, "attachment"),
            "answer_errors": answer_errors,
            "has_errors": bool(answer_errors),
            "change_answers": request.user.has_perm("grants.edit_application", application),
        },
    )
