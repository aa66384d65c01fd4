"""`manage.py restore ARCHIVE`: bring back a `backup` archive into an empty data folder.

Refuses to overwrite a database that has data, or a photo folder that has files, unless told with
--force: restoring over a live market would lose every order taken since the backup.
"""

import shutil
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from .backup import DATABASE, JOBS, MEDIA


def _has_data(path: Path) -> bool:
    return path.is_file() and path.stat().st_size > 0


def _has_files(path: Path) -> bool:
    return path.is_dir() and any(item.is_file() for item in path.rglob("*"))


class Command(BaseCommand):
    help = "Restore a backup archive into an empty data folder (--force to overwrite)."

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--force", action="store_true", help="overwrite a database and photos that exist")

    def handle(self, *args, archive, force, **options):
        database = connections["default"]
        if database.vendor != "sqlite":
            raise CommandError("This database is not SQLite: restore it with pg_restore (README, 'Backups').")
        target = Path(database.settings_dict["NAME"])
        media = Path(settings.MEDIA_ROOT)
        if not force and (_has_data(target) or _has_files(media)):
            raise CommandError(
                f"{target} or {media} already holds data: restoring would overwrite it. "
                "Restore into an empty folder, or add --force if you mean it."
            )
        database.close()
        with tempfile.TemporaryDirectory() as work, tarfile.open(archive) as tar:
            tar.extractall(work, filter="data")
            work = Path(work)
            if not (work / DATABASE).is_file():
                raise CommandError(f"{archive} holds no database: is it a Chợ Phiên backup?")
            target.parent.mkdir(parents=True, exist_ok=True)
            for stale in (target, Path(f"{target}-wal"), Path(f"{target}-shm")):
                stale.unlink(missing_ok=True)
            shutil.move(work / DATABASE, target)
            if (work / JOBS).is_file():
                Path(settings.JOBS_FILE).parent.mkdir(parents=True, exist_ok=True)
                shutil.move(work / JOBS, settings.JOBS_FILE)
            if (work / MEDIA).is_dir():
                media.mkdir(parents=True, exist_ok=True)
                shutil.copytree(work / MEDIA, media, dirs_exist_ok=True)
        self.stdout.write(f"Restored {archive} into {target} and {media}.")
