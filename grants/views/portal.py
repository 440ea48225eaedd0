"""The provider portal: registering, finding a round, starting, deleting and withdrawing an application."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from grants import registration, selectors
from grants.forms.application import NoteForm
from grants.forms.registration import RegisterForm
from grants.models import Application, Round
from grants.services import applications as application_services
from grants.views._common import _application
from opcc.paging import page_of
from opcc.permissions import require_view_perm
from opcc.ratelimit import limit
from opcc.services.documents import documents_for
from opcc.views.forms import run


@limit(scope="registration", per_minute=settings.RATE_LIMIT_PASSWORD_RESET)
def register(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = RegisterForm(request.POST or None)
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
    require_view_perm(request, "grants.apply")
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
    require_view_perm(request, "grants.apply")
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
                application = application_services.start_application(
                    round_=round_, organisation=chosen, by=request.user
                )
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                return redirect("grants:application", pk=application.pk)
    # A draft already started for the round is continued, not started again (the service returns it too).
    drafts = [d for d in (selectors.draft_for(round_, o) for o in organisations) if d is not None]
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
        application_services.delete_draft(application=application, by=request.user)
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
    require_view_perm(
        request, "grants.withdraw_application", application
    )  # the applying organisation's own page
    if application.status == Application.Status.DRAFT:
        return redirect("grants:application", pk=application.pk)
    return render(
        request,
        "grants/submitted.html",
        {"application": application, "round": application.round, "scheme": application.round.scheme},
    )


@login_required
def mine(request):
    require_view_perm(request, "grants.apply")
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
def withdraw(request, pk):
    application = _application(request, pk)
    require_view_perm(request, "grants.withdraw_application", application)
    form = NoteForm(request.POST or None, label="Why are you withdrawing the application?")
    done, _ = run(
        request,
        form,
        lambda data: application_services.withdraw(
            application=application, by=request.user, note=data["note"]
        ),
        success=f"Application {application.reference} has been withdrawn.",
    )
    if done:
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
