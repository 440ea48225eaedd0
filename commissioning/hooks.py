"""How commissioning asks an app below it (reporting) for a notice's OCDS release.

Reporting packages a notice's sections into a release (reporting/opendata/notices.py) and registers it in its
AppConfig.ready(); commissioning stores the release when the notice is published and offers the package as a
download. Nothing is invented here when no app has registered.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from commissioning.models import Notice


@dataclass(frozen=True)
class ReleaseProvider:
    release: Callable[[Notice], dict]  # the notice as one OCDS release
    package: Callable[[Notice], dict]  # the notice's release in a release package (published or as it stands)


_providers: list[ReleaseProvider] = []


def register_notice_release(provider: ReleaseProvider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def notice_release(notice: Notice) -> dict | None:
    return _providers[0].release(notice) if _providers else None


def notice_package(notice: Notice) -> dict | None:
    return _providers[0].package(notice) if _providers else None
