"""The form page every app writes: bind the posted form, call one service, put its refusal on the form."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django_fsm import TransitionNotAllowed

from opcc.forms import errors_to_form


def run(request, form, action, *, success: str | Callable[..., str] | None = None):
    """POST with a valid form: call `action(form.cleaned_data)`. Returns (done, result). A refusal (a
    ValidationError, a transition no longer allowed, a PermissionDenied with a reason) goes on the form and
    nothing is saved; a PermissionDenied without a reason is a 403. `success` (a sentence, or a function of the
    result that makes one) is flashed when it is done."""
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
        messages.success(request, success(result) if callable(success) else success)
    return True, result


def posted(request, closed=None):
    """The submitted data, or None when the form is closed: nothing posted to a closed form is used or checked.
    Bound on every POST, even an empty one (nothing ticked), so the form's errors show."""
    return request.POST if request.method == "POST" and not closed else None
