"""The commission, its stages' task lists, the Understand and Plan evidence, and the cycle's transitions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from commissioning import gates, selectors
from commissioning.forms.commissions import (
    SECTIONS,
    CommissionForm,
    MeasureForm,
    PartnerForm,
    SectionForm,
    TransitionForm,
    _section_fields,
)
from commissioning.models import Commission, CommissioningRules, OutcomeMeasure, ProcurementBand, Route
from commissioning.procurement import ensure_default_bands, required_route
from commissioning.services import commissions as commission_services
from commissioning.services import partners as partner_services
from commissioning.views.common import done, form_page, load_commission
from funding.hooks import award_performance
from funding.models import Stream
from opcc.forms import DocumentUploadForm
from opcc.hooks import panels
from opcc.models import Objective
from opcc.permissions import require_view_perm as require
from opcc.services.documents import documents_for
from opcc.services.transitions import (
    timeline_for,
    transition_defined,
    transition_label,
    transition_named,
    transitions_from_here,
)
from opcc.views.forms import posted, run

STAGES = ["understand", "plan", "do", "review"]


@login_required
def index(request):
    require(request, "commissioning.list_commissions")
    status = request.GET.get("status", "")
    if status not in Commission.Status.values:
        status = ""
    query = request.GET.get("q", "").strip()
    page = Paginator(selectors.commissions(status=status, query=query), 50).get_page(request.GET.get("page"))
    counts = selectors.stage_counts()
    return render(
        request,
        "commissioning/index.html",
        {
            "page": page,
            "status": status,
            "query": query,
            "stages": [(value, label, counts.get(value, 0)) for value, label in Commission.Status.choices],
            "can_add": request.user.has_perm("commissioning.add_commission"),
        },
    )


WAITING_PER_PAGE = 50


@login_required
def waiting(request):
    """Everything in commissioning waiting for this person's sign-off or decision (the home page shows the first few)."""
    require(request, "commissioning.list_waiting")
    page = Paginator(selectors.waiting_for(request.user), WAITING_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "commissioning/waiting.html", {"page": page})


@login_required
def create(request):
    require(request, "commissioning.add_commission")
    form = CommissionForm(request.POST or None, initial={"officer": request.user.pk})
    ok, commission = run(
        request,
        form,
        lambda d: commission_services.create_commission(
            title=d["title"],
            summary=d["summary"],
            stream=d["stream"],
            officer=d["officer"],
            objectives=d["objectives"],
            by=request.user,
        ),
    )
    if ok:
        return redirect("commissioning:understand", commission.pk)
    return form_page(
        request,
        None,
        form,
        title="Start a commission",
        button="Start the commission",
        back=reverse("commissioning:index"),
        caption="Commissioning",
        intro="A commission starts in Understand: the evidence base for the service.",
    )


def _stage_context(commission, stage, user, can_change=False, *, summary=False):
    """The stage's tasks and the steps that leave it. A summary (the commission's page) only counts the tasks and
    names the steps; the stage's own page links the tasks and says what each step waits for."""
    tasks = gates.STAGE_TASKS[stage](commission)
    workable = gates.stage_is_workable(commission, stage)
    steps = [t for t in transitions_from_here(commission, user) if gates.stage_of(t) == stage]
    if not summary:
        for task in tasks:
            task.linked = workable and task.link_for(user, can_change)
    context = {
        "tasks": tasks,
        "gaps": [t.missing for t in tasks if not t.done],
        "complete": sum(t.done for t in tasks),
        "transitions": [(t.name, transition_label(t)) for t in steps],
        "workable": workable,
    }
    if not summary and commission.status == stage:
        # A step drawn as a button can succeed; one that cannot is listed with what it waits for (the gates are the
        # transition's own conditions), never drawn as a button that could only fail.
        found = [(t.name, transition_label(t), gates.transition_gaps(commission, t)) for t in steps]
        context["ready"] = [(name, label) for name, label, gaps in found if not gaps]
        context["blocked"] = [(name, label, gaps) for name, label, gaps in found if gaps]
    return context


