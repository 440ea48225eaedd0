"""Assessment: declarations of interest, scores, the assessment itself and the officer's actions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render

from grants import gates
from grants.forms.application import NoteForm
from grants.forms.assessment import AssessmentForm, ConflictForm, ScoreForm
from grants.services import assessment as assessment_services
from grants.views._common import _application
from opcc.permissions import require_view_perm
from opcc.views.forms import run


@login_required
def conflict(request, pk):
    application = _application(request, pk)
    require_view_perm(request, "grants.assess_application", application)
    form = ConflictForm(request.POST or None)
    done, _ = run(
        request,
        form,
        lambda data: assessment_services.declare_conflict(
            application=application,
            by=request.user,
            conflict=data["conflict"] == "yes",
            details=data["details"],
        ),
    )
    if done:
        # Which message (an info, not a success) and where next depend on the answer, so the flash is here.
        if form.cleaned_data["conflict"] == "yes":
            messages.info(request, "Your interest is recorded. Another assessor must score this application.")
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
    require_view_perm(request, "grants.assess_application", application)
    if not gates.declared_no_conflict(application, request.user):
        messages.info(request, "Declare your interests before you score.")
        return redirect("grants:conflict", pk=application.pk)
    criteria = list(application.round.criteria.all())
    existing = {s.criterion_id: s for s in application.scores.all() if s.assessor_id == request.user.pk}
    initial = {}
    for c in criteria:
        if c.pk in existing:
            initial[f"score_{c.pk}"] = str(existing[c.pk].score)
            initial[f"comment_{c.pk}"] = existing[c.pk].comment
    form = ScoreForm(request.POST or None, criteria=criteria, initial=initial)
    done, _ = run(
        request,
        form,
        lambda data: assessment_services.save_scores(
            application=application, by=request.user, scores=form.scores()
        ),
        success="Your scores have been saved.",
    )
    if done:
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
    require_view_perm(request, "grants.assess_application", application)
    current = getattr(application, "assessment", None)
    form = AssessmentForm(
        request.POST or None,
        initial=AssessmentForm.initial_for(current),
        requested=application.amount_requested,
    )
    done, _ = run(
        request,
        form,
        lambda data: assessment_services.save_assessment(
            application=application, by=request.user, values=form.values()
        ),
        success="The assessment has been saved.",
    )
    if done:
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
    require_view_perm(request, "grants.assess_application", application)
    title, button, label, what = ACTIONS[name]
    form = NoteForm(
        request.POST or None,
        label=label,
        help_text="The applicant sees this message" if name == "request_information" else "",
    )

    def act(data):
        if name == "start_assessment":
            return assessment_services.start_assessment(
                application=application, by=request.user, note=data["note"]
            )
        return assessment_services.request_information(
            application=application,
            by=request.user,
            note=data["note"],
            expected_state=request.POST.get("expected_state") or None,
        )

    ok, _ = run(request, form, act, success=f"{application.reference}: {what}.")
    if ok:
        return redirect("grants:application", pk=application.pk)
    return render(
        request,
        "grants/action.html",
        {"application": application, "form": form, "title": title, "button": button},
    )
