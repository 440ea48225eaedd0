from opcc.models import Role
from opcc.navigation import OFFICE, NavItem

NAVIGATION = [
    NavItem("Outcome returns", "reporting:returns", frozenset(OFFICE), "/monitoring"),
    NavItem("Outcome returns", "reporting:my-returns", frozenset({Role.PROVIDER}), "/monitoring"),
]