@login_required
def detail(request, pk):
    commission = load_commission(request, pk)
    commission = (
        Commission.objects.select_related("officer")
        .prefetch_related("areas", Prefetch("objectives", Objective.objects.select_related("priority")))
        .get(pk=commission.pk)
    )
    procurement = gates.current_procurement(commission)
    contract = gates.current_contract(commission)
    previous = (
        list(
            commission.procurements.exclude(cycle=commission.cycle)
            .select_related("contract__award", "contract__organisation")
            .order_by("-cycle")
        )
        if commission.cycle > 1
        else []
    )
    return render(
        request,
        "commissioning/detail.html",
        {
            "commission": commission,
            "procurement": procurement,
            "contract": contract,
            "previous": previous,
            "timeline": timeline_for(commission),
            "stages": STAGES,
            "can_change": request.user.has_perm("commissioning.change_commission") and commission.is_open,
            "stage_tasks": (
                _stage_context(commission, commission.status, request.user, summary=True)
                if commission.is_open
                else None
            ),
        },
    )


def _stage(request, pk, stage):
    commission = load_commission(request, pk)
    context = {
        "commission": commission,
        "stage": stage,
        "stage_label": Commission.Status(stage).label,
        "current": commission.status == stage,
        "upcoming": commission.is_open and STAGES.index(stage) > STAGES.index(commission.status),
        "can_change": request.user.has_perm("commissioning.change_commission") and commission.is_open,
    }
    context.update(_stage_context(commission, stage, request.user, context["can_change"]))
    if stage == "understand":
        context["documents"] = documents_for(commission, "needs_assessment")
        context["overlapping"] = selectors.overlapping_awards(commission)
        # What other apps know that helps understand the need (e.g. reporting's crime trends for the areas).
        context["panels"] = panels("commission_understand", commission=commission)
    if stage == "plan":
        context["measures"] = commission.measures.all()
        context["partners"] = commission.partners.select_related("organisation")
    if stage in ("do", "review"):
        context["procurement"] = gates.current_procurement(commission)
        context["contract"] = contract = gates.current_contract(commission)
        if commission.estimated_total_value is not None:
            context["required_route"] = needed = required_route(
                commission.estimated_total_value, light_touch=commission.light_touch
            )
            context["required_route_label"] = Route(needed).label.lower()
        if contract is not None:
            context["performance"] = selectors.review_performance(
                contract.award, award_performance(contract.award), today=timezone.localdate()
            )
            context["reviews"] = contract.reviews.select_related("by")
            context["extensions"] = contract.extensions.all()
            context["break_notices"] = contract.break_notices.all()
            context["plan"] = gates._one(contract, "decommissioning_plan")
            context["notice_date"] = contract.notice_date
    return render(request, "commissioning/stage.html", context)


@login_required
def understand(request, pk):
    return _stage(request, pk, "understand")


@login_required
def plan(request, pk):
    return _stage(request, pk, "plan")


@login_required
def do(request, pk):
    return _stage(request, pk, "do")


@login_required
def review(request, pk):
    return _stage(request, pk, "review")


@login_required
def section(request, pk, key):
    if key not in SECTIONS:
        raise Http404
    commission = load_commission(request, pk, "commissioning.change_commission")
    heading, stage = SECTIONS[key]
    names = list(_section_fields(key))
    initial = {n: getattr(commission, n) for n in names if n != "areas"}
    if "areas" in names:
        initial["areas"] = list(commission.areas.all())
    closed = gates.evidence_closed(commission)
    form = SectionForm(posted(request, closed), section=key, initial=initial)

    def save(data):
        values = {k: v for k, v in data.items() if k != "areas"}
        return commission_services.update_commission(
            commission=commission,
            values=values,
            by=request.user,
            areas=data["areas"] if "areas" in data else None,
        )

    ok, _ = run(request, form, save, success=f"{heading} saved.")
    if ok:
        return done(stage, commission)
    extra = {}
    before = None
    if key == "existing-provision":
        before = "commissioning/_overlapping.html"
        extra["overlapping"] = selectors.overlapping_awards(commission)
    return form_page(
        request,
        commission,
        form,
        title=heading,
        button="Save",
        back=reverse(f"commissioning:{stage}", args=[pk]),
        before=before,
        extra=extra,
        closed=closed,
    )


