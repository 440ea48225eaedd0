"""Who may decide how much: the office's default delegation levels for grants and for contract awards.

The data migration writes them; `ensure()` writes any that are missing (never over an edit), for databases
emptied since. The office changes them in the settings site (funding.DelegationLevel)."""

from decimal import Decimal

from funding.models import DecisionKind, DelegationLevel

# (kind of decision, role, label, up to and including; None for no upper limit)
DEFAULTS = [
    (DecisionKind.GRANT, "commissioning_officer", "Commissioning officer: up to £25,000", "25000"),
    (DecisionKind.GRANT, "head_of_commissioning", "Head of commissioning: up to £100,000", "100000"),
    (DecisionKind.GRANT, "pcc", "Police and Crime Commissioner: any amount", None),
    (DecisionKind.CONTRACT, "commissioning_officer", "Commissioning officer", "100000"),
    (DecisionKind.CONTRACT, "head_of_commissioning", "Head of commissioning", "500000"),
    (DecisionKind.CONTRACT, "pcc", "Police and Crime Commissioner (decision record)", None),
]


def write_defaults(model) -> int:
    """Write the missing default levels through `model` (the migration's historical model or the real one)."""
    written = 0
    for decides, role, label, up_to in DEFAULTS:
        _, created = model.objects.get_or_create(
            decides=str(decides),
            role=role,
            defaults={"label": label, "up_to": Decimal(up_to) if up_to else None},
        )
        written += created
    return written


def ensure() -> int:
    return write_defaults(DelegationLevel)
