"""An application's page, as the applicant, the office and the area's deciders each see it."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from grants import gates, sections, selectors
from grants.forms.decisions import AreaDecisionForm
from grants.models import Application, Assessment
from grants.rules import decision_amount
from grants.views._common import _application
from opcc.services.documents import documents_for
from opcc.services.transitions import available_transitions, timeline_for


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
                "area_form": AreaDecisionForm()
                if mine_ is None
                and application.status in (Application.Status.SUBMITTED, Application.Status.IN_ASSESSMENT)
                else None,
            }
        )
    elif application.round.scheme.decided_by_area:
        context["area_decisions"] = list(application.area_decisions.all())
    return render(request, "grants/application_detail.html", context)


def _office_context(application, user):

    try:
        assessment = application.assessment
    except Assessment.DoesNotExist:
        assessment = None
    declaration = next((d for d in application.declarations.all() if d.assessor_id == user.pk), None)
    return {
        "assessment": assessment,
        "weighted_score": selectors.weighted_score(application),
        "my_declaration": declaration,
        "conflicts": application.declarations.all(),
        # What this person may do next, as the transitions' decorators describe it (label, permission, gates).
        "transitions": {t.name: t for t in available_transitions(application, user)},
        "assessment_open": gates.assessment_open(application)
        and user.has_perm("grants.assess_application", application),
        "ready_for_decision": gates.ready_for_decision(application),
        "decision_amount": decision_amount(application),
        "needs_higher_authority": gates.needs_higher_authority(application, user),
    }


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
