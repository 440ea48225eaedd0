from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from opcc.forms import ObjectiveForm, PlanForm, PriorityForm, TagObjectivesForm
from opcc.models import Objective, PoliceAndCrimePlan, Priority
from opcc.permissions import require_view_perm
from opcc.plan import UntaggedRecords, taggable, taggables
from opcc.services import plan as services
from opcc.views.forms import posted, run

VIEW = "opcc.view_policeandcrimeplan"


def saved(request, form, action, success) -> bool:
    return run(request, form, action, success=success)[0]


def _current_plan():
    return PoliceAndCrimePlan.objects.filter(is_current=True).first()


def _form_page(request, form, *, title, button, caption="Police and Crime Plan", intro=""):
    return render(
        request,
        "opcc/plan_form.html",
        {
            "form": form,
            "title": title,
            "button": button,
            "caption": caption,
            "intro": intro,
            "back": reverse("plan"),
        },
    )


@login_required
def plan_detail(request):
    require_view_perm(request, VIEW)
    plan = (
        PoliceAndCrimePlan.objects.filter(is_current=True)
        .prefetch_related(
            Prefetch(
                "priorities",
                Priority.objects.order_by("position", "id").prefetch_related(
                    Prefetch("objectives", Objective.objects.order_by("position", "id"))
                ),
            )
        )
        .first()
    )
    return render(
        request,
        "opcc/plan.html",
        {
            "plan": plan,
            "can_change": request.user.has_perm(services.CHANGE),
            "can_list_untagged": request.user.has_perm(services.LIST_UNTAGGED),
        },
    )


@login_required
def plan_edit(request):
    require_view_perm(request, services.CHANGE)
    plan = _current_plan()
    initial = (
        {"title": plan.title, "period_start": plan.period_start, "period_end": plan.period_end}
        if plan
        else {}
    )
    form = PlanForm(posted(request), initial=initial)
    if saved(
        request,
        form,
        lambda d: services.update_plan(plan=plan, by=request.user, **d),
        "The plan has been saved.",
    ):
        return redirect("plan")
    return _form_page(
        request,
        form,
        title="Change the plan's title and period" if plan else "Set up the plan",
        button="Save",
    )


def _priority(pk):
    return get_object_or_404(Priority.objects.select_related("plan"), pk=pk, plan__is_current=True)


def _objective(pk):
    return get_object_or_404(
        Objective.objects.select_related("priority__plan"), pk=pk, priority__plan__is_current=True
    )


@login_required
def priority_form(request, pk=None):
    require_view_perm(request, services.CHANGE)
    priority = _priority(pk) if pk else None
    plan = priority.plan if priority else _current_plan()
    if plan is None:
        raise Http404("There is no current plan")
    initial = {"title": priority.title, "description": priority.description} if priority else {}
    form = PriorityForm(posted(request), initial=initial)
    if saved(
        request,
        form,
        lambda d: services.save_priority(plan=plan, priority=priority, by=request.user, **d),
        "The priority has been saved.",
    ):
        return redirect("plan")
    return _form_page(
        request, form, title=f"Change {priority.title}" if priority else "Add a priority", button="Save"
    )


@login_required
def objective_form(request, priority_pk=None, pk=None):
    require_view_perm(request, services.CHANGE)
    objective = _objective(pk) if pk else None
    priority = objective.priority if objective else _priority(priority_pk)
    form = ObjectiveForm(posted(request), initial={"title": objective.title} if objective else {})
    if saved(
        request,
        form,
        lambda d: services.save_objective(priority=priority, objective=objective, by=request.user, **d),
        "The objective has been saved.",
    ):
        return redirect("plan")
    return _form_page(
        request,
        form,
        title="Change the objective" if objective else "Add an objective",
        button="Save",
        caption=priority.title,
    )


@login_required
@require_POST
def priority_move(request, pk):
    require_view_perm(request, services.CHANGE)
    services.move_priority(
        priority=_priority(pk), direction=request.POST.get("direction", ""), by=request.user
    )
    return redirect("plan")


@login_required
@require_POST
def objective_move(request, pk):
    require_view_perm(request, services.CHANGE)
    services.move_objective(
        objective=_objective(pk), direction=request.POST.get("direction", ""), by=request.user
    )
    return redirect("plan")


def _remove_page(request, *, thing, title, action):
    error = None
    if request.method == "POST":
        try:
            action()
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            messages.success(request, f"{title} has been removed.")
            return redirect("plan")
    return render(
        request,
        "opcc/plan_remove.html",
        {"thing": thing, "title": title, "error": error, "back": reverse("plan")},
        status=400 if error else 200,
    )


@login_required
def priority_remove(request, pk):
    require_view_perm(request, services.CHANGE)
    priority = _priority(pk)
    return _remove_page(
        request,
        thing="priority",
        title=priority.title,
        action=lambda: services.remove_priority(priority=priority, by=request.user),
    )


@login_required
def objective_remove(request, pk):
    require_view_perm(request, services.CHANGE)
    objective = _objective(pk)
    return _remove_page(
        request,
        thing="objective",
        title=objective.title,
        action=lambda: services.remove_objective(objective=objective, by=request.user),
    )


@login_required
def untagged(request):
    require_view_perm(request, services.LIST_UNTAGGED)
    page = Paginator(UntaggedRecords(taggables()), 25).get_page(request.GET.get("page"))
    return render(
        request, "opcc/plan_untagged.html", {"page": page, "can_tag": request.user.has_perm(services.TAG)}
    )


@login_required
def tag(request, kind, pk):
    require_view_perm(request, services.TAG)
    source = taggable(kind)
    if source is None:
        raise Http404("No such kind of record")
    record = get_object_or_404(source.model_class, pk=pk)
    # Back to the list of untagged records when tagging from it, otherwise to the record's own page.
    back = reverse("plan-untagged") if request.GET.get("from") == "untagged" else source.url(record)
    form = TagObjectivesForm(posted(request), initial={"objectives": list(record.objectives.all())})
    if saved(
        request,
        form,
        lambda d: services.tag_with_objectives(record=record, by=request.user, **d),
        f"The Police and Crime Plan objectives of {source.label(record)} have been saved.",
    ):
        return redirect(back)
    return render(
        request,
        "opcc/plan_form.html",
        {
            "form": form,
            "title": "Tag with objectives",
            "button": "Save",
            "caption": source.label(record),
            "back": back,
            "intro": "",
            "record_url": source.url(record),
        },
    )
