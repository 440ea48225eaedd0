from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_fsm import TransitionNotAllowed

from funding.models import PaymentScheduleKind
from grants import forms, letters, registration, sections, selectors, services
from grants.models import Application, Round
from grants.rules import decision_amount
from opcc.forms import errors_to_form as _errors_to_form
from opcc.models import Objective, Role
from opcc.paging import page_of
from opcc.ratelimit import limit
from opcc.services.documents import documents_for
from opcc.services.transitions import timeline_for
from opcc.views.documents import as_download


def _require(request, perm, obj=None):
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _application(request, pk) -> Application:
    """The application, if this person may see it. A provider or area decider asking for another's learns nothing."""
    try:
        application = selectors.application_detail(pk)
    except Application.DoesNotExist:
        raise Http404("No such application") from None
    if not request.user.has_perm("grants.view_application", application):
        if request.user.role in (Role.PROVIDER, Role.COMMUNITY_AMBASSADOR, Role.AREA_COMMANDER):
            raise Http404("No such application")
        raise PermissionDenied
    return application


def _editable(request, pk):
    application = _application(request, pk)
    _require(request, "grants.withdraw_application", application)  # a member of the applying organisation
    if not application.is_editable:
        messages.info(request, "This application has been submitted, so it cannot be changed now.")
        return application, redirect("grants:application", pk=application.pk)
    return application, None


# The office -----------------------------------------------------------------------------------------

# The lists the office's counts lead to (`?status=`), with their headings.
STATUS_LISTS = {
    Application.Status.SUBMITTED: "Submitted, waiting for assessment",
    Application.Status.IN_ASSESSMENT: "In assessment",
    Application.Status.APPROVED: "Approved, not yet offered",
    Application.Status.OFFERED: "Offers waiting for acceptance",
}


@login_required
def index(request):
    _require(request, "grants.view_grants")
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


def _round_initial(round_):
    if round_ is None:
        return {"acceptance_days": 28, "opens_time": "09:00", "closes_time": "12:00"}
    opens, closes = timezone.localtime(round_.opens_at), timezone.localtime(round_.closes_at)
    initial = {
        "scheme": round_.scheme,
        "name": round_.name,
        "summary": round_.summary,
        "eligibility": round_.eligibility,
        "priorities": round_.priorities,
        "opens_date": opens.date(),
        "opens_time": opens.time(),
        "closes_date": closes.date(),
        "closes_time": closes.time(),
        "max_award": round_.max_award,
        "pot": round_.pot,
        "acceptance_days": round_.acceptance_days,
        "decisions_by": round_.decisions_by,
        "objectives": list(round_.objectives.all()),
    }
    for i, c in enumerate(round_.criteria.all()):
        initial.update(
            {f"criterion_{i}_name": c.name, f"criterion_{i}_kind": c.kind, f"criterion_{i}_weight": c.weight}
        )
    return initial


