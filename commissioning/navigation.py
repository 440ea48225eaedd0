from opcc.models import Role
from opcc.navigation import OFFICE, NavItem

NAVIGATION = [
    NavItem("Commissioning", "commissioning:index", frozenset(OFFICE), "/commissioning"),
    NavItem(
        "Evaluations", "commissioning:evaluations", frozenset({Role.EVALUATOR}), "/commissioning/evaluations"
    ),
]
