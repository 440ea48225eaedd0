"""Running a django-fsm-2 transition safely: row lock, stale-state check, permission, timeline entry.

Every lifecycle in the system (allocations, awards, commissions, applications, returns) goes
through `apply_transition`, so "two people at once" behaves the same everywhere: the first wins,
the second is told plainly what happened and nothing of theirs is half-applied.
"""

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import QuerySet
from django_fsm import Transition, TransitionNotAllowed, can_proceed, has_transition_perm

from opcc.models import TransitionLog
from opcc.types import Actor

M = TypeVar("M", bound=models.Model)


class StaleState(ValidationError):
    """The object moved on since the person loaded the page."""


def record_transition(
    obj: models.Model, *, transition: str, from_state: str, to_state: str, by: Any = None, note: str = ""
) -> TransitionLog:
    return TransitionLog.objects.create(
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=obj.pk,
        transition=transition,
        from_state=from_state,
        to_state=to_state,
        by=by if (by is not None and by.is_authenticated) else None,
        note=note,
    )


def state_label(obj: models.Model, field: str, value: str) -> str:
    state_field: Any = type(obj)._meta.get_field(field)
    choices = dict(state_field.choices or [])
    return str(choices.get(value, value))


def apply_transition(
    obj: M,
    transition: str,
    *,
    by: Any,
    note: str = "",
    expected_state: str | None = None,
    field: str = "status",
    check_permission: bool = True,
    before_save: Callable[[M], object] | None = None,
    **kwargs: Any,
) -> M:
    """Lock the row, check it is still where the user saw it, run the transition, save and log it.

    Returns the fresh, saved instance. Raises StaleState, PermissionDenied or TransitionNotAllowed.
    `before_save(locked)` may adjust the locked instance (e.g. record a decision) inside the transaction.
    """
    model = type(obj)
    with transaction.atomic():
        locked: M = model._default_manager.select_for_update().get(pk=obj.pk)
        current = getattr(locked, field)
        if expected_state is not None and current != expected_state:
            raise StaleState(
                f"Someone else changed this while you were looking at it: its status is now "
                f"“{state_label(locked, field, current)}”. Nothing you entered was saved; check it and try again."
            )
        method = getattr(locked, transition)
        if not can_proceed(method):
            raise TransitionNotAllowed(
                f"This cannot be done while its status is “{state_label(locked, field, current)}”."
            )
        if check_permission and not has_transition_perm(method, by):
            raise PermissionDenied("You do not have permission to do this.")
        method(**kwargs)
        if before_save is not None:
            before_save(locked)
        # The state field is protected (only transitions change it), so it is left out of field cleaning.
        locked.full_clean(exclude=[field])
        locked.save()
        record_transition(
            locked,
            transition=transition,
            from_state=current,
            to_state=getattr(locked, field),
            by=by,
            note=note,
        )
    return locked


def timeline_for(obj: models.Model) -> QuerySet[TransitionLog]:
    """The object's state changes, newest first, with who made them."""
    return TransitionLog.objects.filter(
        content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk
    ).select_related("by")


def transition_label(t: Transition) -> str:
    """The words a page shows for a transition: `custom={"label": ...}` on its decorator."""
    return str(t.custom.get("label") or t.name.replace("_", " ").capitalize())


def available_transitions(obj: models.Model, user: Actor, *, field: str = "status") -> list[Transition]:
    """The transitions `user` may run on `obj` now: its state allows them, their conditions (gates)
    are met and the user holds their permission. django-fsm's own `get_available_user_<field>_transitions`,
    so the decorator stays the one definition of a lifecycle. In the order the model declares them: a page
    draws the first as its main button."""
    return sorted(getattr(obj, f"get_available_user_{field}_transitions")(user), key=_declared_order(obj))


def _declared_order(obj: models.Model) -> Callable[[Any], int]:
    """Sort key for transitions: where the model's class body declares them (django-fsm lists them by name)."""
    names = [name for klass in reversed(type(obj).__mro__) for name in vars(klass)]
    order = {name: i for i, name in enumerate(names)}
    return lambda t: order.get(t.name if isinstance(t, Transition) else t.__name__, len(order))


def _methods(obj: models.Model, field: str) -> list[Any]:
    """The model's transition methods' descriptions (django-fsm's FSMMeta), in the order it declares them."""
    state_field: Any = obj._meta.get_field(field)  # django-fsm's FSMField
    methods = state_field.transitions[type(obj)]
    key = _declared_order(obj)
    return [m._django_fsm for m in sorted(methods.values(), key=key)]


def transitions_from_here(obj: models.Model, user: Actor, *, field: str = "status") -> list[Transition]:
    """The transitions `user` may run from `obj`'s current state, whether or not their conditions are met
    yet: what a task list shows as a step, blocked until its gate opens."""
    current = getattr(obj, field)
    found: list[Transition] = []
    for meta in _methods(obj, field):
        # has_transition knows the wildcards: "*" is any state, "+" any state but its own target.
        if meta.has_transition(current) and (t := meta.get_transition(current)).has_perm(obj, user):
            found.append(t)
    return found


def transition_named(obj: models.Model, name: str, *, field: str = "status") -> Transition | None:
    """The decorator's description of one transition from `obj`'s current state (None if there is none)."""
    current = getattr(obj, field)
    for meta in _methods(obj, field):
        if meta.has_transition(current):
            t: Transition = meta.get_transition(current)
            if t.name == name:
                return t
    return None


def transition_defined(obj: models.Model, name: str, *, field: str = "status") -> Transition | None:
    """The decorator's description of a transition whatever `obj`'s state (None if the model has no such
    transition): what a page names a step it cannot offer now. A transition from several states shares its
    label and conditions, so any one of its sources describes it."""
    for meta in _methods(obj, field):
        defined: list[Transition] = list(meta.transitions.values())
        for t in defined:
            if t.name == name:
                return t
    return None
