"""Data a test module builds once and every test in it reads.

`_built_once, world, records = built_once_per_module(rec.build, name="records")` gives the module two fixtures: `world` (as
tests/conftest.py's) and `records` (what `build(world)` returns), both made once for the module, inside a transaction
that is rolled back when the module ends. Each test still runs in a savepoint of its own (pytest-django's `db`), so
whatever one test writes is gone before the next; only the Python objects are shared, and no test may change them in
memory. The module's time may be frozen while the data is built (`frozen=`), as its tests freeze it; files stored
while building go to a media directory of the module's own, which every test in it uses.
"""

from types import SimpleNamespace

import pytest
from django.db import transaction
from django.test.utils import override_settings
from freezegun import freeze_time


def built_once_per_module(build, *, name: str, frozen: str | None = None):
    # Named alike in every module (fixtures are the module's own), so that `world` can ask for it by name and pytest
    # sets it up, being module-scoped, before the test's transaction (`db`) begins.
    @pytest.fixture(scope="module", name="_built_once")
    def _once(django_db_setup, django_db_blocker, tmp_path_factory):
        from tests.conftest import build_world

        media = tmp_path_factory.mktemp(f"{name}-media")
        clock = freeze_time(frozen) if frozen else None
        with (
            django_db_blocker.unblock(),
            override_settings(
                MEDIA_ROOT=media, PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
            ),
        ):
            atomic = transaction.atomic()
            atomic.__enter__()
            try:
                if clock:
                    clock.start()
                try:
                    world = build_world()
                    shared = SimpleNamespace(world=world, data=build(world), media=media)
                finally:
                    if clock:
                        clock.stop()
                yield shared
            finally:
                transaction.set_rollback(True)
                atomic.__exit__(None, None, None)

    @pytest.fixture(name="world")
    def _world(_built_once, db, settings):
        settings.MEDIA_ROOT = _built_once.media
        return _built_once.world

    @pytest.fixture(name=name)
    def _data(_built_once, world):
        return _built_once.data

    return _once, _world, _data
