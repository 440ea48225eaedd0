"""What every commissioning view shares: loading with a permission check, and running one service."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django_fsm import TransitionNotAllowed

from commissioning.models import Commission
from opcc.forms import errors_to_form


def require(request, perm, obj=None):
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def load_commission(request, pk, perm="commissioning.view_commission") -> Commission:
    commission = get_object_or_404(Commission.objects.select_related("officer"), pk=pk)
    require(request, perm, commission)
    return commission


def run(request, form, action, *, success: str | None = None):
    """POST with a valid form: call the service. Returns (done, result); errors go on the form, nothing saved."""
    if request.method != "POST" or not form.is_valid():
        return False, None
    try:
        result = action(form.cleaned_data)
    except (TransitionNotAllowed, PermissionDenied) as exc:
        if isinstance(exc, PermissionDenied) and not str(exc):
            raise
        form.add_error(None, str(exc))
        return False, None
    except ValidationError as exc:
        errors_to_form(form, exc)
        return False, None
    if success:
        messages.success(request, success)
    return True, result


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


def posted(request, closed):
    """The submitted data, or None when the form is closed: nothing posted to a closed form is used or checked."""
    return None if closed else (request.POST or None)


def done(url_name, commission, *args):
    return redirect(f"commissioning:{url_name}", commission.pk, *args)


def not_found():
    raise Http404
