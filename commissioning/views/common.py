"""What every commissioning view shares: loading a commission with a permission check, and its form page.
Running one service from a form is `opcc.views.forms.run`."""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from commissioning.models import Commission
from opcc.permissions import require_view_perm


def load_commission(request, pk, perm="commissioning.view_commission") -> Commission:
    commission = get_object_or_404(Commission.objects.select_related("officer"), pk=pk)
    require_view_perm(request, perm, commission)
    return commission


def form_page(
    request,
    commission,
    form,
    *,
    title,
    button,
    back,
    intro="",
    caption=None,
    before=None,
    after=None,
    multipart=False,
    warning=False,
    extra=None,
    closed=None,
    closed_link=None,
):
    """A form page. closed: why its form would be refused now (a sentence or a list); the page then shows what is
    recorded (the `before` template) and the reason, with no form that could only fail."""
    context = {
        "commission": commission,
        "form": form,
        "title": title,
        "button": button,
        "back": back,
        "intro": intro,
        "caption": caption or (f"{commission.reference} {commission.title}" if commission else ""),
        "before": before,
        "after": after,
        "multipart": multipart,
        "warning": warning,
    }
    if closed:
        context.update(
            blocked=True,
            closed=[closed] if isinstance(closed, str) else list(closed),
            blocked_link=closed_link or (back, "Back"),
        )
    context.update(extra or {})
    return render(request, "commissioning/form.html", context)


def done(url_name, commission, *args):
    return redirect(f"commissioning:{url_name}", commission.pk, *args)


def not_found():
    raise Http404


def stage_url(pk, stage="do"):
    return reverse(f"commissioning:{stage}", args=[pk])


def tasks_link(pk, stage="do"):
    return stage_url(pk, stage), f"Go to the {stage.capitalize()} tasks"
