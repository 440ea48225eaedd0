"""How an app higher up (commissioning, grants) can show what a lower one (reporting) knows about an award.

Reporting registers a provider in its AppConfig.ready(); callers get None when nothing is registered,
and say so honestly on the page.
"""

_performance_providers: list = []


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
