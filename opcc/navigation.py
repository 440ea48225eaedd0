"""Service navigation per role: one list, read by the base template."""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from opcc.apps import domain_modules
from opcc.models import Role

OFFICE = {
    Role.COMMISSIONING_OFFICER,
    Role.HEAD_OF_COMMISSIONING,
    Role.PCC,
    Role.FINANCE_OFFICER,
    Role.AUDITOR,
}
AREA = {Role.COMMUNITY_AMBASSADOR, Role.AREA_COMMANDER}
EVERYONE = set(Role)


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset
    # Paths under this prefix mark the item as the current section.
    prefix: str


NAVIGATION: list[NavItem] = [
    NavItem("Home", "home", frozenset(EVERYONE), "/home"),
]

# After the domain apps' items: the core's reference pages.
TRAILING: list[NavItem] = [
    NavItem("Organisations", "organisations:list", frozenset(OFFICE), "/organisations"),
    NavItem("Your organisations", "organisations:mine", frozenset({Role.PROVIDER}), "/organisations"),
    NavItem("Areas", "areas:list", frozenset(OFFICE | AREA), "/areas"),
    NavItem("Plan", "plan", frozenset(EVERYONE - {Role.PROVIDER}), "/plan"),
]


def all_items() -> list[NavItem]:
    """The core's items, then each domain app's `<app>/navigation.py` NAVIGATION, in dependency order."""

    items = list(NAVIGATION)
    for module in domain_modules("navigation"):
        items.extend(module.NAVIGATION)
    return items + TRAILING


def items_for(user, path: str) -> list[dict]:
    if not user.is_authenticated:
        return []
    items = []
    for item in all_items():
        if user.role not in item.roles:
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        items.append({"label": item.label, "url": url, "active": path.startswith(item.prefix)})
    return items
