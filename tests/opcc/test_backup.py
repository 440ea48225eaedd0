"""A backup restored into a fresh database (and media folder) holds everything that was there."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from opcc.services import documents

ROOT = Path(__file__).resolve().parents[2]


def manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180
    )


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="pg_dump and pg_restore need PostgreSQL (CI runs it)"
)
def test_backup_then_restore_into_a_fresh_database_finds_everything(
    transactional_db, world, tmp_path, settings
):
    doc = documents.store_document(
        uploaded=SimpleUploadedFile("policy.pdf", b"%PDF-1.7\n%%EOF\n"),
        attached_to=world.organisation,
        by=None,
        title="Safeguarding policy",
    )
    db = connection.settings_dict
    base_env = {**os.environ, "DEBUG": "true", "MEDIA_ROOT": str(settings.MEDIA_ROOT)}
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    backup_env = {**base_env, "DATABASE_URL": f"{url}/{db['NAME']}"}
    result = manage("backup", "--to", str(tmp_path / "bk"), env=backup_env)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "bk" / "database.dump").stat().st_size > 0

    fresh = f"{db['NAME']}_restored"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{fresh}"')
        cursor.execute(f'CREATE DATABASE "{fresh}"')
    try:
        restore_media = tmp_path / "restored-media"
        restore_env = {**base_env, "DATABASE_URL": f"{url}/{fresh}", "MEDIA_ROOT": str(restore_media)}
        result = manage("restore", str(tmp_path / "bk"), "--yes", env=restore_env)
        assert result.returncode == 0, result.stderr
        check = manage(
            "shell",
            "--no-imports",
            "-c",
            (
                "from opcc.models import Organisation, User, Document;"
                "d = Document.objects.get();"
                "print(Organisation.objects.count(), User.objects.count(), d.title, d.file.read() == b'%PDF-1.7\\n%%EOF\\n')"
            ),
            env=restore_env,
        )
        assert check.returncode == 0, check.stderr
        from opcc.models import Organisation, User

        last_line = check.stdout.strip().splitlines()[-1]
        assert last_line.split()[:2] == [str(Organisation.objects.count()), str(User.objects.count())]
        assert last_line.endswith("Safeguarding policy True")
        assert doc.title == "Safeguarding policy"
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{fresh}"')


def test_restore_without_a_terminal_changes_nothing_and_says_how_to_confirm(tmp_path, monkeypatch):
    from django.core.management import CommandError, call_command

    def no_terminal(prompt=""):
        raise EOFError

    monkeypatch.setattr("builtins.input", no_terminal)
    with pytest.raises(CommandError, match="Add --yes"):
        call_command("restore", str(tmp_path))
