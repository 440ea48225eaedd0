"""How an app higher up (commissioning, grants) can show what a lower one (reporting) knows about an award.

Reporting registers a provider in its AppConfig.ready(); callers get None when nothing is registered,
and say so honestly on the page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypedDict

if TYPE_CHECKING:
    from funding.models import Award


class ReturnStanding(TypedDict):
    """One quarterly return of an award, as monitoring reports it to the pages above it."""

    quarter: str  # Quarter.short_label, e.g. "Q1 2026 to 2027"
    status: str  # a ReturnStatus value
    rag: str | None  # "red", "amber", "green", or None before the return is rated
    due_date: date
    id: int
    overdue: bool  # not sent and past its due date
    days_overdue: int


class AwardPerformance(TypedDict):
    """What monitoring knows about an award (`award_performance`)."""

    rag: str | None  # at the latest accepted return
    persistently_red: bool
    summary: str
    returns: list[ReturnStanding]  # newest first
    url: str  # the award's monitoring page


class MeasureSpec(TypedDict):
    """An outcome measure an app asks monitoring to collect for an award: what `<app>/outcomes.py`'s
    `measures_for_award(award)` returns a list of (None when the award did not come from that app)."""

    name: str
    kind: str  # "count", "percentage", "star" or "narrative"
    quarterly_target: Decimal | None
    unit: str
    star_name: str
    help: str


PerformanceProvider = Callable[["Award"], AwardPerformance | None]
TermsProvider = Callable[["Award"], "MonitoringTerms | None"]

_performance_providers: list[PerformanceProvider] = []
_terms_providers: list[TermsProvider] = []


def register_performance_provider(provider: PerformanceProvider) -> None:
    if provider not in _performance_providers:
        _performance_providers.append(provider)


def award_performance(award: Award) -> AwardPerformance | None:
    for provider in _performance_providers:
        result = provider(award)
        if result is not None:
            return result
    return None


@dataclass(frozen=True)
class MonitoringTerms:
    """What monitoring will ask of an award, for an offer letter or a page: proportionate to its value."""

    tier: str  # the tier's name, e.g. "Light"
    sentence: str  # the whole requirement as the letter says it, e.g. "You will send one end-of-project report by ..."
    asks: tuple[
        str, ...
    ]  # short phrases, e.g. ("One end-of-project report, due 30 days after the award ends",)
    end_of_project_report_due: date | None = None


def register_monitoring_terms_provider(provider: TermsProvider) -> None:
    if provider not in _terms_providers:
        _terms_providers.append(provider)


def monitoring_terms(award: Award) -> MonitoringTerms | None:
    for provider in _terms_providers:
        result = provider(award)
        if result is not None:
            return result
    return None


class AwardLink(TypedDict):
    """A link an app above funding adds to an award's page (grants: the grant's variations)."""

    text: str
    url: str


AwardLinksProvider = Callable[["Award", object], list[AwardLink]]
_award_link_providers: list[AwardLinksProvider] = []


def register_award_links_provider(provider: AwardLinksProvider) -> None:
    if provider not in _award_link_providers:
        _award_link_providers.append(provider)


def award_links(award: Award, user: object) -> list[AwardLink]:
    """The links the apps above funding offer this person on the award's page."""
    return [link for provider in _award_link_providers for link in provider(award, user)]


# What must be true before an award may be marked completed, from the apps above (monitoring asks a grant's
# accepted final report). A gate returns the reason completion must wait, or None.
CompletionGate = Callable[["Award"], str | None]
_completion_gates: list[CompletionGate] = []


def register_completion_gate(gate: CompletionGate) -> None:
    if gate not in _completion_gates:
        _completion_gates.append(gate)


def completion_blocker(award: Award) -> str | None:
    """Why the award cannot be completed yet (None: nothing stands in the way)."""
    for gate in _completion_gates:
        if (reason := gate(award)) is not None:
            return reason
    return None


def may_complete(award: Any) -> bool:
    """The award's `complete` transition's condition (django-fsm passes the instance as a Model)."""
    return completion_blocker(award) is None


# The final spend an award's accepted final report gives (monitoring knows it), to fill in a recovery.
FinalSpendProvider = Callable[["Award"], "Decimal | None"]
_final_spend_providers: list[FinalSpendProvider] = []


def register_final_spend_provider(provider: FinalSpendProvider) -> None:
    if provider not in _final_spend_providers:
        _final_spend_providers.append(provider)


def final_spend_of(award: Award) -> Decimal | None:
    for provider in _final_spend_providers:
        if (spend := provider(award)) is not None:
            return spend
    return None
