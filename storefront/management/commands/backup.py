"""`manage.py backup DEST`: one dated archive of the SQLite database, the job queue and the photos.

The database is copied with SQLite's online backup API, page by page under SQLite's own locking,
so the copy is consistent (every committed order in, nothing half-written) while the site keeps
taking orders. For PostgreSQL and object storage use pg_dump and a bucket sync (README).
"""

import json
import sqlite3
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.utils import timezone

DATABASE = "db.sqlite3"
JOBS = "jobs.sqlite3"
MEDIA = "media"


def sqlite_copy(source: Path, target: Path) -> None:
    with sqlite3.connect(source) as live, sqlite3.connect(target) as copy:
        live.backup(copy, pages=1024)


class Command(BaseCommand):
    help = "Write a consistent, dated backup archive of the SQLite database, the job queue and the photos."

    def add_arguments(self, parser):
        parser.add_argument("dest", help="folder the archive is written to")

    def handle(self, *args, dest, **options):
        database = connections["default"]
        if database.vendor != "sqlite":
            raise CommandError("This database is not SQLite: back it up with pg_dump (README, 'Backups').")
        folder = Path(dest)
        folder.mkdir(parents=True, exist_ok=True)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        archive = folder / f"chophien-{stamp}.tar.gz"
        with tempfile.TemporaryDirectory() as work:
            work = Path(work)
            sqlite_copy(Path(database.settings_dict["NAME"]), work / DATABASE)
            members = {DATABASE: work / DATABASE}
            if Path(settings.JOBS_FILE).exists():
                sqlite_copy(Path(settings.JOBS_FILE), work / JOBS)
                members[JOBS] = work / JOBS
            photos = isinstance(default_storage, FileSystemStorage) and Path(settings.MEDIA_ROOT).is_dir()
            manifest = {
                "created": timezone.now().isoformat(),
                "members": [*members, *([MEDIA] if photos else [])],
            }
            (work / "manifest.json").write_text(json.dumps(manifest))
            partial = archive.with_suffix(".partial")
            with tarfile.open(partial, "w:gz") as tar:
                tar.add(work / "manifest.json", arcname="manifest.json")
                for name, path in members.items():
                    tar.add(path, arcname=name)
                if photos:
                    tar.add(settings.MEDIA_ROOT, arcname=MEDIA)
            partial.rename(archive)
        if not photos:
            self.stderr.write("Photos are on object storage: sync the bucket (README, 'Backups').")
        self.stdout.write(str(archive))
