"""opcc.permissions and opcc.views.forms: the one way views and services refuse, and run a form's service."""

from types import SimpleNamespace

import pytest
from django import forms
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory
from django_fsm import TransitionNotAllowed

from opcc.permissions import REFUSED, require_perm, require_view_perm
from opcc.views.forms import posted, run


class Person:
    def __init__(self, *perms):
        self.perms = set(perms)
        self.asked = []

    def has_perm(self, perm, obj=None):
        self.asked.append((perm, obj))
        return perm in self.perms


def test_a_service_refuses_with_a_sentence_and_passes_the_object():
    thing = object()
    person = Person("app.change_thing")
    require_perm(person, "app.change_thing", thing)
    assert person.asked == [("app.change_thing", thing)]
    with pytest.raises(PermissionDenied) as refused:
        require_perm(person, "app.delete_thing", thing)
    assert str(refused.value) == REFUSED


def test_a_service_refuses_nobody():
    with pytest.raises(PermissionDenied):
        require_perm(None, "app.view_thing")


def test_a_view_refuses_with_a_plain_403():
    request = SimpleNamespace(user=Person("app.view_thing"))
    require_view_perm(request, "app.view_thing")
    with pytest.raises(PermissionDenied) as refused:
        require_view_perm(request, "app.change_thing")
    assert str(refused.value) == ""


class NoteForm(forms.Form):
    note = forms.CharField()


def _post(data):
    request = RequestFactory().post("/", data)
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def test_run_calls_the_service_and_says_so():
    request = _post({"note": "hello"})
    done, result = run(request, NoteForm(posted(request)), lambda d: d["note"].upper(), success=lambda r: r)
    assert (done, result) == (True, "HELLO")
    assert [m.message for m in request._messages] == ["HELLO"]


@pytest.mark.parametrize(
    ("refusal", "field", "message"),
    [
        (ValidationError({"note": "Too short"}), "note", "Too short"),
        (ValidationError("Not now"), None, "Not now"),
        (TransitionNotAllowed("Already approved"), None, "Already approved"),
        (PermissionDenied("Only the head may"), None, "Only the head may"),
    ],
)
def test_run_puts_a_refusal_on_the_form(refusal, field, message):
    def refuse(data):
        raise refusal

    request = _post({"note": "hello"})
    form = NoteForm(posted(request))
    assert run(request, form, refuse, success="never") == (False, None)
    assert form.errors[field or "__all__"] == [message]
    assert list(request._messages) == []


def test_run_lets_a_bare_permission_denied_through_as_a_403():
    def refuse(data):
        raise PermissionDenied

    request = _post({"note": "hello"})
    with pytest.raises(PermissionDenied):
        run(request, NoteForm(posted(request)), refuse)


def test_an_empty_post_is_bound_so_its_errors_show_and_a_closed_form_takes_nothing():
    request = _post({})
    form = NoteForm(posted(request))
    assert run(request, form, lambda d: None) == (False, None) and "note" in form.errors
    assert posted(request, closed="It is closed") is None
    assert posted(RequestFactory().get("/")) is None
