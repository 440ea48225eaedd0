"""Validate the open-data files against the standards' schemas, resolved locally (no network).

The package schemas point at their item schemas by public URL; a `referencing` registry maps each URL to
the copy kept beside this module (the 360Giving 1.4.3 and OCDS 1.1.5 releases' files, unchanged).
"""

import json
import re
from datetime import datetime
from functools import cache
from pathlib import Path

from jsonschema import Draft4Validator, Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4, DRAFT202012

SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"


# RFC 3339 date-time, checked here because jsonschema checks "date-time" only with an optional package.
DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
FORMATS = FormatChecker()


@FORMATS.checks("date-time")
def _is_date_time(value) -> bool:
    if not isinstance(value, str):
        return True
    if not DATE_TIME.match(value):
        return False
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def _load(name: str) -> dict:
    return json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))


@cache
def grants_validator() -> Draft202012Validator:
    package = _load("360-giving-package-schema.json")
    item = _load("360-giving-schema.json")
    registry = Registry().with_resource(
        item["$id"], Resource.from_contents(item, default_specification=DRAFT202012)
    )
    return Draft202012Validator(package, registry=registry, format_checker=FORMATS)


@cache
def contracts_validator() -> Draft4Validator:
    package = _load("release-package-schema.json")
    release = _load("release-schema.json")
    registry = Registry().with_resource(
        release["id"], Resource.from_contents(release, default_specification=DRAFT4)
    )
    return Draft4Validator(package, registry=registry, format_checker=FORMATS)


def errors(validator, document: dict) -> list[str]:
    return [
        f"{'/'.join(str(p) for p in e.absolute_path) or '(root)'}: {e.message}"
        for e in sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    ]
