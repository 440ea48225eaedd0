from opcc.models import Role
from opcc.navigation import AREA, OFFICE, NavItem

NAVIGATION = [
    NavItem("Grants", "grants:index", frozenset(OFFICE), "/grants/"),
    NavItem("Apply for funding", "grants:apply", frozenset({Role.PROVIDER}), "/grants/apply"),
    NavItem("Your applications", "grants:mine", frozenset({Role.PROVIDER}), "/grants/applications"),
    NavItem("LPCAF bids", "grants:area-bids", frozenset(AREA), "/grants/area-bids"),
]
