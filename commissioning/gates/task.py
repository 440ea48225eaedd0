"""The task a stage's list shows, and the look-ups every gate shares: the commission's current procurement and
contract, and one-to-one records that may not exist yet."""

from dataclasses import dataclass

from django.urls import reverse

from commissioning.models import Commission, Procurement


@dataclass
class Task:
    name: str
    done: bool
    missing: str
    url: str | None = None
    hint: str = ""
    # "cannot start yet" tasks show as such on the task list
    can_start: bool = True
    # Who may follow the link: None for whoever may change the commission; otherwise only these roles
    # (a sign-off waits on one person, not on the lead officer).
    actors: frozenset | None = None
    linked: bool = False
    # A GOV.UK tag (text, colour class) shown as the status instead of Completed / Incomplete.
    tag: tuple[str, str] | None = None

    def link_for(self, user, can_change: bool) -> bool:
        if not (self.url and self.can_start):
            return False
        return user.role in self.actors if self.actors is not None else can_change


def _url(name, commission, *args):
    return reverse(f"commissioning:{name}", args=[commission.pk, *args])


def current_procurement(commission: Commission) -> Procurement | None:
    return (
        Procurement.objects.filter(commission=commission, cycle=commission.cycle)
        .select_related("chosen_quote__organisation")
        .first()
    )


def _one(procurement, name):
    try:
        return getattr(procurement, name)
    except Exception:  # noqa: BLE001 - a missing one-to-one
        return None


def current_contract(commission):
    procurement = current_procurement(commission)
    return _one(procurement, "contract") if procurement else None
