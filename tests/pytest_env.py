# A pytest plugin (-p tests.pytest_env), imported before Django reads its settings: the test suite runs with local-development defaults.
import os

os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("DEMO_MODE", "true")
# Playwright's sync API runs an event loop in the test thread; Django must allow ORM calls there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
