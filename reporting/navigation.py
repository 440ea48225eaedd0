from opcc.models import Role
from opcc.navigation import OFFICE, FooterLink, NavItem

NAVIGATION = [
    # Crime trends sit inside the dashboard's own sub-navigation, keeping the service menu short.
    NavItem("Dashboard", "reporting:dashboard", frozenset(OFFICE), "/dashboard"),
    NavItem("Outcome returns", "reporting:returns", frozenset(OFFICE), "/monitoring"),
    NavItem("Outcome returns", "reporting:my-returns", frozenset({Role.PROVIDER}), "/monitoring"),
    NavItem(
        "Payments reporting",
        "reporting:payments-compliance",
        frozenset({Role.FINANCE_OFFICER, Role.HEAD_OF_COMMISSIONING}),
        "/payments-reporting",
    ),
    NavItem(
        "Contract copies",
        "reporting:contract-copies",
        frozenset({Role.COMMISSIONING_OFFICER, Role.HEAD_OF_COMMISSIONING}),
        "/transparency-review",
    ),
]

FOOTER = [
    FooterLink("Transparency", "reporting:transparency"),
    FooterLink("Open data", "reporting:open-data"),
]