@login_required
def round_form(request, pk=None):
    _require(request, "grants.manage_rounds")
    round_ = get_object_or_404(Round, pk=pk) if pk else None
    form = forms.RoundForm(request.POST or None, initial=_round_initial(round_), creating=round_ is None)
    if request.method == "POST" and form.is_valid():
        try:
            round_ = services.save_round(
                round_=round_,
                criteria=form.criteria(),
                by=request.user,
                objectives=list(form.cleaned_data["objectives"]),
                **form.round_values,
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                form.add_round_errors(exc.message_dict)
            else:
                _errors_to_form(form, exc)
        else:
            messages.success(request, f"{round_.name} has been saved.")
            return redirect("grants:round", pk=round_.pk)
    return render(request, "grants/round_form.html", {"form": form, "round": round_})


@login_required
def round_detail(request, pk):
    _require(request, "grants.view_grants")
    round_ = get_object_or_404(
        Round.objects.select_related("scheme", "year", "pot").prefetch_related(
            Prefetch("objectives", Objective.objects.select_related("priority"))
        ),
        pk=pk,
    )
    applications = (
        selectors.applications()
        .filter(round=round_)
        .exclude(status=Application.Status.DRAFT)
        .order_by("reference")
    )
    return render(
        request,
        "grants/round_detail.html",
        {
            "round": round_,
            "applications": page_of(request, applications),
            "criteria": round_.criteria.all(),
            "drafts": round_.applications.filter(status=Application.Status.DRAFT).count(),
            "batch": round_.letter_batches.first(),
            "offered": round_.applications.filter(status=Application.Status.OFFERED).count(),
            "can_manage": request.user.has_perm("grants.manage_rounds"),
            "can_letters": request.user.has_perm("grants.make_offer"),
        },
    )


@login_required
def round_letters(request, pk):
    _require(request, "grants.make_offer")
    round_ = get_object_or_404(Round, pk=pk)
    if request.method == "POST":
        with transaction.atomic():
            batch = services.request_letter_batch(round_=round_, by=request.user)
        messages.success(
            request, f"Letters for {batch.total} offer{'s' if batch.total != 1 else ''} are being prepared."
        )
        return redirect("grants:round-letters", pk=round_.pk)
    batch = round_.letter_batches.first()
    copies = []
    if batch is not None:
        from django.contrib.contenttypes.models import ContentType

        from opcc.models import Document

        copies = Document.objects.filter(
            content_type=ContentType.objects.get_for_model(Application),
            object_id__in=round_.applications.values("pk"),
            purpose="offer_letter_copy",
            uploaded_at__gte=batch.requested_at,
        ).order_by("original_name")
    return render(
        request,
        "grants/round_letters.html",
        {
            "round": round_,
            "batch": batch,
            "copies": page_of(request, copies),
            "offered": round_.applications.filter(status=Application.Status.OFFERED).count(),
        },
    )


@login_required
def letter_template(request):
    _require(request, "grants.edit_letter_template")
    template = services.current_template()
    form = forms.LetterTemplateForm(
        request.POST or None,
        placeholders=letters.PLACEHOLDERS,
        initial={"letterhead": template.letterhead, "body": template.body},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_template(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(
                request, "The offer letter has been saved. Letters already accepted do not change."
            )
            return redirect("grants:letter-template-preview")
    return render(request, "grants/letter_template.html", {"form": form, "template": template})


@login_required
def letter_template_preview(request):
    _require(request, "grants.edit_letter_template")
    template = services.current_template()
    html = letters.render_letter_html(
        letterhead=template.letterhead, body=template.body, values=letters.sample_values()
    )
    if request.GET.get("format") == "pdf":
        pdf = letters.render_letter_pdf(
            letterhead=template.letterhead, body=template.body, values=letters.sample_values()
        )
        return as_download(
            HttpResponse(pdf, content_type="application/pdf"), filename="offer-letter-preview.pdf"
        )
    return render(request, "grants/letter_preview.html", {"html": html, "template": template})


# The provider portal --------------------------------------------------------------------------------


@limit(scope="registration", per_minute=settings.RATE_LIMIT_PASSWORD_RESET)
def register(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = forms.RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        registration.register_organisation(
            organisation=form.save(commit=False),
            areas_served=data["areas_served"],
            full_name=data["full_name"],
            email=data["contact_email"],
        )
        request.session["registered_email"] = data["contact_email"]
        return redirect("grants:register-sent")
    return render(request, "grants/register.html", {"form": form})


def register_sent(request):
    """The same page whether or not the address has an account: what happens next is in the email."""
    if request.user.is_authenticated:
        return redirect("home")
    return render(
        request,
        "grants/register_sent.html",
        {"email": request.session.get("registered_email", ""), "valid_days": settings.INVITATION_VALID_DAYS},
    )


@login_required
def apply(request):
    _require(request, "grants.apply")
    now = timezone.now()
    organisations = _my_organisations(request.user)
    rounds, not_open = [], []
    for round_ in (
        Round.objects.select_related("scheme")
        .filter(opens_at__lte=now, closes_at__gte=now)
        .order_by("closes_at")
    ):
        refusals = [round_.refusal_for(o) for o in organisations]
        if all(refusals) and refusals:
            round_.refusal = refusals[0]
            not_open.append(round_)
        else:
            rounds.append(round_)
    return render(request, "grants/apply.html", {"rounds": rounds, "not_open": not_open})


def _my_organisations(user):
    return [m.organisation for m in user.memberships.select_related("organisation__csp")]


@login_required
def start(request, round_pk):
    _require(request, "grants.apply")
    round_ = get_object_or_404(Round.objects.select_related("scheme"), pk=round_pk)
    own = _my_organisations(request.user)
    organisations = [o for o in own if not round_.refusal_for(o)]
    error = None
    if request.method == "POST":
        chosen = next((o for o in organisations if str(o.pk) == request.POST.get("organisation")), None)
        if chosen is None and len(organisations) == 1:
            chosen = organisations[0]
        if chosen is None:
            error = "Choose the organisation you are applying for"
        else:
            try:
                application = services.start_application(round_=round_, organisation=chosen, by=request.user)
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                return redirect("grants:application", pk=application.pk)
    # A draft already started for the round is continued, not started again (the service returns it too).
    drafts = [d for d in (services.draft_for(round_, o) for o in organisations) if d is not None]
    started = {d.organisation_id for d in drafts}
    return render(
        request,
        "grants/start.html",
        {
            "round": round_,
            "organisations": organisations,
            "error": error,
            "drafts": drafts,
            "startable": [o for o in organisations if o.pk not in started],
            "refusal": round_.refusal_for(own[0]) if own and not organisations else "",
            "criteria": round_.criteria.all(),
        },
    )


@login_required
def delete_draft(request, pk):
    application = _application(request, pk)
    if not request.user.has_perm("grants.delete_application", application):
        if application.status != Application.Status.DRAFT and request.user.has_perm(
            "grants.withdraw_application", application
        ):
            messages.info(
                request, "This application has been submitted, so it cannot be deleted. You can withdraw it."
            )
            return redirect("grants:application", pk=application.pk)
        raise PermissionDenied
    if request.method == "POST":
        services.delete_draft(application=application, by=request.user)
        messages.success(
            request,
            f"Your draft application {application.reference}, {application.display_title}, has been deleted.",
        )
        return redirect("grants:mine")
    return render(
        request,
        "grants/delete_draft.html",
        {"application": application, "documents": documents_for(application, "attachment")},
    )


@login_required
def submitted(request, pk):
    """The confirmation after submitting: what happens next, and when."""
    application = _application(request, pk)
    _require(request, "grants.withdraw_application", application)  # the applying organisation's own page
    if application.status == Application.Status.DRAFT:
        return redirect("grants:application", pk=application.pk)
    return render(
        request,
        "grants/submitted.html",
        {"application": application, "round": application.round, "scheme": application.round.scheme},
    )


@login_required
def mine(request):
    _require(request, "grants.apply")
    return render(
        request,
        "grants/mine.html",
        {
            "applications": page_of(request, selectors.applications_for_provider(request.user)),
            "admin_of": [
                m.organisation
                for m in request.user.memberships.filter(is_admin=True).select_related("organisation")
            ],
        },
    )


@login_required
def application_detail(request, pk):
    application = _application(request, pk)
    user = request.user
    project_count = len(application.projects.all())
    is_applicant = user.has_perm("grants.withdraw_application", application)
    context = {
        "application": application,
        "round": application.round,
        "scheme": application.round.scheme,
        "is_applicant": is_applicant,
        "is_office": user.has_perm("grants.view_grants"),
        "tasks": sections.task_list(application, project_count=project_count),
        "attachments": documents_for(application, "attachment"),
        "timeline": timeline_for(application),
        "hide_timeline_notes": not user.has_perm("grants.view_grants"),
        "offer": getattr(application, "offer", None) if application.award_id else None,
    }
    if context["is_office"]:
        context.update(_office_context(application, user))
    if user.has_perm("grants.decide_area", application):
        decisions = list(application.area_decisions.all())
        mine_ = next((d for d in decisions if d.role == user.role), None)
        context.update(
            {
                "area_decisions": decisions,
                "my_decision": mine_,
                "area_form": forms.AreaDecisionForm()
                if mine_ is None
                and application.status in (Application.Status.SUBMITTED, Application.Status.IN_ASSESSMENT)
                else None,
            }
        )
    elif application.round.scheme.decided_by_area:
        context["area_decisions"] = list(application.area_decisions.all())
    return render(request, "grants/application_detail.html", context)


def _office_context(application, user):
    from grants.models import Assessment

    try:
        assessment = application.assessment
    except Assessment.DoesNotExist:
        assessment = None
    declaration = next((c for c in application.conflicts.all() if c.assessor_id == user.pk), None)
    status = application.status
    scheme = application.round.scheme
    return {
        "assessment": assessment,
        "weighted_score": services.weighted_score(application),
        "my_declaration": declaration,
        "conflicts": application.conflicts.all(),
        "can_assess": user.has_perm("grants.assess_application", application)
        and status == Application.Status.IN_ASSESSMENT,
        "can_start": user.has_perm("grants.assess_application", application)
        and status == Application.Status.SUBMITTED
        and not scheme.decided_by_area,
        "can_request": user.has_perm("grants.assess_application", application)
        and status in (Application.Status.SUBMITTED, Application.Status.IN_ASSESSMENT),
        "can_decide": status == Application.Status.IN_ASSESSMENT
        and user.has_perm("grants.decide_application", application),
        "decision_amount": decision_amount(application),
        "needs_higher_authority": status == Application.Status.IN_ASSESSMENT
        and not scheme.decided_by_area
        and not user.has_perm("grants.decide_application", application),
        "can_offer": user.has_perm("grants.make_offer", application)
        and status == Application.Status.APPROVED,
    }


SECTION_FORMS = {
    "project": (sections.PROJECT, forms.ProjectForm, ("title", "summary", "area", "start_date", "end_date")),
    "need": (sections.NEED, forms.NeedForm, ("need", "outcomes", "prevention")),
    "budget": (
        sections.BUDGET,
        forms.BudgetForm,
        ("amount_requested", "budget", "match_funding_amount", "match_funding_source"),
    ),
}


@login_required
def section(request, pk, slug):
    if slug not in SECTION_FORMS:
        raise Http404
    application, stop = _editable(request, pk)
    if stop:
        return stop
    section_, form_class, names = SECTION_FORMS[slug]
    kwargs = {}
    if slug == "project":
        kwargs["show_area"] = application.round.scheme.decided_by_area
    if slug == "budget":
        kwargs["max_award"] = application.round.max_award
    initial = {n: getattr(application, n) for n in names}
    if slug == "need":
        initial["prevention"] = forms.yes_no(application.prevention)
    if slug == "budget" and not application.match_funding_amount:
        initial["match_funding_amount"] = None
    form = form_class(request.POST or None, initial=initial, **kwargs)
    if request.method == "POST" and form.is_valid():
        values = {n: form.cleaned_data[n] for n in names if n in form.cleaned_data}
        if slug == "need":
            values["prevention"] = forms.to_bool(values["prevention"])
        if slug == "budget":
            values["match_funding_amount"] = values["match_funding_amount"] or 0
        for key in ("title", "summary", "need", "outcomes", "budget", "match_funding_source"):
            if key in values and values[key] is None:
                values[key] = ""
        try:
            services.save_section(application=application, by=request.user, values=values)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, f"{section_.title} has been saved.")
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
    form = forms.ProjectLineForm(request.POST or None if "add" in request.POST else None)
    if request.method == "POST":
        if "remove" in request.POST:
            services.remove_project(
                application=application, by=request.user, project_id=int(request.POST["remove"] or 0)
            )
            return redirect("grants:plan", pk=application.pk)
        if "done" in request.POST:
            if not application.projects.exists():
                form.add_error(None, "Add at least one project to the plan")
            else:
                services.mark_section_done(application=application, by=request.user, slug="plan")
                return redirect("grants:application", pk=application.pk)
        elif form.is_valid():
            try:
                services.add_project(application=application, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _errors_to_form(form, exc)
            else:
                services.mark_section_done(application=application, by=request.user, slug="plan", done=False)
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
    form = forms.AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if "remove" in request.POST:
            try:
                name = services.remove_attachment(
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
            services.mark_section_done(application=application, by=request.user, slug="attachments")
            messages.success(request, "Supporting documents marked as complete.")
            return redirect("grants:application", pk=application.pk)
        if form.is_valid():
            if not form.cleaned_data["file"]:
                form.add_error("file", "Select a file")
            else:
                try:
                    services.add_attachment(
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
        document.removable = services.may_remove_attachment(application, document)
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
    form = forms.DeclarationForm(
        request.POST or None,
        initial={
            "name": application.declaration_name or request.user.full_name,
            "role": application.declaration_role or request.user.job_title,
        },
    )
    answer_errors = []
    if request.method == "POST" and form.is_valid():
        try:
            services.submit(application=application, by=request.user, **form.cleaned_data)
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


@login_required
def withdraw(request, pk):
    application = _application(request, pk)
    _require(request, "grants.withdraw_application", application)
    form = forms.NoteForm(request.POST or None, label="Why are you withdrawing the application?")
    if request.method == "POST" and form.is_valid():
        try:
            services.withdraw(application=application, by=request.user, note=form.cleaned_data["note"])
        except (ValidationError, TransitionNotAllowed) as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, f"Application {application.reference} has been withdrawn.")
            return redirect("grants:application", pk=application.pk)
    return render(
        request,
        "grants/action.html",
        {
            "application": application,
            "form": form,
            "title": "Withdraw the application",
            "button": "Withdraw",
            "warning": True,
        },
    )


@login_required
def offer_letter(request, pk):
    application = _application(request, pk)
    if not application.award_id or not hasattr(application, "offer"):
        raise Http404("No offer yet")
    offer = application.offer
    if offer.letter_id:
        data = offer.letter.file.open("rb").read()
        offer.letter.file.close()
    else:
        data = services.offer_letter_pdf(application)
    return as_download(
        HttpResponse(data, content_type="application/pdf"),
        filename=f"offer-letter-{application.award.reference}.pdf",
    )


@login_required
def accept(request, pk):
    application = _application(request, pk)
    _require(request, "grants.accept_offer", application)
    if application.status != Application.Status.OFFERED:
        messages.info(request, "There is no offer waiting to be accepted.")
        return redirect("grants:application", pk=application.pk)
    form = forms.AcceptForm(
        request.POST or None, initial={"name": request.user.full_name, "role": request.user.job_title}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.accept_offer(application=application, by=request.user, **form.cleaned_data)
        except (ValidationError, TransitionNotAllowed) as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, "You have accepted the offer. Your grant is now active.")
            return redirect("grants:application", pk=application.pk)
    return render(
        request,
        "grants/accept.html",
        {"application": application, "form": form, "offer": application.offer, "award": application.award},
    )


# Assessment and decision ----------------------------------------------------------------------------


@login_required
def conflict(request, pk):
    application = _application(request, pk)
    _require(request, "grants.assess_application", application)
    form = forms.ConflictForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.declare_conflict(
                application=application,
                by=request.user,
                has_conflict=form.cleaned_data["has_conflict"] == "yes",
                details=form.cleaned_data["details"],
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            if form.cleaned_data["has_conflict"] == "yes":
                messages.info(
                    request, "Your interest is recorded. Another assessor must score this application."
                )
                return redirect("grants:application", pk=application.pk)
            return redirect("grants:score", pk=application.pk)
    return render(
        request,
        "grants/action.html",
        {"application": application, "form": form, "title": "Declare your interests", "button": "Continue"},
    )


@login_required
def score(request, pk):
    application = _application(request, pk)
    _require(request, "grants.assess_application", application)
    if not services.may_score(application, request.user):
        messages.info(request, "Declare your interests before you score.")
        return redirect("grants:conflict", pk=application.pk)
    criteria = list(application.round.criteria.all())
    existing = {s.criterion_id: s for s in application.scores.all() if s.assessor_id == request.user.pk}
    initial = {}
    for c in criteria:
        if c.pk in existing:
            initial[f"score_{c.pk}"] = str(existing[c.pk].score)
            initial[f"comment_{c.pk}"] = existing[c.pk].comment
    form = forms.ScoreForm(request.POST or None, criteria=criteria, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_scores(application=application, by=request.user, scores=form.scores())
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, "Your scores have been saved.")
            return redirect("grants:application", pk=application.pk)
    return render(
        request,
        "grants/action.html",
        {
            "application": application,
            "form": form,
            "title": "Score the application",
            "button": "Save scores",
            "show_answers": True,
        },
    )


@login_required
def assessment(request, pk):
    application = _application(request, pk)
    _require(request, "grants.assess_application", application)
    current = getattr(application, "assessment", None)
    form = forms.AssessmentForm(
        request.POST or None,
        initial=forms.AssessmentForm.initial_for(current),
        requested=application.amount_requested,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_assessment(application=application, by=request.user, values=form.values())
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, "The assessment has been saved.")
            return redirect("grants:application", pk=application.pk)
    return render(
        request,
        "grants/action.html",
        {
            "application": application,
            "form": form,
            "title": "Assessment",
            "button": "Save the assessment",
            "show_answers": True,
        },
    )


# name: (page title, button, note label, what the success message says was done)
ACTIONS = {
    "start_assessment": (
        "Start the assessment",
        "Start the assessment",
        "Note (optional)",
        "assessment started",
    ),
    "request_information": (
        "Ask for more information",
        "Send the request",
        "What do you need from the applicant?",
        "the applicant has been asked for more information",
    ),
}


@login_required
def action(request, pk, name):
    if name not in ACTIONS:
        raise Http404
    application = _application(request, pk)
    _require(request, "grants.assess_application", application)
    title, button, label, done = ACTIONS[name]
    form = forms.NoteForm(
        request.POST or None,
        label=label,
        help_text="The applicant sees this message" if name == "request_information" else "",
    )
    if request.method == "POST" and form.is_valid():
        note = form.cleaned_data["note"]
        try:
            if name == "start_assessment":
                services.start_assessment(application=application, by=request.user, note=note)
            else:
                services.request_information(
                    application=application,
                    by=request.user,
                    note=note,
                    expected_state=request.POST.get("expected_state") or None,
                )
        except (ValidationError, TransitionNotAllowed) as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, f"{application.reference}: {done}.")
            return redirect("grants:application", pk=application.pk)
    return render(
        request,
        "grants/action.html",
        {"application": application, "form": form, "title": title, "button": button},
    )


DECISIONS_PER_PAGE = 50


@login_required
def decisions(request):
    """Every grant decision waiting for this person's delegated authority (the home page shows the first few)."""
    _require(request, "grants.list_decisions")
    from funding.models import DecisionKind, DelegationLevel

    page = Paginator(selectors.decisions_waiting_for(request.user.role), DECISIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "grants/decisions.html",
        {
            "page": page,
            "level": DelegationLevel.objects.get(decides=DecisionKind.GRANT, role=request.user.role),
        },
    )


@login_required
def decide(request, pk):
    application = _application(request, pk)
    _require(request, "grants.decide_application", application)
    form = forms.DecisionForm(request.POST or None, application=application)
    if request.method == "POST" and form.is_valid():
        try:
            services.decide(
                application=application,
                by=request.user,
                decision=form.cleaned_data["decision"],
                note=form.cleaned_data["note"],
                expected_state=request.POST.get("expected_state") or None,
            )
        except (ValidationError, TransitionNotAllowed) as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, f"{application.reference} has been {form.cleaned_data['decision']}d.")
            return redirect("grants:application", pk=application.pk)
    return render(
        request,
        "grants/action.html",
        {
            "application": application,
            "form": form,
            "title": "Decide",
            "button": "Record the decision",
            "show_answers": True,
            "decision_amount": decision_amount(application),
            "weighted_score": services.weighted_score(application),
        },
    )


@login_required
@require_POST
def area_decision(request, pk):
    application = _application(request, pk)
    _require(request, "grants.decide_area", application)
    form = forms.AreaDecisionForm(request.POST)
    if form.is_valid():
        try:
            services.record_area_decision(
                application=application,
                by=request.user,
                decision=form.cleaned_data["decision"],
                note=form.cleaned_data["note"],
            )
        except (ValidationError, TransitionNotAllowed) as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, "Your decision has been recorded.")
            return redirect("grants:application", pk=application.pk)
    # Show the bid's page again with the errors and what was typed.
    return _rerender_with_form(request, pk, form)


def _rerender_with_form(request, pk, form):
    application = _application(request, pk)
    decisions = list(application.area_decisions.all())
    return render(
        request,
        "grants/application_detail.html",
        {
            "application": application,
            "round": application.round,
            "scheme": application.round.scheme,
            "timeline": timeline_for(application),
            "attachments": documents_for(application, "attachment"),
            "hide_timeline_notes": not request.user.has_perm("grants.view_grants"),
            "area_decisions": decisions,
            "my_decision": None,
            "area_form": form,
            "has_errors": True,
        },
    )


@login_required
def offer(request, pk):
    application = _application(request, pk)
    _require(request, "grants.make_offer", application)
    if application.status != Application.Status.APPROVED:
        messages.info(request, "Only an approved application can be offered.")
        return redirect("grants:application", pk=application.pk)
    initial = {
        "start_date": application.start_date,
        "end_date": application.end_date,
        "schedule_kind": PaymentScheduleKind.IN_ADVANCE
        if application.amount <= 25000
        else PaymentScheduleKind.INSTALMENTS,
        "accept_by": services.default_accept_by(application.round, application.start_date),
    }
    initial["signatory_name"], initial["signatory_role"] = services.signatory_for(request.user)
    form = forms.OfferForm(request.POST or None, initial=initial)
    pot = None
    try:
        pot = services.pot_for(application)
    except ValidationError as exc:
        form.add_error(None, exc.messages)
    if request.method == "POST" and form.is_valid():
        try:
            services.make_offer(application=application, by=request.user, **form.cleaned_data)
        except (ValidationError, TransitionNotAllowed) as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(
                request,
                f"The offer has been made and {letters.gbp(application.amount)} committed from {pot.name}.",
            )
            return redirect("grants:application", pk=application.pk)
    return render(request, "grants/offer.html", {"application": application, "form": form, "pot": pot})


# Area deciders ----------------------------------------------------------------------------------------


@login_required
def area_bids(request):
    _require(request, "grants.list_area_bids")
    return render(
        request,
        "grants/area_bids.html",
        {
            "waiting": page_of(
                request, selectors.bids_waiting_for(request.user), per_page=25, param="waiting-page"
            ),
            "bids": page_of(request, selectors.area_bids_for(request.user)),
            "areas": request.user.areas.all(),
        },
    )
