"""What each Procurement Act notice says, prepared from the records the office already holds.

Every notice kind has one builder, registered with `@builds(kind)`, that returns a `Prepared`: the rows of the
readable page the officer copies from, the checklist of what is still missing, and the kind's part of the OCDS
release (reporting/opendata packages it with the identifiers, parties and tag). Checks that hold for several
kinds (a conflicts assessment before a tender or transparency notice, say) register with `@checks(*kinds)`.

The modules below register themselves when this package is imported.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from commissioning.models import Notice


@dataclass
class Prepared:
    # (label, value) rows for the readable page, in the order the platform's form asks them.
    rows: list[tuple[str, str]] = field(default_factory=list)
    # What must be recorded before the notice can be published, in words an officer acts on.
    missing: list[str] = field(default_factory=list)
    # The kind's sections of an OCDS 1.1.5 release ("tender", "awards", "contracts", "planning", ...).
    release: dict = field(default_factory=dict)
    # Where to fix a missing item: {missing item: URL}. An item without a link is fixed outside the system.
    links: dict[str, str] = field(default_factory=dict)


Builder = Callable[[Notice], Prepared]
Check = Callable[[Notice], list[str]]

BUILDERS: dict[str, Builder] = {}
CHECKS: dict[str, list[Check]] = {}


def builds(kind: str) -> Callable[[Builder], Builder]:
    def register(builder: Builder) -> Builder:
        if kind in BUILDERS:
            raise ValueError(f"{kind} already has a builder: {BUILDERS[kind].__qualname__}")
        BUILDERS[kind] = builder
        return builder

    return register


def checks(*kinds: str) -> Callable[[Check], Check]:
    def register(check: Check) -> Check:
        for kind in kinds:
            CHECKS.setdefault(kind, []).append(check)
        return check

    return register


def prepare(notice: Notice) -> Prepared:
    """The notice's content and checklist. A kind without a builder is a programming error, not a user's."""
    prepared = BUILDERS[notice.kind](notice)
    for check in CHECKS.get(notice.kind, []):
        prepared.missing.extend(check(notice))
    return prepared


# Each module registers its kinds' builders and checks (one module per part of the Act's lifecycle).
from commissioning.notice_content import award, changes, conflicts, payments, tendering  # noqa: E402, F401
