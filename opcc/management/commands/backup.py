"""manage.py backup [--to DIR]: the database (pg_dump custom format, or a SQLite copy) and uploaded documents."""

import os
import sqlite3
import subprocess
import tarfile
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection


def pg_env(db: dict) -> dict:
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if db.get(key):
            env[var] = str(db[key])
    return env


class Command(BaseCommand):
    help = "Back up the database and the uploaded documents into one folder."

    def add_arguments(self, parser):
        parser.add_argument("--to", help="Folder to write to (default: backups/<date-time>)")

    def handle(self, *args, **options):
        target = Path(
            options["to"] or Path(settings.BASE_DIR) / "backups" / datetime.now().strftime("%Y%m%d-%H%M%S")
        )
        target.mkdir(parents=True, exist_ok=True)
        db = settings.DATABASES["default"]
        if connection.vendor == "postgresql":
            name = connection.settings_dict["NAME"]
            result = subprocess.run(
                ["pg_dump", "--format=custom", "--no-owner", "--file", str(target / "database.dump"), name],
                env=pg_env(db),
                capture_output=True,
                text=True,
            )
            if result.returncode != 0:
                raise CommandError(f"pg_dump failed: {result.stderr.strip()}")
        elif connection.vendor == "sqlite":
            source = sqlite3.connect(str(db["NAME"]))
            with sqlite3.connect(str(target / "database.sqlite3")) as copy:
                source.backup(copy)
            source.close()
        else:
            raise CommandError(f"No backup method for {connection.vendor}")
        media = Path(settings.MEDIA_ROOT)
        with tarfile.open(target / "media.tar.gz", "w:gz") as archive:
            if media.exists():
                archive.add(media, arcname="media")
        self.stdout.write(self.style.SUCCESS(f"Backed up to {target}"))
        return None
