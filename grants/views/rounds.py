"""Rounds: opening and changing them, their page, and the offer letters for a whole round."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from grants import letters, selectors
from grants.forms.offers import LetterTemplateForm
from grants.forms.rounds import RoundForm
from grants.models import Application, Round
from grants.services import letter_batches as letter_batch_services
from grants.services import offers as offer_services
from grants.services import rounds as round_services
from opcc.forms import errors_to_form as _errors_to_form
from opcc.models import Document, Objective
from opcc.paging import page_of
from opcc.permissions import require_view_perm
from opcc.views.documents import as_download
from opcc.views.forms import run


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
    require_view_perm(request, "grants.manage_rounds")
    round_ = get_object_or_404(Round, pk=pk) if pk else None
    form = RoundForm(request.POST or None, initial=_round_initial(round_), creating=round_ is None)
    if request.method == "POST" and form.is_valid():
        try:
            round_ = round_services.save_round(
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
    require_view_perm(request, "grants.view_grants")
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
    require_view_perm(request, "grants.make_offer")
    round_ = get_object_or_404(Round, pk=pk)
    if request.method == "POST":
        with transaction.atomic():
            batch = letter_batch_services.request_letter_batch(round_=round_, by=request.user)
        messages.success(
            request, f"Letters for {batch.total} offer{'s' if batch.total != 1 else ''} are being prepared."
        )
        return redirect("grants:round-letters", pk=round_.pk)
    batch = round_.letter_batches.first()
    copies = []
    if batch is not None:
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
    require_view_perm(request, "grants.edit_letter_template")
    template = selectors.current_template()
    form = LetterTemplateForm(
        request.POST or None,
        placeholders=letters.PLACEHOLDERS,
        initial={"letterhead": template.letterhead, "body": template.body},
    )
    done, _ = run(
        request,
        form,
        lambda data: offer_services.save_template(by=request.user, **data),
        success="The offer letter has been saved. Letters already accepted do not change.",
    )
    if done:
        return redirect("grants:letter-template-preview")
    return render(request, "grants/letter_template.html", {"form": form, "template": template})


@login_required
def letter_template_preview(request):
    require_view_perm(request, "grants.edit_letter_template")
    template = selectors.current_template()
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
