"""The demo's data for the tests that need it, built once per run and copied back in about a second.

Building the demo runs the real services (awards made and paid, offers sent and accepted, returns filed): from ten
seconds for one app's part to forty for the whole of `seed_demo`. A test asks for it with `load("core", "funding")`.
The first such call in a run builds those parts in that order and keeps a copy of every table and of the files
stored under MEDIA_ROOT; a later call, in this process or another xdist worker, empties the tables and copies the
rows back (COPY on PostgreSQL). A longer list is built on the copy of its longest kept beginning, so
`("core", "funding", "grants")` builds only the grants part once `("core", "funding")` is kept.

What is restored is byte for byte what was built, on the same day: the copies are named by the date, and a test that
needs the demo as of another day (freezegun) builds it itself.
"""

from __future__ import annotations

import fcntl
import hashlib
import io
import os
import pickle
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

CACHE_ENV = "OPCC_TEST_DEMO_CACHE"
ORIGINAL_DB_ENV = "OPCC_TEST_DATABASE_NAME"  # the database name before the tests renamed it


def _seed_demo() -> None:
    call_command("seed_demo", stdout=io.StringIO())


def _part(app: str) -> Callable[[], None]:
    def build() -> None:
        from importlib import import_module

        import_module(f"{app}.demo").load()

    return build


def _core() -> None:
    from opcc.demo import load_core

    load_core()


# What each name builds. "seed_demo" is the management command, the whole demo as `make run` loads it (its emails
# recorded as sent); the others are each app's part, as a test that needs only some of it loads them.
PARTS: dict[str, Callable[[], None]] = {
    "core": _core,
    "funding": _part("funding"),
    "commissioning": _part("commissioning"),
    "grants": _part("grants"),
    "reporting": _part("reporting"),
    "seed_demo": _seed_demo,
}


def load(*parts: str) -> None:
    """Make the database hold exactly the demo's `parts`, built in that order (and nothing else)."""
    unknown = [p for p in parts if p not in PARTS]
    if not parts or unknown:
        raise ValueError(f"Name the demo's parts from {sorted(PARTS)}; not {unknown or 'none'}")
    _restore(_kept(tuple(parts)))


def cache_dir() -> Path:
    """Shared by the run's xdist workers (conftest.py sets it in the controller, which the workers inherit)."""
    path = os.environ.get(CACHE_ENV)
    if not path:
        path = tempfile.mkdtemp(prefix="opcc-demo-")
        os.environ[CACHE_ENV] = path
    Path(path).mkdir(parents=True, exist_ok=True)
    return Path(path)


def _name(parts: tuple[str, ...]) -> str:
    day = timezone.localdate().isoformat()
    digest = hashlib.sha1(f"{connection.vendor}|{day}|{'+'.join(parts)}".encode()).hexdigest()[:16]
    return f"{'-'.join(parts)}-{digest}"


def _kept(parts: tuple[str, ...]) -> Path:
    """The kept copy of `parts`, built first if no worker has built it yet. Locks are taken longest list first, and
    a worker holding a shorter one never asks for a longer one, so two workers never wait on each other."""
    path = cache_dir() / f"{_name(parts)}.pickle"
    with open(cache_dir() / f"{_name(parts)}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not path.exists():
            _restore(_kept(parts[:-1]) if len(parts) > 1 else _migrated_state())
            with transaction.atomic():
                PARTS[parts[-1]]()
            _dump(path)
    return path


def keep_migrated_state() -> None:
    """Keep the database as the migrations left it (the outcome catalogue, tiers, delegation levels...): what the
    demo is built on. Called once per worker before its first test (conftest.py); the first worker's copy serves."""
    path = _migrated_state()
    with open(path.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not path.exists():
            _dump(path, media=False)


def _migrated_state() -> Path:
    return cache_dir() / f"migrated-{connection.vendor}.pickle"


# ---- Copying every table out and back ------------------------------------------------------------------------


def _tables() -> list[str]:
    return sorted(connection.introspection.django_table_names(only_existing=True, include_views=False))


def _media() -> Path:
    return Path(settings.MEDIA_ROOT)


def _dump(path: Path, *, media: bool = True) -> None:
    tables: dict[str, object] = {}
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in _tables():
            if connection.vendor == "postgresql":
                buffer = io.StringIO()
                cursor.cursor.copy_expert(f"COPY {quote(table)} TO STDOUT", buffer)
                if buffer.tell():
                    tables[table] = buffer.getvalue()
            else:
                cursor.execute(f"SELECT * FROM {quote(table)}")  # noqa: S608 (names from Django's introspection)
                rows = cursor.fetchall()
                if rows:
                    tables[table] = ([c[0] for c in cursor.description], rows)
    if media and _media().exists():
        shutil.copytree(_media(), path.with_suffix(".media"), dirs_exist_ok=True)
    partial = path.with_suffix(".partial")
    partial.write_bytes(pickle.dumps(tables, protocol=pickle.HIGHEST_PROTOCOL))
    partial.rename(path)  # another worker sees the whole file or none


def _empty_tables() -> None:
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Checks a test left deferred must run first: PostgreSQL refuses to empty a table with some pending.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("TRUNCATE " + ", ".join(quote(t) for t in _tables()))
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            for table in _tables():
                cursor.execute(f"DELETE FROM {quote(table)}")  # noqa: S608


def _restore(path: Path) -> None:
    tables = pickle.loads(path.read_bytes())  # noqa: S301 (written by this run, in its own temporary directory)
    quote = connection.ops.quote_name
    with transaction.atomic():
        _empty_tables()
        with connection.cursor() as cursor:
            for table, data in tables.items():
                if connection.vendor == "postgresql":
                    cursor.cursor.copy_expert(f"COPY {quote(table)} FROM STDIN", io.StringIO(data))
                else:
                    columns, rows = data
                    names = ", ".join(quote(c) for c in columns)
                    marks = ", ".join(["%s"] * len(columns))
                    cursor.executemany(f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})", rows)  # noqa: S608
            if connection.vendor == "postgresql":
                _move_sequences_past_the_rows(cursor, list(tables))
    ContentType.objects.clear_cache()  # the restored ids, not those the process saw before
    media = path.with_suffix(".media")
    if media.exists():
        shutil.copytree(media, _media(), dirs_exist_ok=True)


def _move_sequences_past_the_rows(cursor, tables: list[str]) -> None:
    """Each identity column's next value beyond the restored rows. Never lowered: `setval` is not undone when a
    test's transaction rolls back, and rows committed before it (a module's shared data) keep their ids."""
    quote = connection.ops.quote_name
    for table in tables:
        for sequence in connection.introspection.get_sequences(cursor, table):
            name, column = sequence["name"], sequence["column"]
            cursor.execute(
                f"SELECT setval(%s, GREATEST((SELECT COALESCE(MAX({quote(column)}), 1) FROM {quote(table)}), "  # noqa: S608
                f"(SELECT last_value FROM {quote(name)})))",
                [name],
            )
