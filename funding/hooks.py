"""How an app higher up (commissioning, grants) can show what a lower one (reporting) knows about an award.

Reporting registers a provider in its AppConfig.ready(); callers get None when nothing is registered,
and say so honestly on the page.
"""

from dataclasses import dataclass
from datetime import date

_performance_providers: list = []
_terms_providers: list = []


def register_performance_provider(provider) -> None:
    """provider(award) -> dict with at least {"rag": "red"|"amber"|"green"|None, "summary": str, "returns": [...]}"""
    if provider not in _performance_providers:
        _performance_providers.append(provider)


def award_performance(award) -> dict | None:
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


def register_monitoring_terms_provider(provider) -> None:
    """provider(award) -> MonitoringTerms | None"""
    if provider not in _terms_providers:
        _terms_providers.append(provider)


def monitoring_terms(award) -> MonitoringTerms | None:
    for provider in _terms_providers:
        result = provider(award)
        if result is not None:
            return result
    return None
