"""Service navigation per role: one list, read by the base template."""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from opcc.models import Role

OFFICE = {Role.COMMISSIONING_OFFICER, Role.HEAD_OF_COMMISSIONING, Role.PCC, Role.FINANCE_OFFICER, Role.AUDITOR}
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
    NavItem("Organisations", "organisations:list", frozenset(OFFICE), "/organisations"),
    NavItem("Your organisations", "organisations:mine", frozenset({Role.PROVIDER}), "/organisations"),
    NavItem("Areas", "areas:list", frozenset(OFFICE | AREA), "/areas"),
]


def items_for(user, path: str) -> list[dict]:
    if not user.is_authenticated:
        return []
    items = []
    for item in NAVIGATION:
        if user.role not in item.roles:
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        items.append({"label": item.label, "url": url, "active": path.startswith(item.prefix)})
    return items
