"""Service navigation per role, the footer's links and the sign-in page's notes: each domain app offers its own
(its `navigation.py`, its `<app>/sign_in_note.html`), so the core's templates name no other app's pages."""

from dataclasses import dataclass

from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import NoReverseMatch, reverse

from opcc import apps as opcc_apps
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


@dataclass(frozen=True)
class FooterLink:
    label: str
    url_name: str


# After the domain apps' links.
FOOTER: list[FooterLink] = [FooterLink("Accessibility statement", "accessibility")]


def all_items() -> list[NavItem]:
    """The core's items, then each domain app's `<app>/navigation.py` NAVIGATION, in dependency order."""

    items = list(NAVIGATION)
    for module in opcc_apps.domain_modules("navigation"):
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


def footer_links() -> list[dict]:
    """Each domain app's `navigation.FOOTER`, in dependency order, then the core's: for everyone, signed in or not."""
    links = [
        link for module in opcc_apps.domain_modules("navigation") for link in getattr(module, "FOOTER", [])
    ]
    return [{"label": link.label, "url": reverse(link.url_name)} for link in links + FOOTER]


def sign_in_notes() -> list[str]:
    """Each domain app's `<app>/sign_in_note.html`, where it has one: what it tells someone new to the service."""
    notes = []
    for name in (f"{label}/sign_in_note.html" for label in opcc_apps.DOMAIN_APPS):
        try:
            get_template(name)
        except TemplateDoesNotExist:
            continue
        notes.append(name)
    return notes
