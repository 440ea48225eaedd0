"""Expensive aggregates cached with exact invalidation.

`cached(name, key, compute)` returns `compute()`'s value, kept in Django's cache under the current *data
version*: a token in the database (one row of `DataVersion`) that is replaced after every committed
write to the domain's tables. Any change to the data therefore retires every figure computed before
it, whichever process made the change (web, Celery worker, a management command) and however it was
made (save, bulk_create, queryset update or delete, raw SQL through Django's connection), because the
writes are noticed by an execute wrapper on the database connection, not by model signals.

- A write in autocommit mode replaces the token at once; a write inside a transaction replaces it when
  the transaction commits (`on_commit`), and not at all if it rolls back.
- Inside a transaction that has written to a watched table and not yet committed, `cached` computes
  afresh and stores nothing: that transaction sees data nobody else can yet.
- The reader takes the token before computing, so a figure computed from data older than a change can
  only ever be stored under the token that change replaced.
- Entries also expire after `TIMEOUT` seconds, which bounds the effect of a writer killed between its
  commit and replacing the token.

Watched: every table of the domain apps (funding, commissioning, grants, reporting) and the places and
organisations of the core; not sessions, users, the outbox or the audit log, which change all day.
"""

import hashlib
import re
import uuid
from functools import partial

from django.apps import apps
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate, pre_migrate

from opcc.apps import DOMAIN_APPS
from opcc.models import DataVersion

TIMEOUT = 15 * 60
CORE_MODELS = ("LocalPolicingArea", "CommunitySafetyPartnership", "Organisation", "Membership")
_WRITE = re.compile(
    r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|TRUNCATE(?:\s+TABLE)?)\s+[`"]?(\w+)', re.IGNORECASE
)
_watched: frozenset | None = None
_migrating = False  # while migrations run, the version table may not exist yet


def watched_tables() -> frozenset:
    global _watched
    if _watched is None:
        tables = {
            m._meta.db_table
            for label in DOMAIN_APPS
            for m in apps.get_app_config(label).get_models(include_auto_created=True)
        }
        tables |= {apps.get_model("opcc", name)._meta.db_table for name in CORE_MODELS}
        _watched = frozenset(tables)
    return _watched


def _writes_watched(sql: str) -> bool:
    match = _WRITE.match(sql)
    if match is None:
        return False
    if sql.lstrip()[:8].upper() == "TRUNCATE":
        return True  # e.g. a test database being emptied: whatever it empties, start afresh
    return match.group(1) in watched_tables()


def new_version(alias: str = DEFAULT_DB_ALIAS) -> None:
    """Replace the token (a fresh random one: a rolled-back transaction can never bring an old one back)."""

    token = uuid.uuid4().hex
    if not DataVersion.objects.using(alias).filter(pk=1).update(token=token):
        DataVersion.objects.using(alias).get_or_create(pk=1, defaults={"token": token})


def _pending(connection) -> bool:
    return any(getattr(func, "opcc_new_version", False) for _sids, func, _robust in connection.run_on_commit)


def _watch_writes(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if not _migrating and isinstance(sql, str) and _writes_watched(sql):
        connection = context["connection"]
        if not connection.in_atomic_block:
            new_version(connection.alias)
        elif not _pending(connection):
            callback = partial(new_version, connection.alias)
            callback.opcc_new_version = True
            transaction.on_commit(callback, using=connection.alias)
    return result


def install(sender=None, connection=None, **kwargs) -> None:
    if connection is not None and _watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, _watch_writes)


def _migration_started(sender, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    global _migrating
    _migrating = True


def _migration_finished(sender, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    """Migrations may have changed data: start afresh (once the version table exists)."""
    global _migrating
    _migrating = False
    if sender.label == "opcc" and not connections[using].in_atomic_block:
        try:
            new_version(using)
        except DatabaseError:  # migrated only part of the way: no version table yet
            _migrating = True


def connect() -> None:
    """Called from OpccConfig.ready(): every database connection, now and later, watches its writes."""
    connection_created.connect(install, dispatch_uid="opcc.aggregates.install")
    pre_migrate.connect(_migration_started, dispatch_uid="opcc.aggregates.pre_migrate")
    post_migrate.connect(_migration_finished, dispatch_uid="opcc.aggregates.post_migrate")
    for connection in connections.all(initialized_only=True):
        install(connection=connection)


def current_version(alias: str = DEFAULT_DB_ALIAS) -> str:

    token = DataVersion.objects.using(alias).filter(pk=1).values_list("token", flat=True).first()
    if token is None:
        new_version(alias)
        token = DataVersion.objects.using(alias).filter(pk=1).values_list("token", flat=True).first()
    return token


def cached(name: str, key, compute, *, alias: str = DEFAULT_DB_ALIAS):
    """`compute()`, cached under (name, key, data version). `key` must be hashable by its repr."""
    connection = connections[alias]
    if connection.in_atomic_block and _pending(connection):
        return compute()
    digest = hashlib.sha256(repr(key).encode()).hexdigest()[:32]
    cache_key = f"agg:{name}:{current_version(alias)}:{digest}"
    value = cache.get(cache_key)
    if value is None:
        value = compute()
        cache.set(cache_key, value, TIMEOUT)
    return value
