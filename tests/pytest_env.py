# A pytest plugin (-p tests.pytest_env), imported before Django reads its settings: the test suite runs with local-development defaults.
import os

os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("DEMO_MODE", "true")
# Playwright's sync API runs an event loop in the test thread; Django must allow ORM calls there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Libraries that bind datetime classes when first imported (openpyxl keys its number formats by them) must be
# imported before any test freezes time, or a later test finds freezegun's stand-in classes in their tables.
import openpyxl  # noqa: E402, F401
