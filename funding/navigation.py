from opcc.navigation import OFFICE, NavItem

NAVIGATION = [
    NavItem("Funding", "funding:index", frozenset(OFFICE), "/funding/2"),
    NavItem("Awards", "funding:awards", frozenset(OFFICE), "/funding/awards"),
    NavItem("Payments due", "funding:payments-due", frozenset(OFFICE), "/funding/payments-due"),
]