@login_required
def upload(request, pk):
    commission = load_commission(request, pk, "commissioning.change_commission")
    closed = gates.evidence_closed(commission)
    form = DocumentUploadForm(posted(request, closed), None if closed else request.FILES or None)
    form.fields[
        "title"
    ].help_text = f"For example, Domestic abuse needs assessment {timezone.localdate().year}"
    ok, _ = run(
        request,
        form,
        lambda d: commission_services.upload_needs_assessment(
            commission=commission, uploaded=d["file"], title=d["title"], by=request.user
        ),
        success="The needs assessment has been uploaded.",
    )
    if ok:
        return done("understand", commission)
    return form_page(
        request,
        commission,
        form,
        title="Upload a needs assessment",
        button="Upload",
        multipart=True,
        back=reverse("commissioning:understand", args=[pk]),
        closed=closed,
    )


@login_required
def measures(request, pk):
    commission = load_commission(request, pk, "commissioning.change_commission")
    closed = gates.evidence_closed(commission)
    form = MeasureForm(posted(request, closed))
    ok, _ = run(
        request,
        form,
        lambda d: commission_services.add_measure(commission=commission, by=request.user, **d),
        success="The outcome measure has been added.",
    )
    if ok:
        return done("measures", commission)
    return form_page(
        request,
        commission,
        form,
        title="Outcome measures",
        button="Add the measure",
        back=reverse("commissioning:plan", args=[pk]),
        before="commissioning/_measures.html",
        intro="Each measure has a quarterly target. They become the outcome framework of the contract's award.",
        extra={"measures": commission.measures.all()},
        closed=closed,
    )


@login_required
@require_POST
def measure_remove(request, pk, measure_pk):
    commission = load_commission(request, pk, "commissioning.change_commission")
    measure = get_object_or_404(OutcomeMeasure, pk=measure_pk, commission=commission)
    # A closed commission's page offers no Remove button; a stale page's press changes nothing.
    if gates.evidence_closed(commission) is None:
        commission_services.remove_measure(measure=measure, by=request.user)
    return done("measures", commission)


@login_required
def partners(request, pk):
    commission = load_commission(request, pk, "commissioning.change_commission")
    closed = gates.evidence_closed(commission)
    form = PartnerForm(posted(request, closed), commission=commission)
    ok, _ = run(
        request,
        form,
        lambda d: partner_services.add_partner(commission=commission, by=request.user, **d),
        success="The partner has been added.",
    )
    if ok:
        return done("partners", commission)
    return form_page(
        request,
        commission,
        form,
        title="Co-commissioning partners",
        button="Add the partner",
        back=reverse("commissioning:plan", args=[pk]),
        before="commissioning/_partners.html",
        intro="Partners who pool budgets with the office for this service, and what each contributes.",
        extra={"partners": commission.partners.select_related("organisation")},
        closed=closed,
    )


@login_required
def move(request, pk, name):
    step = transition_defined(Commission(), name)
    if step is None:
        raise Http404
    commission = load_commission(request, pk, "commissioning.transition_commission")
    label = transition_label(step)
    form = TransitionForm(request.POST or None, required=name == "withdraw")
    ok, result = run(
        request,
        form,
        lambda d: commission_services.transition(
            commission=commission,
            name=name,
            by=request.user,
            note=d["note"],
            expected_state=request.POST.get("expected_state") or None,
        ),
    )
    if ok:
        messages.success(request, step.custom["done"].format(reference=result.reference, cycle=result.cycle))
        return redirect("commissioning:detail", commission.pk)
    here = transition_named(commission, name)
    gaps = gates.transition_gaps(commission, here) if here is not None else []
    # Blocked: say what blocks it and where to do it; no button that could only fail.
    if stage := gates.stage_of(step):
        tasks_link = (
            reverse(f"commissioning:{stage}", args=[pk]),
            f"Go to the {Commission.Status(stage).label} tasks",
        )
    else:
        tasks_link = (reverse("commissioning:detail", args=[pk]), "Back to the commission")
    return form_page(
        request,
        commission,
        form,
        title=label,
        button=label,
        warning=step.custom.get("warning", False),
        back=reverse("commissioning:detail", args=[pk]),
        before="commissioning/_gaps.html",
        extra={
            "gaps": gaps,
            "available": here is not None,
            "expected_state": commission.status,
            "blocked": here is None or bool(gaps),
            "blocked_link": tasks_link,
        },
    )


@login_required
def bands(request):
    require(request, "commissioning.view_procurementband")
    ensure_default_bands()
    return render(
        request,
        "commissioning/bands.html",
        {
            "bands": ProcurementBand.objects.all(),
            "rules": CommissioningRules.current(),
            "can_edit": request.user.has_perm("commissioning.change_procurementband"),
            "streams": Stream.choices,
        },
    )
