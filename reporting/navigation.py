from opcc.models import Role
from opcc.navigation import OFFICE, FooterLink, NavItem

NAVIGATION = [
    # Crime trends sit inside the dashboard's own sub-navigation, keeping the service menu short.
    NavItem("Dashboard", "reporting:dashboard", frozenset(OFFICE), "/dashboard"),
    NavItem("Outcome returns", "reporting:returns", frozenset(OFFICE), "/monitoring"),
    NavItem("Outcome returns", "reporting:my-returns", frozenset({Role.PROVIDER}), "/monitoring"),
]

FOOTER = [
    FooterLink("Transparency", "reporting:transparency"),
    FooterLink("Open data", "reporting:open-data"),
]
