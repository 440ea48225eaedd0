"""manage.py restore FOLDER: put a backup made by `manage.py backup` back, replacing what is there."""

import shutil
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from opcc.management.commands.backup import pg_env


class Command(BaseCommand):
    help = "Restore the database and uploaded documents from a backup folder (replaces current data)."

    def add_arguments(self, parser):
        parser.add_argument("folder")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation")

    def handle(self, *args, folder, yes, **options):
        source = Path(folder)
        if not source.is_dir():
            raise CommandError(f"No backup folder at {source}")
        if not yes:
            _confirm(source)
        _restore_database(source)
        from opcc.aggregates import new_version

        new_version()  # every cached figure predates the restored data
        media_archive = source / "media.tar.gz"
        if media_archive.exists():
            _restore_media(media_archive)
        self.stdout.write(self.style.SUCCESS(f"Restored from {source}"))


def _confirm(source: Path) -> None:
    try:
        answer = input(f"Replace the database and documents with {source}? Type yes: ")
    except EOFError:  # no terminal to ask (a script, cron): say how to confirm instead of a traceback
        raise CommandError(
            "Nothing was changed: there is no one to ask. Add --yes to restore without "
            "asking (make restore BACKUP=... RESTORE_ARGS=--yes)."
        ) from None
    if answer.strip() != "yes":
        raise CommandError("Nothing was changed.")


def _restore_database(source: Path) -> None:
    db = settings.DATABASES["default"]
    if connection.vendor == "postgresql":
        dump = source / "database.dump"
        if not dump.exists():
            raise CommandError(f"{dump} is missing")
        connection.close()
        result = subprocess.run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--dbname",
                connection.settings_dict["NAME"],
                str(dump),
            ],
            env=pg_env(db),
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise CommandError(f"pg_restore failed: {result.stderr.strip()}")
    elif connection.vendor == "sqlite":
        copy = source / "database.sqlite3"
        if not copy.exists():
            raise CommandError(f"{copy} is missing")
        connection.close()
        shutil.copyfile(copy, db["NAME"])
    else:
        raise CommandError(f"No restore method for {connection.vendor}")


def _restore_media(media_archive: Path) -> None:
    media = Path(settings.MEDIA_ROOT)
    if media.exists():
        shutil.rmtree(media)
    media.parent.mkdir(parents=True, exist_ok=True)
    with tarfile.open(media_archive, "r:gz") as archive:
        archive.extractall(media.parent / "_restore_tmp", filter="data")
    extracted = media.parent / "_restore_tmp" / "media"
    if extracted.exists():
        shutil.move(str(extracted), str(media))
    shutil.rmtree(media.parent / "_restore_tmp", ignore_errors=True)
